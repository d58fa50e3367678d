"""/healthz: 200 when the database and the cache answer, 503 naming the part that does not;
never a session, never cached, never redirected to HTTPS."""

import pytest
from django.db import OperationalError, connections

from .servers import closed_redis_url

pytestmark = pytest.mark.django_db

HEALTHZ = "/healthz"
# SELECT 1 and nothing else: no session, no user, no content.
HEALTHZ_QUERIES = 1


def test_healthy_server_answers_200_with_each_check(client, django_assert_num_queries):
    with django_assert_num_queries(HEALTHZ_QUERIES):
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}
    assert response["Content-Type"] == "application/json"


def test_healthz_is_never_cached(client):
    response = client.get(HEALTHZ)
    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def test_healthz_never_touches_the_session(client, django_user_model, django_assert_num_queries):
    # A signed-in browser: the session cookie is sent, and still never read or renewed.
    client.force_login(django_user_model.objects.create_user("probe", password="pw"))
    with django_assert_num_queries(HEALTHZ_QUERIES):
        response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert not response.cookies
    assert "Set-Cookie" not in response
    assert "cookie" not in response.get("Vary", "").lower()


def test_healthz_has_no_language_prefix_and_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/en/").status_code == 301
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert client.get("/en/healthz").status_code in {301, 404}


def test_healthz_answers_only_reads(client):
    assert client.post(HEALTHZ).status_code == 405
    assert client.head(HEALTHZ).status_code == 200


def test_database_that_does_not_answer_makes_it_503(client, monkeypatch):
    def refused(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr(connections["default"], "_cursor", refused)
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json() == {"database": "unavailable", "cache": "ok"}


@pytest.fixture
def silent_cache(settings):
    """A real Redis backend pointed at a port nothing listens on: it fails open (writes are
    no-ops, reads miss)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache_backends.FailOpenRedisCache",
            "LOCATION": closed_redis_url(),
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }


def test_cache_that_does_not_answer_makes_it_503(client, silent_cache):
    # /healthz notices the cache that fails open.
    response = client.get(HEALTHZ)
    assert response.status_code == 503
    assert response.json() == {"database": "ok", "cache": "unavailable"}


def test_a_cache_that_does_not_answer_can_be_reported_without_failing_the_check(client, settings, silent_cache):
    # The site serves without its cache: an operator may keep app servers in the pool when the
    # shared Redis stops.
    settings.PARADIPLO_HEALTHZ_REQUIRES_CACHE = False
    response = client.get(HEALTHZ)
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "unavailable"}


def test_a_failing_check_is_logged_once_without_a_traceback(client, monkeypatch, caplog):
    def refused(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connections["default"], "_cursor", refused)
    assert client.get(HEALTHZ).status_code == 503
    assert [record.getMessage() for record in caplog.records if record.levelno >= 30] == [
        "healthz: the database does not answer: connection refused"
    ]
    assert all(record.exc_info is None for record in caplog.records)
