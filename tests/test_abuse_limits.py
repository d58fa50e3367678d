"""Abuse limits (#15): the client's address behind trusted proxies only, the API's and the pages'
rate limits counted by it, and the admin's login lockout."""

import ipaddress
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory, override_settings
from rest_framework.throttling import AnonRateThrottle

from core import clientip, throttle_middleware

PROXY = "10.0.0.5"
CLIENT = "198.51.100.7"
FORGED = "203.0.113.9"


def address_of(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return clientip.client_ip(RequestFactory().get("/", **extra))


# --- the client's address ----------------------------------------------------------------------


@override_settings(PARADIPLO_TRUSTED_PROXIES=[])
def test_without_trusted_proxies_the_forwarded_header_is_never_read():
    assert address_of(CLIENT, FORGED) == CLIENT
    assert address_of(PROXY, f"{FORGED}, {CLIENT}") == PROXY


@override_settings(PARADIPLO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_a_forged_header_from_an_untrusted_peer_is_ignored():
    assert address_of(CLIENT, FORGED) == CLIENT
    assert address_of(CLIENT, "10.0.0.9") == CLIENT  # claiming to be a proxy does not help


@override_settings(PARADIPLO_TRUSTED_PROXIES=["10.0.0.0/8", "192.0.2.1"])
@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        (CLIENT, CLIENT),
        # The client put FORGED in front; the proxy appended the address it saw.
        (f"{FORGED}, {CLIENT}", CLIENT),
        # Two trusted proxies in a row: the rightmost untrusted hop.
        (f"{FORGED}, {CLIENT}, 192.0.2.1", CLIENT),
        (f"{FORGED},{CLIENT},10.1.2.3", CLIENT),
        # Every hop a trusted proxy: the leftmost.
        ("10.9.9.9, 192.0.2.1", "10.9.9.9"),
        # Garbage where the client wrote: the last trusted hop, never the garbage.
        ("not-an-address, 10.1.2.3", "10.1.2.3"),
        ("", PROXY),
        # Ports and IPv6 forms some proxies write.
        (f"{CLIENT}:5353", CLIENT),
        ("[2001:db8::1]:443", "2001:db8::1"),
        ("::ffff:198.51.100.7", CLIENT),
    ],
)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client(forwarded, expected):
    assert address_of(PROXY, forwarded) == expected


@override_settings(PARADIPLO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_without_the_header_a_trusted_proxy_is_the_client():
    assert address_of(PROXY) == PROXY


def test_trusted_proxies_come_from_the_environment(monkeypatch):
    from paradiplo.settings.base import env_list

    monkeypatch.setenv("DJANGO_TRUSTED_PROXIES", "10.0.0.0/8, 192.0.2.7")
    assert env_list("DJANGO_TRUSTED_PROXIES") == ["10.0.0.0/8", "192.0.2.7"]
    networks = clientip._networks(("10.0.0.0/8", "192.0.2.7"))
    assert networks == (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("192.0.2.7/32"))


# --- the API's rate limit ----------------------------------------------------------------------


@pytest.fixture
def three_a_minute(monkeypatch):
    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})


def api_statuses(api, count, **headers):
    return [api.get("/api/v1/sdgs/", **headers).status_code for _ in range(count)]


@pytest.mark.django_db
@override_settings(PARADIPLO_TRUSTED_PROXIES=[])
def test_a_forged_forwarded_header_does_not_change_the_api_bucket(api, three_a_minute):
    statuses = [
        api.get("/api/v1/sdgs/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}").status_code
        for n in range(5)
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # Another address has its own bucket.
    assert api.get("/api/v1/sdgs/", REMOTE_ADDR="198.51.100.8").status_code == 200


@pytest.mark.django_db
@override_settings(PARADIPLO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_each_client_has_its_own_api_bucket(api, three_a_minute):
    first = api_statuses(api, 4, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}")
    assert first == [200, 200, 200, 429]
    # The same client forging another leftmost address is still counted as itself.
    assert api_statuses(api, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"203.0.113.77, {CLIENT}") == [429]
    # A different client behind the same proxy is not.
    assert api_statuses(api, 1, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.99") == [200]


# --- the pages' rate limits --------------------------------------------------------------------

RATES = {"page": "3/minute", "download": "2/minute", "suggest": "4/minute"}


@pytest.fixture
def page_limits(settings):
    cache.clear()
    settings.PARADIPLO_THROTTLE_RATES = RATES
    settings.PARADIPLO_TRUSTED_PROXIES = []
    yield
    cache.clear()


@pytest.mark.django_db
def test_public_pages_answer_429_with_retry_after_and_a_translated_page(client, page_limits):
    statuses = [client.get("/es/sdgs/", REMOTE_ADDR=CLIENT).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    response = client.get("/es/sdgs/", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED)
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert "no-store" in response["Cache-Control"]
    text = response.content.decode()
    assert '<html lang="es">' in text
    assert "Too many requests" in text or "Demasiadas" in text
    # Another client is not affected.
    assert client.get("/es/sdgs/", REMOTE_ADDR="198.51.100.8").status_code == 200


@pytest.mark.django_db
def test_downloads_have_their_own_lower_limit(client, page_limits):
    downloads = [client.get("/en/sdgs/", {"format": "csv"}, REMOTE_ADDR=CLIENT).status_code for _ in range(3)]
    assert downloads == [200, 200, 429]
    # The pages' allowance is untouched by the downloads.
    assert client.get("/en/sdgs/", REMOTE_ADDR=CLIENT).status_code == 200


@pytest.mark.django_db
def test_search_suggestions_answer_429_as_json(client, page_limits):
    statuses = [client.get("/search/suggest/", {"q": "mo"}, REMOTE_ADDR=CLIENT).status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    response = client.get("/search/suggest/", {"q": "mo"}, REMOTE_ADDR=CLIENT)
    assert response.status_code == 429 and int(response["Retry-After"]) >= 1
    assert response.json()["results"] == [] and "Too many requests" in response.json()["detail"]


@pytest.mark.django_db
def test_signed_in_staff_are_not_limited(superuser_client, page_limits):
    statuses = [superuser_client.get("/en/sdgs/", REMOTE_ADDR=CLIENT).status_code for _ in range(6)]
    assert statuses == [200] * 6


@pytest.mark.django_db
def test_a_made_up_session_cookie_does_not_dodge_the_limit(client, page_limits):
    client.cookies["sessionid"] = "made-up"
    statuses = [client.get("/en/sdgs/", REMOTE_ADDR=CLIENT).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.django_db
def test_the_api_admin_and_health_are_not_counted_as_pages(client, page_limits):
    for _ in range(5):
        assert client.get("/healthz", REMOTE_ADDR=CLIENT).status_code in (200, 503)
        assert client.get("/admin/login/", REMOTE_ADDR=CLIENT).status_code == 200
    assert client.get("/en/sdgs/", REMOTE_ADDR=CLIENT).status_code == 200


def test_rates_parse_as_drf_does_and_empty_or_zero_turn_a_limit_off():
    assert throttle_middleware.parse_rate("240/minute") == (240, 60)
    assert throttle_middleware.parse_rate("5/s") == (5, 1)
    assert throttle_middleware.parse_rate("1000/day") == (1000, 86400)
    assert throttle_middleware.parse_rate("") is None
    assert throttle_middleware.parse_rate("0/minute") is None
    assert throttle_middleware.parse_rate(None) is None


def test_the_wait_is_the_rest_of_the_window():
    cache.clear()
    now = 600.0 + 45.2  # 45.2 s into a minute
    assert [throttle_middleware.hit("t", "a", 1, 60, now) for _ in range(2)] == [None, 15]
    # The next window starts afresh.
    assert throttle_middleware.hit("t", "a", 1, 60, 660.0) is None
    cache.clear()


def test_a_cache_that_does_not_answer_lets_requests_through(monkeypatch):
    def down(*args, **kwargs):
        raise ValueError("the cache is unavailable")

    monkeypatch.setattr(cache, "incr", down)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    assert all(throttle_middleware.hit("t", "b", 1, 60, time.time()) is None for _ in range(3))


# --- the login lockout -------------------------------------------------------------------------

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user("editor", "editor@example.org", "right-password", is_staff=True)


def sign_in(client, password, **extra):
    return client.post(LOGIN, {"username": "editor", "password": password}, **extra)


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3, AXES_COOLOFF_TIME=0.25, PARADIPLO_TRUSTED_PROXIES=[])
def test_repeated_failed_admin_logins_are_locked_out(client, staff):
    for _ in range(2):
        assert sign_in(client, "wrong", REMOTE_ADDR=CLIENT).status_code == 200  # the form again
    locked = sign_in(client, "wrong", REMOTE_ADDR=CLIENT)
    assert locked.status_code == 429
    assert int(locked["Retry-After"]) == 15 * 60
    text = locked.content.decode()
    assert "Sign-in locked" in text and "3 failed sign-ins" in text and "15 minutes" in text
    # Even the right password is refused now, from that address, forged header or not.
    assert sign_in(client, "right-password", REMOTE_ADDR=CLIENT).status_code == 429
    assert sign_in(client, "right-password", REMOTE_ADDR=CLIENT, HTTP_X_FORWARDED_FOR=FORGED).status_code == 429
    assert "_auth_user_id" not in client.session
    # Another address signs in.
    other = sign_in(client, "right-password", REMOTE_ADDR="198.51.100.8")
    assert other.status_code == 302 and client.session["_auth_user_id"] == str(staff.pk)


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=2, PARADIPLO_TRUSTED_PROXIES=["10.0.0.0/8"])
def test_the_lockout_counts_clients_behind_a_trusted_proxy_by_their_own_address(client, staff):
    behind = {"REMOTE_ADDR": PROXY}
    for forged in ("203.0.113.1", "203.0.113.2"):
        sign_in(client, "wrong", HTTP_X_FORWARDED_FOR=f"{forged}, {CLIENT}", **behind)
    assert sign_in(client, "right-password", HTTP_X_FORWARDED_FOR=f"203.0.113.3, {CLIENT}", **behind).status_code == 429
    # Another client behind the same proxy is not locked out.
    ok = sign_in(client, "right-password", HTTP_X_FORWARDED_FOR="198.51.100.8", **behind)
    assert ok.status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_successful_sign_in_resets_the_count(client, staff):
    sign_in(client, "wrong", REMOTE_ADDR=CLIENT)
    sign_in(client, "wrong", REMOTE_ADDR=CLIENT)
    assert sign_in(client, "right-password", REMOTE_ADDR=CLIENT).status_code == 302
    client.logout()
    sign_in(client, "wrong", REMOTE_ADDR=CLIENT)
    sign_in(client, "wrong", REMOTE_ADDR=CLIENT)
    assert sign_in(client, "right-password", REMOTE_ADDR=CLIENT).status_code == 302


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=1, LANGUAGE_CODE="es")
def test_the_lockout_page_is_translated(client, staff):
    response = sign_in(client, "wrong", REMOTE_ADDR=CLIENT, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 429
    assert 'lang="es"' in response.content.decode()


def test_the_lockout_settings_come_from_the_environment(load_production):
    settings = load_production(PARADIPLO_LOGIN_FAILURE_LIMIT="7", PARADIPLO_LOGIN_COOLOFF_MINUTES="30")
    assert settings.AXES_FAILURE_LIMIT == 7 and settings.AXES_COOLOFF_TIME == 0.5
    assert settings.AXES_CLIENT_IP_CALLABLE == "core.clientip.axes_client_ip"
    assert settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    rates = load_production(PARADIPLO_PAGE_RATE="10/minute", PARADIPLO_SUGGEST_RATE="").PARADIPLO_THROTTLE_RATES
    assert rates["page"] == "10/minute" and rates["suggest"] == "" and rates["download"] == "30/minute"
    assert load_production(DJANGO_TRUSTED_PROXIES="10.0.0.0/8,192.0.2.7").PARADIPLO_TRUSTED_PROXIES == [
        "10.0.0.0/8",
        "192.0.2.7",
    ]


@pytest.fixture
def load_production(monkeypatch):
    """The production settings imported afresh under an environment; Django's are put back."""
    import importlib
    import sys

    saved = {name: module for name, module in sys.modules.items() if name.startswith("paradiplo.settings.")}
    base = {"DJANGO_SECRET_KEY": "a-test-only-key-" + "x" * 50, "DJANGO_ALLOWED_HOSTS": "x.org"}

    def load(**env):
        for name, value in {**base, **env}.items():
            monkeypatch.setenv(name, value)
        for name in list(sys.modules):
            if name.startswith("paradiplo.settings."):
                del sys.modules[name]
        return importlib.import_module("paradiplo.settings.production")

    yield load
    for name in list(sys.modules):
        if name.startswith("paradiplo.settings."):
            del sys.modules[name]
    sys.modules.update(saved)


# --- the counter in Redis (one round trip), shared and failing open --------------------------------


def redis_backend(location):
    import uuid

    from core.cache_backends import FailOpenRedisCache

    options = {"socket_connect_timeout": 0.25, "socket_timeout": 0.5}
    return FailOpenRedisCache(location, {"KEY_PREFIX": f"test-throttle-{uuid.uuid4().hex}", "OPTIONS": options})


def test_with_redis_the_count_is_one_pipeline_and_is_shared(monkeypatch):
    from .servers import require_shared_redis

    url = require_shared_redis()
    worker_a, worker_b = redis_backend(url), redis_backend(url)
    worker_b.key_prefix = worker_a.key_prefix  # two processes of one site
    now = time.time()
    monkeypatch.setattr(throttle_middleware, "caches", {"default": worker_a})
    assert throttle_middleware.hit("t", "c", 2, 60, now) is None
    monkeypatch.setattr(throttle_middleware, "caches", {"default": worker_b})
    assert throttle_middleware.hit("t", "c", 2, 60, now) is None
    assert throttle_middleware.hit("t", "c", 2, 60, now) is not None  # the third, counted across both
    key = f"{throttle_middleware.KEY_PREFIX}:t:c:60:{int(now // 60)}"
    assert 0 < worker_a._cache.get_client(key).ttl(worker_a.make_and_validate_key(key)) <= 61
    worker_a.delete(key)


def test_with_redis_down_requests_go_through(monkeypatch):
    from .servers import closed_redis_url

    monkeypatch.setattr(throttle_middleware, "caches", {"default": redis_backend(closed_redis_url())})
    assert all(throttle_middleware.hit("t", "d", 1, 60, time.time()) is None for _ in range(3))
