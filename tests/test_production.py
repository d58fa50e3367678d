"""Production serving: the WSGI/ASGI defaults, gunicorn's configuration, an unreachable database
answered 503 (never a 500 or a traceback), a stopped Redis served uncached, `load_real_data
--if-empty`, and the API's anonymous rate limit holding across four gunicorn workers that share
Redis."""

import json
import logging
import os
import re
import runpy
import socket
import time
import uuid
from collections import Counter

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import OperationalError, connections

from networks.management.commands import load_real_data

from .servers import closed_redis_url, get, gunicorn, require_shared_redis

PROJECT = settings.BASE_DIR / "paradiplo"
GUNICORN_CONF = str(PROJECT / "gunicorn.conf.py")
REQUIRED = {"DJANGO_SECRET_KEY": "test-only-" + "x" * 50, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"}


# --- entry points and gunicorn's configuration ---------------------------------------------------


def test_asgi_defaults_to_the_production_settings(monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    runpy.run_path(str(PROJECT / "asgi.py"))
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "paradiplo.settings.production"


def test_wsgi_defaults_to_the_production_settings(monkeypatch):
    # (The gunicorn test below starts the WSGI application with no DJANGO_SETTINGS_MODULE and
    # gets production's HTTPS redirect.)
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE")
    runpy.run_path(str(PROJECT / "wsgi.py"))
    assert os.environ["DJANGO_SETTINGS_MODULE"] == "paradiplo.settings.production"


def gunicorn_config(monkeypatch, **env) -> dict:
    for name in list(os.environ):
        if name.startswith("GUNICORN_") or name in {"HOST", "PORT", "WEB_CONCURRENCY"}:
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(GUNICORN_CONF)


def test_gunicorn_defaults(monkeypatch):
    config = gunicorn_config(monkeypatch)
    assert config["wsgi_app"] == "paradiplo.wsgi:application"
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["workers"] == 2 * len(os.sched_getaffinity(0)) + 1
    assert config["threads"] == 1
    # Long enough for a 100,000-row export; far more than gunicorn's 30 s default.
    assert config["timeout"] == 120
    assert config["graceful_timeout"] == 30
    assert config["accesslog"] == "-"
    assert config["max_requests"] == 1000
    assert config["max_requests_jitter"] == 100
    assert config["pidfile"] is None
    assert config["control_socket_disable"] is True


def test_gunicorn_reads_the_environment(monkeypatch):
    config = gunicorn_config(
        monkeypatch,
        HOST="0.0.0.0",
        PORT="9000",
        WEB_CONCURRENCY="4",
        GUNICORN_THREADS="8",
        GUNICORN_TIMEOUT="300",
        GUNICORN_GRACEFUL_TIMEOUT="45",
        GUNICORN_MAX_REQUESTS="0",
        GUNICORN_PIDFILE="/run/paradiplo.pid",
        GUNICORN_CONTROL_SOCKET="/run/paradiplo.ctl",
    )
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["workers"] == 4
    assert config["threads"] == 8
    assert config["timeout"] == 300
    assert config["graceful_timeout"] == 45
    assert config["max_requests"] == 0
    assert config["pidfile"] == "/run/paradiplo.pid"
    assert config["control_socket"] == "/run/paradiplo.ctl"
    assert config["control_socket_disable"] is False


def test_gunicorn_binds_ipv6_in_brackets(monkeypatch):
    assert gunicorn_config(monkeypatch, HOST="::", PORT="8080")["bind"] == ["[::]:8080"]


# --- an unreachable database: 503, never a 500 ----------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    """Every query fails as when PostgreSQL is restarting."""

    def refused(*args, **kwargs):
        raise OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused\n'
            "\tIs the server running on that host and accepting TCP/IP connections?"
        )

    monkeypatch.setattr(connections["default"], "_cursor", refused)


def assert_logged_in_one_line(caplog):
    errors = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert len(errors) == 1, [record.getMessage() for record in errors]
    assert errors[0].name == "core.middleware"
    assert "Database unavailable" in errors[0].getMessage()
    assert "\n" not in errors[0].getMessage()
    assert errors[0].exc_info is None  # no traceback in the log either


@pytest.mark.django_db
def test_a_page_without_its_database_answers_503(client, database_down, caplog):
    response = client.get("/en/networks/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Service temporarily unavailable" in page
    assert "Traceback" not in page and "OperationalError" not in page and "5432" not in page
    assert_logged_in_one_line(caplog)


@pytest.mark.django_db
def test_the_admin_without_its_database_answers_503(superuser_client, database_down):
    assert superuser_client.get("/admin/networks/network/").status_code == 503


@pytest.mark.django_db
def test_the_api_without_its_database_answers_503_in_its_error_shape(api, database_down, caplog):
    response = api.get("/api/v1/networks/")
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert response.json() == {
        "type": "server_error",
        "errors": [
            {
                "code": "service_unavailable",
                "detail": "The database is unavailable for a moment. Please try again shortly.",
                "attr": None,
            }
        ],
    }
    assert_logged_in_one_line(caplog)


@pytest.mark.django_db
def test_other_errors_are_still_500(client, monkeypatch):
    # Only an unreachable database is a 503: a bug stays a bug.
    def broken(*args, **kwargs):
        raise ZeroDivisionError

    monkeypatch.setattr(connections["default"], "_cursor", broken)
    client.raise_request_exception = False
    assert client.get("/en/networks/").status_code == 500


# --- a stopped Redis: served uncached -----------------------------------------------------------


@pytest.mark.django_db
def test_without_redis_pages_and_the_api_are_served_uncached(client, api, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.FailOpenRedisCache",
            "LOCATION": closed_redis_url(),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    for path in ["/en/", "/en/networks/", "/sitemap.xml"]:
        assert client.get(path).status_code == 200, path
    # The throttle counts nothing, and lets the request through.
    assert api.get("/api/v1/networks/").status_code == 200


# --- load_real_data --if-empty ------------------------------------------------------------------


@pytest.fixture
def synthetic_fixture(settings, tmp_path, monkeypatch):
    """A fixtures/ directory holding one synthetic record (a staff group), for the command."""
    (tmp_path / "fixtures").mkdir()
    record = {"model": "auth.group", "pk": 990001, "fields": {"name": "Synthetic editors (test)"}}
    (tmp_path / "fixtures" / "synthetic.json").write_text(json.dumps([record]))
    settings.BASE_DIR = tmp_path
    monkeypatch.setattr(load_real_data, "FIXTURES", ["synthetic.json"])


@pytest.mark.django_db
def test_if_empty_loads_an_empty_database_and_never_overwrites_it(synthetic_fixture, django_user_model):
    from django.contrib.auth.models import Group

    call_command("load_real_data", "--if-empty", verbosity=0)
    group = Group.objects.get(pk=990001)
    assert group.name == "Synthetic editors (test)"

    group.name = "Renamed by staff"
    group.save()
    output = run_command("load_real_data", "--if-empty")
    assert "real data not loaded" in output
    assert Group.objects.get(pk=990001).name == "Renamed by staff"

    # Without the flag the loader puts the fixture's value back: why servers start with it.
    run_command("load_real_data")
    assert Group.objects.get(pk=990001).name == "Synthetic editors (test)"


@pytest.mark.django_db
def test_if_empty_leaves_the_real_data_and_its_edits_alone(mercociudades):
    mercociudades.name_en = "Edited by staff"
    mercociudades.save()
    output = run_command("load_real_data", "--if-empty")
    assert "The database already holds data (sources.Source" in output
    mercociudades.refresh_from_db()
    assert mercociudades.name_en == "Edited by staff"


def run_command(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


# --- four gunicorn workers sharing Redis ------------------------------------------------------------

API_RATE = 10
API_REQUESTS = 25


def test_the_anonymous_rate_limit_holds_across_four_workers(tmp_path):
    redis_url = require_shared_redis()
    (tmp_path / "static").mkdir()
    env = {
        **REQUIRED,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
        "REDIS_URL": redis_url,
        "PARADIPLO_CACHE_PREFIX": f"test-throttle-{uuid.uuid4().hex}",
        "PARADIPLO_API_ANON_RATE": f"{API_RATE}/minute",
        # HTTPS as in production (the default), behind a TLS proxy that says so.
        "DJANGO_SECURE_PROXY_SSL_HEADER": "1",
        "GUNICORN_MAX_REQUESTS": "0",
    }
    log = tmp_path / "gunicorn.log"
    with gunicorn(env, workers=4, log=log) as port:
        # /healthz answers over plain HTTP; pages are redirected to HTTPS.
        assert get(port, "/healthz")[0] == 200
        status, headers, _ = get(port, "/en/")
        assert status == 301
        assert headers["Location"] == f"https://127.0.0.1:{port}/en/"

        # A connection left idle keeps the (sync) worker that accepts it waiting for its request,
        # so the requests below are served by the other workers and its request, sent last, by
        # this one: the requests are spread over two workers at least, whatever the load.
        idle = socket.create_connection(("127.0.0.1", port), timeout=30)
        time.sleep(0.5)  # until a worker has accepted it
        statuses = []
        for number in range(API_REQUESTS - 1):
            # Each request on a new connection, with a made-up X-Forwarded-For: it neither
            # dodges the limit nor hides the client's address.
            status, headers, _ = get(
                port, "/api/v1/", {"X-Forwarded-Proto": "https", "X-Forwarded-For": f"203.0.113.{number}"}
            )
            statuses.append(status)
            if status == 429:
                assert int(headers["Retry-After"]) > 0
        idle.sendall(
            f"GET /api/v1/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        statuses.append(int(idle.makefile("rb").readline().split()[1]))
        idle.close()
    assert Counter(statuses) == {200: API_RATE, 429: API_REQUESTS - API_RATE}
    assert statuses[:API_RATE] == [200] * API_RATE

    # The requests were spread over the workers, each counting in the shared Redis.
    workers = {
        match.group(1)
        for match in re.finditer(r'"GET /api/v1/ HTTP/1\.1" (?:200|429) .* <(\d+)> \d+ms', log.read_text())
    }
    assert len(workers) >= 2, log.read_text()
