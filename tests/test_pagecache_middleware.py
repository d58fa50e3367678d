"""An anonymous hit of a cached page answered before the rest of the middleware stack
(core.pagecache_middleware): the same response as the view's own hit (body, headers, gzip, HEAD,
ETag and 304), without URL resolving or the view; signed-in visitors, misses and pages never
cached go through the stack; the page throttle counts every request exactly once, through Redis
in the same round trip as the lookup; a cache that does not answer means a fresh page."""

import gzip

import pytest
from django.core.cache import cache
from django.core.handlers.base import BaseHandler
from django.test import Client
from redis.connection import Connection

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory
from .helpers import page_of, url
from .servers import closed_redis_url, redis_caches, require_shared_redis

pytestmark = pytest.mark.django_db

EARLY = "core.pagecache_middleware.CachedPageHitMiddleware"
# With the version kept in the cache: no query, and (Redis) one round trip for the count, the
# version and the page.
HIT_QUERIES = 0
REDIS_HIT_ROUND_TRIPS = 1
CLIENT = "198.51.100.7"


@pytest.fixture(autouse=True)
def version_in_the_cache(settings):
    """The middleware answers hits when the content version is kept in the cache, as with Redis
    in production; the tests' local-memory cache is told to keep it too."""
    settings.PARADIPLO_CONTENT_VERSION_IN_CACHE = True


@pytest.fixture
def profile_address(db):
    network = NetworkFactory(slug="synthetic-early-hit", name_en="Synthetic Network early")
    MembershipFactory(network=network, city=CityFactory(country=CountryFactory()), start="2001")
    return url("network-detail", slug=network.slug)


def test_the_middleware_sits_after_the_headers_of_every_response_and_before_the_session(settings):
    names = settings.MIDDLEWARE
    assert names.index("csp.middleware.CSPMiddleware") < names.index(EARLY)
    assert names.index("django.middleware.security.SecurityMiddleware") < names.index(EARLY)
    assert names.index(EARLY) < names.index("django.contrib.sessions.middleware.SessionMiddleware")
    assert names.index(EARLY) < names.index("core.throttle_middleware.PublicThrottleMiddleware")


def test_an_anonymous_hit_never_reaches_the_url_resolver(
    client, profile_address, monkeypatch, django_assert_num_queries
):
    first = client.get(profile_address)
    assert first["X-Paradiplo-Cache"] == "miss"
    monkeypatch.setattr(BaseHandler, "resolve_request", lambda self, request: pytest.fail("resolved a hit's URL"))
    with django_assert_num_queries(HIT_QUERIES):
        hit = client.get(profile_address)
    assert hit.status_code == 200 and hit["X-Paradiplo-Cache"] == "hit" and hit.content == first.content


def responses(client, address):
    """What a client gets for a page: plain, gzipped, HEAD, and a revalidation with its ETag."""
    plain = client.get(address)
    zipped = client.get(address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    head = client.head(address, HTTP_ACCEPT_ENCODING="gzip")
    revalidated = client.get(address, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=zipped["ETag"])
    return {"plain": plain, "gzip": zipped, "head": head, "304": revalidated}


def test_an_early_hit_is_the_response_the_view_would_have_served(client, profile_address, settings):
    client.get(profile_address)  # the miss stores the entry
    early = responses(client, profile_address)
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != EARLY]
    through_the_stack = responses(Client(), profile_address)  # a new client: the stack without it
    for kind, response in early.items():
        other = through_the_stack[kind]
        assert (response.status_code, response.content) == (other.status_code, other.content), kind
        assert dict(response.items()) == dict(other.items()), kind
    assert early["plain"]["X-Paradiplo-Cache"] == early["gzip"]["X-Paradiplo-Cache"] == "hit"
    assert gzip.decompress(early["gzip"].content) == early["plain"].content
    assert early["gzip"]["Content-Encoding"] == "gzip" and "Accept-Encoding" in early["gzip"]["Vary"]
    assert early["plain"]["Content-Language"] == "en" and early["plain"]["X-Frame-Options"] == "DENY"
    assert "script-src" in early["plain"]["Content-Security-Policy"]
    assert int(early["gzip"]["Content-Length"]) == len(early["gzip"].content)
    assert early["head"].content == b"" and early["head"]["Content-Encoding"] == "gzip"
    assert early["304"].status_code == 304


def test_with_the_version_in_each_process_the_view_answers_as_before(client, profile_address, settings, monkeypatch):
    settings.PARADIPLO_CONTENT_VERSION_IN_CACHE = False  # a local-memory cache: the row is read
    assert client.get(profile_address)["X-Paradiplo-Cache"] == "miss"
    calls = []
    resolve = BaseHandler.resolve_request
    monkeypatch.setattr(BaseHandler, "resolve_request", lambda self, request: calls.append(1) or resolve(self, request))
    assert client.get(profile_address)["X-Paradiplo-Cache"] == "hit" and calls == [1]


def test_a_miss_looks_the_cache_up_once(client, profile_address, django_assert_num_queries):
    """The middleware's lookup found nothing: the view renders without a second look (the
    version's row is read once, when the cache has no copy of it yet)."""
    first = client.get(profile_address)
    assert first["X-Paradiplo-Cache"] == "miss"
    NetworkFactory(slug="synthetic-early-other")  # a new version, copied into the cache at once
    looks = []
    get_many = cache.get_many
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(cache, "get_many", lambda keys: looks.append(keys) or get_many(keys))
        again = client.get(profile_address)
    assert again["X-Paradiplo-Cache"] == "miss" and len(looks) == 1


def test_each_language_prefix_is_its_own_entry(client, profile_address):
    spanish = profile_address.replace("/en/", "/es/", 1)
    english, espanol = page_of(client.get(profile_address)), page_of(client.get(spanish))
    assert '<html lang="en"' in english and '<html lang="es"' in espanol
    hit = client.get(spanish)
    assert hit["X-Paradiplo-Cache"] == "hit" and hit["Content-Language"] == "es" and page_of(hit) == espanol


def test_signed_in_visitors_go_through_the_stack_to_a_fresh_page(client, superuser_client, profile_address):
    Client().get(profile_address)
    assert Client().get(profile_address)["X-Paradiplo-Cache"] == "hit"
    fresh = superuser_client.get(profile_address)
    assert fresh.status_code == 200 and not fresh.has_header("X-Paradiplo-Cache")


def test_a_page_never_cached_goes_through_the_stack(client):
    for _ in range(2):
        about = client.get(url("about"))
        assert about.status_code == 200 and not about.has_header("X-Paradiplo-Cache")


# The page throttle -------------------------------------------------------------------------------


@pytest.fixture
def three_pages_a_minute(settings):
    settings.PARADIPLO_THROTTLE_RATES = {"page": "3/minute", "download": None, "suggest": None}
    settings.PARADIPLO_TRUSTED_PROXIES = []


@pytest.mark.usefixtures("three_pages_a_minute")
def test_misses_and_hits_are_each_counted_once_and_the_429_is_translated(client, profile_address):
    spanish = profile_address.replace("/en/", "/es/", 1)
    answers = [client.get(spanish, REMOTE_ADDR=CLIENT) for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.get("X-Paradiplo-Cache") for a in answers[:3]] == ["miss", "hit", "hit"]
    assert '<html lang="es">' in answers[3].content.decode() and int(answers[3]["Retry-After"]) >= 1
    assert client.get(spanish, REMOTE_ADDR="198.51.100.8")["X-Paradiplo-Cache"] == "hit"


# Through Redis ----------------------------------------------------------------------------------


@pytest.fixture
def round_trips(monkeypatch):
    """How many times the process sent Redis something (a pipeline sends its commands at once)."""
    sent = []
    send = Connection.send_packed_command

    def counting(self, *args, **kwargs):
        sent.append(1)
        return send(self, *args, **kwargs)

    monkeypatch.setattr(Connection, "send_packed_command", counting)
    return sent


@pytest.fixture
def shared_redis(settings):
    settings.CACHES = redis_caches(require_shared_redis())
    yield
    cache.clear()  # only this test's prefix


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_redis", "three_pages_a_minute")
def test_through_redis_a_counted_hit_is_one_round_trip_and_no_query(
    profile_address, round_trips, django_assert_num_queries
):
    client = Client(REMOTE_ADDR=CLIENT)
    assert client.get(profile_address)["X-Paradiplo-Cache"] == "miss"
    round_trips.clear()
    with django_assert_num_queries(HIT_QUERIES):
        hit = client.get(profile_address)
    assert hit["X-Paradiplo-Cache"] == "hit" and len(round_trips) == REDIS_HIT_ROUND_TRIPS
    assert [client.get(profile_address).status_code for _ in range(2)] == [200, 429]
    NetworkFactory(slug="synthetic-early-edit")  # an edit: the next request renders afresh
    assert Client(REMOTE_ADDR="198.51.100.8").get(profile_address)["X-Paradiplo-Cache"] == "miss"


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_an_anonymous_page_is_rendered_and_counted_by_nobody(profile_address, settings):
    settings.CACHES = redis_caches(closed_redis_url())
    settings.PARADIPLO_THROTTLE_RATES = {"page": "1/minute", "download": None, "suggest": None}
    for _ in range(3):
        response = Client().get(profile_address, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and response["X-Paradiplo-Cache"] == "miss"
