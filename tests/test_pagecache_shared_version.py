"""The content version kept in the shared cache (core.contentversion.current_and_cached): a hit
reads the version and the page in one round trip to the cache and runs no query, yet every edit
(the admin, the API, a save, a bump, another process) still shows on the very next request, a
cache without the version falls back to the database row, concurrent bumps leave the later
token, and a Redis that is down means pages served uncached, never a 500.

With the local-memory cache of the tests the copy is switched on by the setting
PARADIPLO_CONTENT_VERSION_IN_CACHE; the tests through Redis use FailOpenRedisCache (which turns
it on by itself) on the shared Redis's test database under a prefix of their own, or on a
redis-server of their own that they stop."""

import gzip
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core import contentversion
from networks.models import Network

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory
from .helpers import database_url_for_another_process, page_of, url
from .servers import closed_redis_url, own_redis_server, redis_caches, require_shared_redis

pytestmark = pytest.mark.django_db

# A hit with the version in the shared cache: no query at all.
SHARED_HIT_QUERIES = 0
# A request that finds no version in the cache reads the row: one query.
ROW_QUERIES = 1


@pytest.fixture
def in_cache(settings):
    settings.PARADIPLO_CONTENT_VERSION_IN_CACHE = True


@pytest.fixture
def profile_address(db):
    network = NetworkFactory(slug="synthetic-shared-version", name_en="Synthetic Network before")
    MembershipFactory(network=network, city=CityFactory(country=CountryFactory()), start="2001")
    return url("network-detail", slug=network.slug)


def test_only_a_cache_shared_by_every_process_keeps_the_version(settings):
    assert not contentversion.cache_holds_version()  # the tests' local-memory cache
    settings.CACHES = redis_caches(closed_redis_url())
    assert contentversion.cache_holds_version()
    settings.PARADIPLO_CONTENT_VERSION_IN_CACHE = False
    assert not contentversion.cache_holds_version()
    settings.PARADIPLO_CONTENT_VERSION_IN_CACHE = None
    settings.PARADIPLO_CONTENT_VERSION_CACHE_SECONDS = 0
    assert not contentversion.cache_holds_version()


@pytest.mark.usefixtures("in_cache")
def test_a_hit_runs_no_query_and_an_edit_shows_on_the_next_request(client, profile_address, django_assert_num_queries):
    first = client.get(profile_address)
    assert first["X-Paradiplo-Cache"] == "miss"
    with django_assert_num_queries(SHARED_HIT_QUERIES):
        again = client.get(profile_address)
    assert again["X-Paradiplo-Cache"] == "hit" and again.content == first.content
    network = Network.objects.get(slug="synthetic-shared-version")
    network.name_en = "Synthetic Network after"
    network.save()
    assert cache.get(contentversion.cache_key()) == contentversion.current()
    fresh = client.get(profile_address)
    assert fresh["X-Paradiplo-Cache"] == "miss" and "Synthetic Network after" in page_of(fresh)


@pytest.mark.usefixtures("in_cache")
def test_a_cache_without_the_version_reads_the_row_and_keeps_it(client, profile_address, django_assert_num_queries):
    client.get(profile_address)
    cache.delete(contentversion.cache_key())  # evicted, expired, or Redis restarted empty
    with django_assert_num_queries(ROW_QUERIES):
        assert client.get(profile_address)["X-Paradiplo-Cache"] == "hit"
    assert cache.get(contentversion.cache_key()) == contentversion.current()
    with django_assert_num_queries(SHARED_HIT_QUERIES):
        assert client.get(profile_address)["X-Paradiplo-Cache"] == "hit"


@pytest.mark.usefixtures("in_cache")
def test_a_reader_never_puts_back_a_version_older_than_a_committed_bump(monkeypatch):
    """A reader that found no copy reads the row, then offers it with add: a bump that committed
    in between has written its own token, which add does not replace."""
    cache.delete(contentversion.cache_key())
    read_row = contentversion.current

    def row_then_a_bump_commits():
        old = read_row()
        contentversion._store_new_token()  # another worker's bump: row, then cache
        return old

    monkeypatch.setattr(contentversion, "current", row_then_a_bump_commits)
    token, _entry = contentversion.current_and_cached(lambda token: f"synthetic-page:{token}")
    monkeypatch.undo()
    assert cache.get(contentversion.cache_key()) == contentversion.current() != token


@pytest.mark.usefixtures("in_cache")
def test_of_two_bumps_written_to_the_cache_out_of_order_the_later_token_stays():
    contentversion._store_new_token()
    earlier = contentversion.current()
    contentversion._store_new_token()  # the later bump commits and writes the cache first…
    later = contentversion.current()
    contentversion._publish(earlier)  # …then the earlier one writes its token
    assert cache.get(contentversion.cache_key()) == later


@pytest.mark.usefixtures("in_cache")
def test_a_bump_without_signals_shows_on_the_next_request(client, profile_address):
    assert "Synthetic Network bulk-updated" not in page_of(client.get(profile_address))
    Network.objects.filter(slug="synthetic-shared-version").update(name_en="Synthetic Network bulk-updated")
    assert "Synthetic Network bulk-updated" not in page_of(client.get(profile_address))  # no signal…
    contentversion.bump()  # …until the bulk writer says so
    assert "Synthetic Network bulk-updated" in page_of(client.get(profile_address))


@pytest.mark.usefixtures("in_cache")
def test_gzip_and_plain_clients_get_the_same_page_through_the_shared_version(client, profile_address):
    plain = page_of(client.get(profile_address))
    zipped = client.get(profile_address, HTTP_ACCEPT_ENCODING="gzip")
    assert zipped["X-Paradiplo-Cache"] == "hit" and zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content).decode() == plain


# Through HTTP on the real profile page ----------------------------------------------------------


def test_the_profile_goes_out_gzipped_and_revalidates_with_its_etag(client, profile_address):
    first = client.get(profile_address, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert first["X-Paradiplo-Cache"] == "miss" and first["Content-Encoding"] == "gzip"
    html = gzip.decompress(first.content).decode()
    assert "Synthetic Network before" in html
    hit = client.get(profile_address, HTTP_ACCEPT_ENCODING="gzip")
    assert hit["X-Paradiplo-Cache"] == "hit" and hit.content == first.content
    assert "Accept-Encoding" in hit["Vary"]
    assert int(hit["Content-Length"]) == len(hit.content) < len(html) / 3
    for etag in (hit["ETag"], hit["ETag"].removeprefix("W/")):
        revalidated = client.get(profile_address, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=etag)
        assert revalidated.status_code == 304
    plain = client.get(profile_address)
    assert not plain.has_header("Content-Encoding") and page_of(plain) == html
    assert client.get(profile_address, HTTP_IF_NONE_MATCH=plain["ETag"]).status_code == 304


def test_head_gets_the_headers_of_the_entry(client, profile_address):
    client.get(profile_address)
    head = client.head(profile_address, HTTP_ACCEPT_ENCODING="gzip")
    assert head.status_code == 200 and head["X-Paradiplo-Cache"] == "hit"
    assert head["Content-Encoding"] == "gzip" and head.content == b""
    plain = client.head(profile_address)
    assert plain.status_code == 200 and not plain.has_header("Content-Encoding")


def test_gzip_middleware_does_not_compress_a_cached_page_again(client, profile_address, settings):
    settings.MIDDLEWARE = ["django.middleware.gzip.GZipMiddleware", *settings.MIDDLEWARE]
    for expected in ("miss", "hit"):
        response = client.get(profile_address, HTTP_ACCEPT_ENCODING="gzip")
        assert response["X-Paradiplo-Cache"] == expected and response["Content-Encoding"] == "gzip"
        assert "Synthetic Network before" in gzip.decompress(response.content).decode()


# Through Redis --------------------------------------------------------------------------------


@pytest.fixture
def shared_redis(settings):
    settings.CACHES = redis_caches(require_shared_redis())
    yield
    cache.clear()  # only this test's prefix: Django's Redis clear() deletes the prefix's keys


@pytest.fixture
def network(transactional_db):
    network = NetworkFactory(slug="synthetic-redis-network", name_en="Synthetic Network before")
    MembershipFactory(network=network, city=CityFactory(country=CountryFactory()), start="2001")
    return network


def anonymous_page(address: str) -> str:
    return page_of(Client().get(address))


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_redis")
def test_through_redis_a_hit_runs_no_query_and_an_api_patch_shows_next(network, django_assert_num_queries):
    profile = url("network-detail", slug=network.slug)
    assert "(SYNTH)" not in anonymous_page(profile)
    with django_assert_num_queries(SHARED_HIT_QUERIES):
        assert Client().get(profile)["X-Paradiplo-Cache"] == "hit"
    curator = _superuser("synthetic-redis-curator")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    response = api.patch(f"/api/v1/networks/{network.slug}/", {"acronym": "SYNTH"}, format="json")
    assert response.status_code == 200, response.content
    assert "(SYNTH)" in anonymous_page(profile)


def _superuser(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_superuser(username, f"{username}@example.org", "pw")


EDIT_IN_ANOTHER_PROCESS = """
import sys
import paradiplo.settings.test as test_settings
test_settings.CACHES = {"default": {
    "BACKEND": "core.cache_backends.FailOpenRedisCache", "LOCATION": sys.argv[2], "KEY_PREFIX": sys.argv[3],
}}
import django
django.setup()
from networks.models import Network
network = Network.objects.get(pk=int(sys.argv[1]))
network.name_en = "Synthetic Network renamed by another process"
network.save()
"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("shared_redis")
def test_through_redis_an_edit_made_by_another_process_shows_on_the_next_request(network):
    address = database_url_for_another_process()
    profile = url("network-detail", slug=network.slug)
    assert "Synthetic Network before" in anonymous_page(profile)
    assert Client().get(profile)["X-Paradiplo-Cache"] == "hit"
    redis = settings.CACHES["default"]
    subprocess.run(
        [sys.executable, "-c", EDIT_IN_ANOTHER_PROCESS, str(network.pk), redis["LOCATION"], redis["KEY_PREFIX"]],
        env={**os.environ, "DATABASE_URL": address, "DJANGO_SETTINGS_MODULE": "paradiplo.settings.test"},
        cwd=Path(settings.BASE_DIR),
        check=True,
        capture_output=True,
    )
    assert "Synthetic Network renamed by another process" in anonymous_page(profile)


@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_are_served_uncached_and_fresh_never_a_500(network, settings):
    settings.CACHES = redis_caches(closed_redis_url())
    profile = url("network-detail", slug=network.slug)
    for _ in range(2):
        response = Client().get(profile, HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and response["X-Paradiplo-Cache"] == "miss"
    Network.objects.filter(pk=network.pk).update(name_en="Synthetic Network while Redis is down")
    contentversion.bump()
    assert "Synthetic Network while Redis is down" in anonymous_page(profile)


@pytest.mark.django_db(transaction=True)
def test_redis_stopping_mid_run_means_fresh_pages_never_a_500(network, settings):
    profile = url("network-detail", slug=network.slug)
    with own_redis_server() as (location, stop):
        settings.CACHES = redis_caches(location)
        assert "Synthetic Network before" in anonymous_page(profile)
        assert Client().get(profile)["X-Paradiplo-Cache"] == "hit"
        stop()
        network.name_en = "Synthetic Network edited while Redis was down"
        network.save()  # the bump cannot reach the cache
        assert "Synthetic Network edited while Redis was down" in anonymous_page(profile)


def test_two_databases_sharing_one_redis_keep_their_tokens_apart(settings):
    """The scale databases of the benchmarks (or a staging and a production site) may share one
    Redis and one key prefix: the copy of the token is kept per database."""
    first = contentversion.cache_key()
    database = settings.DATABASES["default"]
    settings.DATABASES = {**settings.DATABASES, "default": {**database, "NAME": f"{database['NAME']}-synthetic-other"}}
    assert contentversion.cache_key() != first
    assert contentversion.cache_key().startswith(contentversion.CACHE_KEY)
