"""Settings: production has no insecure defaults and passes Django's deploy checks; what the
environment variables of docs/deployment.md change (databases, replicas, cache, HTTPS)."""

import importlib
import logging
import os
import subprocess
import sys

import pytest
from django.conf import settings

MANAGE = [sys.executable, str(settings.BASE_DIR / "manage.py")]
REQUIRED = {
    "DJANGO_SECRET_KEY": "k7#Qv!9zP2$wLm4&xR8^tY1@nB6*cF3%hJ5(dG0)sA-eU_iO+pZ=",
    "DJANGO_ALLOWED_HOSTS": "example.org",
}
# Every variable these settings read, cleared so that the machine's environment does not leak in.
VARIABLES = [
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SECURE_PROXY_SSL_HEADER",
    "DJANGO_STATIC_ROOT",
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "DATABASE_CONN_MAX_AGE",
    "DATABASE_CONNECT_TIMEOUT",
    "DATABASE_REPLICA_PIN_SECONDS",
    "REDIS_URL",
    "REDIS_CONNECT_TIMEOUT",
    "REDIS_TIMEOUT",
    "PARADIPLO_CACHE_PREFIX",
    "PARADIPLO_HEALTHZ_REQUIRES_CACHE",
    "DJANGO_TRUSTED_PROXIES",
]


def run_production(*args, **env):
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    base.update({"DJANGO_SETTINGS_MODULE": "paradiplo.settings.production", **env})
    return subprocess.run([*MANAGE, *args], env=base, capture_output=True, text=True, timeout=120)


@pytest.fixture
def load_settings(monkeypatch):
    """Import a settings module afresh under an environment, as a new process would, and give
    back its namespace; the modules Django runs on are put back afterwards."""
    saved = {name: module for name, module in sys.modules.items() if name.startswith("paradiplo.settings.")}

    def load(module="production", **env):
        for name in VARIABLES:
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        for name in list(sys.modules):
            if name.startswith("paradiplo.settings."):
                del sys.modules[name]
        return importlib.import_module(f"paradiplo.settings.{module}")

    yield load
    for name in list(sys.modules):
        if name.startswith("paradiplo.settings."):
            del sys.modules[name]
    sys.modules.update(saved)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"DJANGO_ALLOWED_HOSTS": "paradiplo.example.org"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 60}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_its_secrets(env, missing):
    result = run_production("check", **env)
    assert result.returncode != 0
    assert f"The environment variable {missing} must be set in production" in result.stderr


def test_production_passes_the_deploy_checks():
    result = run_production(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=REQUIRED["DJANGO_SECRET_KEY"],
        DJANGO_ALLOWED_HOSTS="paradiplo.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_languages_and_fallbacks():
    assert [code for code, _ in settings.LANGUAGES] == ["en", "es", "pt", "fr"]
    assert settings.MODELTRANSLATION_FALLBACK_LANGUAGES["pt"][:2] == ("es", "en")


def test_production_loads_with_the_two_variables_and_defaults_to_https(load_settings):
    production = load_settings(**REQUIRED)
    assert production.DEBUG is False
    assert production.ALLOWED_HOSTS == ["example.org"]
    assert production.SECURE_SSL_REDIRECT is True
    assert production.SESSION_COOKIE_SECURE is production.CSRF_COOKIE_SECURE is True
    # Load balancers probe over plain HTTP.
    assert production.SECURE_REDIRECT_EXEMPT == [r"^healthz$"]


def test_plain_http_turns_off_the_redirect_and_the_secure_cookies(load_settings):
    production = load_settings(DJANGO_SECURE_SSL_REDIRECT="0", **REQUIRED)
    assert production.SECURE_SSL_REDIRECT is False
    assert production.SESSION_COOKIE_SECURE is production.CSRF_COOKIE_SECURE is False
    # Behind a proxy that redirects itself, the cookies can stay Secure.
    proxied = load_settings(DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="1", **REQUIRED)
    assert proxied.SECURE_SSL_REDIRECT is False
    assert proxied.SESSION_COOKIE_SECURE is True


def test_production_without_database_url_serves_sqlite_and_warns(load_settings, caplog):
    with caplog.at_level(logging.WARNING, logger="paradiplo.settings"):
        production = load_settings(**REQUIRED)
    assert production.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"
    assert "DATABASE_URL is not set" in caplog.text


def test_production_keeps_connections_and_checks_them(load_settings):
    production = load_settings(DATABASE_URL="postgres://app@db.example.org:5432/paradiplo", **REQUIRED)
    default = production.DATABASES["default"]
    assert default["ENGINE"] == "django.db.backends.postgresql"
    assert default["HOST"] == "db.example.org"
    assert default["CONN_MAX_AGE"] == 60
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["OPTIONS"]["connect_timeout"] == 5
    tuned = load_settings(
        DATABASE_URL="postgres://app@db/paradiplo",
        DATABASE_CONN_MAX_AGE="300",
        DATABASE_CONNECT_TIMEOUT="2",
        **REQUIRED,
    )
    assert tuned.DATABASES["default"]["CONN_MAX_AGE"] == 300
    assert tuned.DATABASES["default"]["OPTIONS"]["connect_timeout"] == 2


def test_development_opens_a_connection_per_request(load_settings):
    local = load_settings("local")
    assert local.DATABASES["default"]["CONN_MAX_AGE"] == 0


def test_replicas_become_aliases_routed_by_the_router(load_settings):
    production = load_settings(
        DATABASE_URL="postgres://app@primary/paradiplo",
        DATABASE_REPLICA_URL="postgres://app@replica-a/paradiplo, postgres://app@replica-b/paradiplo",
        **REQUIRED,
    )
    assert list(production.DATABASES) == ["default", "replica1", "replica2"]
    assert production.DATABASES["replica1"]["HOST"] == "replica-a"
    assert production.DATABASES["replica2"]["HOST"] == "replica-b"
    assert production.DATABASES["replica2"]["TEST"] == {"MIRROR": "default"}
    assert production.DATABASES["replica1"]["CONN_HEALTH_CHECKS"] is True
    assert production.DATABASE_ROUTERS == ["paradiplo.db_routers.PrimaryReplicaRouter"]
    assert "paradiplo.db_routers.PrimaryPinMiddleware" in production.MIDDLEWARE


def test_without_replicas_there_is_no_router(load_settings):
    production = load_settings(DATABASE_URL="postgres://app@primary/paradiplo", **REQUIRED)
    assert list(production.DATABASES) == ["default"]
    assert not getattr(production, "DATABASE_ROUTERS", [])
    assert "paradiplo.db_routers.PrimaryPinMiddleware" not in production.MIDDLEWARE


def test_redis_url_selects_the_fail_open_redis_cache(load_settings):
    production = load_settings(REDIS_URL="redis://cache.example.org:6379/2", PARADIPLO_CACHE_PREFIX="blue", **REQUIRED)
    cache = production.CACHES["default"]
    assert cache["BACKEND"] == "core.cache_backends.FailOpenRedisCache"
    assert cache["LOCATION"] == "redis://cache.example.org:6379/2"
    assert cache["KEY_PREFIX"] == "blue"
    assert cache["OPTIONS"]["parser_class"] == "redis.connection._HiredisParser"
    # A stopped Redis must cost milliseconds, not seconds.
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 0.5
    assert cache["OPTIONS"]["socket_timeout"] <= 1


def test_without_redis_each_process_has_a_local_cache(load_settings):
    production = load_settings(**REQUIRED)
    assert production.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert production.CACHES["default"]["KEY_PREFIX"] == "paradiplo"


def test_the_tests_never_use_a_shared_redis(load_settings):
    test = load_settings("test", REDIS_URL="redis://127.0.0.1:6379/0")
    assert test.CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_the_api_counts_anonymous_clients_by_their_connection_unless_told_of_proxies(load_settings):
    # core.clientip reads X-Forwarded-For only from these (tests/test_abuse_limits.py).
    assert load_settings(**REQUIRED).PARADIPLO_TRUSTED_PROXIES == []
    behind_a_balancer = load_settings(DJANGO_TRUSTED_PROXIES="10.0.0.0/8", **REQUIRED)
    assert behind_a_balancer.PARADIPLO_TRUSTED_PROXIES == ["10.0.0.0/8"]
    assert "NUM_PROXIES" not in behind_a_balancer.REST_FRAMEWORK


def test_sessions_live_in_the_database_so_app_servers_keep_no_state(load_settings):
    production = load_settings(REDIS_URL="redis://cache/0", **REQUIRED)
    assert production.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_static_root_follows_the_environment(load_settings, tmp_path):
    production = load_settings(DJANGO_STATIC_ROOT=str(tmp_path), **REQUIRED)
    assert production.STATIC_ROOT == tmp_path
    assert production.STORAGES["staticfiles"]["BACKEND"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
