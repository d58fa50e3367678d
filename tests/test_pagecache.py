"""Cached pages and API answers (core.pagecache): what is cached and under which key, with
throwaway views; then, through HTTP on the real pages, that every way of changing the content
(the admin, the API, the member import, fixture loads, a save in code, another process) shows
on the very next request."""

import gzip
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connections
from django.http import HttpResponse, StreamingHttpResponse
from django.test import RequestFactory
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.test import APIClient, APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from cities.models import City
from core import contentversion, pagecache
from core.loading import load_fixtures
from networks.models import Network

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory
from .helpers import database_url_for_another_process, page_of, url

pytestmark = pytest.mark.django_db

# A cache hit reads the content version, nothing else.
HIT_QUERIES = 1


# Throwaway views -------------------------------------------------------------------------------


class Counter:
    """A view that says how many times it ran, in which language, for which query string."""

    def __init__(self, respond=None):
        self.calls = 0
        self.respond = respond

    def __call__(self, request):
        self.calls += 1
        if self.respond:
            return self.respond(request)
        return HttpResponse(f"{self.calls} {translation.get_language()} {request.GET.urlencode()}")


@pytest.fixture
def rf():
    return RequestFactory()


def get(view, rf, path="/en/page/", language="en", **extra):
    with translation.override(language):
        return view(rf.get(path, **extra))


def test_an_anonymous_get_is_served_from_the_cache_until_the_content_changes(rf):
    counter = Counter()
    view = pagecache.cached_page(counter)
    first = get(view, rf)
    assert first["X-Paradiplo-Cache"] == "miss"
    again = get(view, rf)
    assert again["X-Paradiplo-Cache"] == "hit" and again.content == first.content
    assert counter.calls == 1
    NetworkFactory()  # any change to the content
    assert get(view, rf)["X-Paradiplo-Cache"] == "miss" and counter.calls == 2


def test_a_cache_hit_reads_only_the_content_version(rf, django_assert_num_queries):
    view = pagecache.cached_page(Counter())
    get(view, rf)
    with django_assert_num_queries(HIT_QUERIES):
        assert get(view, rf)["X-Paradiplo-Cache"] == "hit"


def test_languages_query_strings_and_hosts_are_cached_apart(rf):
    counter = Counter()
    view = pagecache.cached_page(counter)
    english = get(view, rf, "/page/")
    spanish = get(view, rf, "/page/", language="es")
    page_two = get(view, rf, "/page/?page=2")
    filtered = get(view, rf, "/page/?country=UY")
    other_host = get(view, rf, "/page/", HTTP_HOST="localhost")
    assert counter.calls == 5
    assert spanish.content == b"2 es " and page_two.content == b"3 en page=2" and filtered.content == b"4 en country=UY"
    assert get(view, rf, "/page/?country=UY").content == filtered.content
    assert get(view, rf, "/page/", language="es").content == spanish.content
    assert get(view, rf, "/page/").content == english.content
    assert get(view, rf, "/page/", HTTP_HOST="localhost").content == other_host.content
    assert counter.calls == 5


def test_the_date_is_part_of_the_key_as_pages_count_todays_members(rf, monkeypatch):
    import datetime

    counter = Counter()
    view = pagecache.cached_page(counter)
    get(view, rf)
    monkeypatch.setattr(pagecache.timezone, "localdate", lambda: datetime.date(2999, 1, 1))
    get(view, rf)
    assert counter.calls == 2


@pytest.mark.parametrize(
    "respond",
    [
        lambda request: HttpResponse("missing", status=404),
        lambda request: HttpResponse("moved", status=302),
        lambda request: StreamingHttpResponse(iter([b"a", b"b"])),
        lambda request: HttpResponse("private", headers={"Cache-Control": "private"}),
    ],
    ids=["404", "302", "streamed", "private"],
)
def test_responses_that_are_not_plain_200s_are_not_cached(rf, respond):
    counter = Counter(respond)
    view = pagecache.cached_page(counter)
    get(view, rf)
    get(view, rf)
    assert counter.calls == 2


def test_a_response_that_sets_a_cookie_is_not_cached(rf):
    def respond(request):
        response = HttpResponse("with a cookie")
        response.set_cookie("choice", "1")
        return response

    counter = Counter(respond)
    view = pagecache.cached_page(counter)
    get(view, rf)
    get(view, rf)
    assert counter.calls == 2


def test_a_page_that_used_the_csp_nonce_is_not_cached(rf):
    """django-csp names the request's nonce in the header only when the page used it: a hit,
    with a header made afresh, would carry a nonce its header does not allow."""
    nonces = CSPMiddleware(lambda request: None)

    def respond(request):
        return HttpResponse(f'<script nonce="{request.csp_nonce}">start()</script>')

    def get_with_a_nonce():
        request = rf.get("/en/page/")
        nonces.process_request(request)
        with translation.override("en"):
            response = nonces.process_response(request, view(request))
        return response

    counter = Counter(respond)
    view = pagecache.cached_page(counter)
    first, second = get_with_a_nonce(), get_with_a_nonce()
    assert counter.calls == 2
    for response in (first, second):
        nonce = response.content.decode().split('nonce="')[1].split('"')[0]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
    assert first.content != second.content


def test_signed_in_visitors_and_writes_are_never_served_from_the_cache(rf):
    counter = Counter()
    view = pagecache.cached_page(counter)
    get(view, rf)  # cached for anonymous visitors
    signed_in = rf.get("/en/page/")
    signed_in.COOKIES[settings.SESSION_COOKIE_NAME] = "a-session"
    with translation.override("en"):
        assert "X-Paradiplo-Cache" not in view(signed_in)
        assert view(rf.post("/en/page/")).content == b"3 en "
    assert counter.calls == 3


def test_head_is_answered_from_the_get_entry_and_never_stores_one(rf):
    counter = Counter()
    view = pagecache.cached_page(counter)
    with translation.override("en"):
        view(rf.head("/en/page/"))
        assert view(rf.get("/en/page/"))["X-Paradiplo-Cache"] == "miss"
        assert view(rf.head("/en/page/"))["X-Paradiplo-Cache"] == "hit"
    assert counter.calls == 2


def test_zero_seconds_turns_the_cache_off_and_reads_no_version(rf, settings, django_assert_num_queries):
    settings.PARADIPLO_PAGE_CACHE_SECONDS = 0
    counter = Counter()
    view = pagecache.cached_page(counter)
    with django_assert_num_queries(0):
        get(view, rf)
        response = get(view, rf)
    assert counter.calls == 2 and "X-Paradiplo-Cache" not in response


def test_a_miss_is_rendered_with_the_reads_on_the_primary_and_a_hit_reads_nothing_else(rf, settings):
    """With read replicas a replica may lag behind the version read from the primary: the
    project's router pins the rest of a miss's request to the primary (the setting's hook)."""
    from paradiplo import db_routers

    settings.PARADIPLO_PAGE_CACHE_ON_MISS = "paradiplo.db_routers.pin_to_primary"
    seen = []

    def respond(request):
        seen.append(db_routers.pinned_to_primary())
        return HttpResponse("rendered")

    view = pagecache.cached_page(Counter(respond))
    try:
        db_routers.unpin()
        get(view, rf)
        assert seen == [True]
        db_routers.unpin()  # the next request starts unpinned
        assert get(view, rf)["X-Paradiplo-Cache"] == "hit" and not db_routers.pinned_to_primary()
    finally:
        db_routers.unpin()


def test_an_entry_is_gzipped_once_and_served_as_stored_to_clients_that_take_gzip(rf):
    big = json.dumps({"features": [{"name": f"Synthetic point {n}"} for n in range(500)]})
    counter = Counter(lambda request: HttpResponse(big, content_type="application/geo+json"))
    view = pagecache.cached_page(compress=True)(counter)
    zipped = get(view, rf, HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert zipped["X-Paradiplo-Cache"] == "miss" and zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"] and zipped["ETag"].startswith('W/"')
    assert gzip.decompress(zipped.content).decode() == big and len(zipped.content) < len(big) / 5
    again = get(view, rf, HTTP_ACCEPT_ENCODING="gzip")
    assert again["X-Paradiplo-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
    assert again.content == zipped.content and again["Content-Type"] == "application/geo+json"
    assert again["ETag"] == zipped["ETag"] and "Accept-Encoding" in again["Vary"]
    assert counter.calls == 1


def test_a_client_that_does_not_take_gzip_gets_the_entry_decompressed(rf):
    big = "<p>Synthetic page</p>" * 200
    counter = Counter(lambda request: HttpResponse(big))
    view = pagecache.cached_page(counter)
    zipped = get(view, rf, HTTP_ACCEPT_ENCODING="gzip")
    for accept in ({}, {"HTTP_ACCEPT_ENCODING": "identity"}, {"HTTP_ACCEPT_ENCODING": "br, deflate"}):
        plain = get(view, rf, **accept)
        assert plain["X-Paradiplo-Cache"] == "hit" and not plain.has_header("Content-Encoding")
        assert plain.content.decode() == big and "Accept-Encoding" in plain["Vary"]
        assert not plain["ETag"].startswith("W/") and zipped["ETag"] == f"W/{plain['ETag']}"
    assert counter.calls == 1  # one entry, whatever the client accepts


def test_a_small_response_is_stored_and_served_as_it_is(rf):
    view = pagecache.cached_page(Counter())
    get(view, rf, HTTP_ACCEPT_ENCODING="gzip")
    small = get(view, rf, HTTP_ACCEPT_ENCODING="gzip")
    assert small["X-Paradiplo-Cache"] == "hit" and not small.has_header("Content-Encoding")
    assert small.content == b"1 en "


def test_a_response_encoded_by_the_view_is_not_cached(rf):
    body = gzip.compress(b"<p>already gzipped</p>" * 50)
    counter = Counter(lambda request: HttpResponse(body, headers={"Content-Encoding": "gzip"}))
    view = pagecache.cached_page(counter)
    get(view, rf, HTTP_ACCEPT_ENCODING="gzip")
    assert get(view, rf, HTTP_ACCEPT_ENCODING="gzip").content == body
    assert counter.calls == 2


# The API decorator, on a throwaway aggregate endpoint ------------------------------------------


class ThrowawayStats(APIView):
    """An aggregate endpoint: counts the networks (a query), says how many times it ran."""

    permission_classes = [AllowAny]
    throttle_classes = []
    calls = 0

    @pagecache.cached_api
    def get(self, request):
        type(self).calls += 1
        return Response({"networks": Network.objects.count(), "calls": type(self).calls})


@pytest.fixture
def stats():
    ThrowawayStats.calls = 0
    return ThrowawayStats.as_view()


def api_get(view, path="/api/v1/throwaway-stats/", user=None, **extra):
    request = APIRequestFactory().get(path, **extra)
    if user is not None:
        force_authenticate(request, user=user)
    response = view(request)
    if hasattr(response, "render"):  # a hit is a plain response, rendered already
        response.render()
    return response


def test_an_aggregate_endpoint_is_computed_once_per_content_version(stats, django_assert_num_queries):
    networks = Network.objects.count()  # the real data may be loaded by another test of this worker
    first = api_get(stats)
    assert json.loads(first.content) == {"networks": networks, "calls": 1}
    assert first["X-Paradiplo-Cache"] == "miss"
    with django_assert_num_queries(HIT_QUERIES):
        again = api_get(stats)
    assert again.content == first.content and again["Content-Type"] == first["Content-Type"]
    assert again["X-Paradiplo-Cache"] == "hit" and "Accept" in again["Vary"]
    NetworkFactory()
    assert json.loads(api_get(stats).content) == {"networks": networks + 1, "calls": 2}


def test_each_format_and_query_string_of_the_api_is_cached_apart(stats):
    as_json = api_get(stats)
    as_html = api_get(stats, HTTP_ACCEPT="text/html")
    filtered = api_get(stats, "/api/v1/throwaway-stats/?at=2020")
    assert ThrowawayStats.calls == 3
    assert as_json["Content-Type"].startswith("application/json")
    assert as_html["Content-Type"].startswith("text/html")
    assert json.loads(filtered.content)["calls"] == 3


def test_the_api_is_not_cached_for_signed_in_users(stats, django_user_model):
    user = django_user_model.objects.create_user("synthetic-api-user")
    api_get(stats, user=user)
    response = api_get(stats, user=user)
    assert ThrowawayStats.calls == 2 and "X-Paradiplo-Cache" not in response


# Every way of changing the content shows on the very next request ------------------------------
# Transactional: each change commits, as in production, so the content version changes on commit.


def anonymous_page(address: str) -> str:
    from django.test import Client

    return page_of(Client().get(address))


@pytest.fixture
def network(transactional_db):
    country = CountryFactory()
    network = NetworkFactory(name_en="Synthetic Network before", name_es="Red sintética antes")
    for _ in range(3):
        MembershipFactory(network=network, city=CityFactory(country=country), start="2001")
    return network


@pytest.mark.django_db(transaction=True)
def test_english_and_spanish_pages_are_cached_apart(network):
    english = anonymous_page(url("network-detail", slug=network.slug))
    spanish = anonymous_page(url("network-detail", "es", slug=network.slug))
    assert "Synthetic Network before" in english and "Red sintética antes" in spanish
    assert "Red sintética antes" in anonymous_page(url("network-detail", "es", slug=network.slug))


@pytest.mark.django_db(transaction=True)
def test_an_edit_in_the_admin_shows_on_the_next_request(network, client, django_user_model):
    city = City.objects.filter(memberships__network=network).first()
    before = anonymous_page(url("city-list"))
    assert str(city) in before
    staff = django_user_model.objects.create_superuser("synthetic-curator", "curator@example.org", "pw")
    client.force_login(staff)
    form = {
        "slug": city.slug,
        "name_en": "Synthetic City renamed in the admin",
        "level": city.level,
        "country": city.country_id,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "citations-TOTAL_FORMS": "0",
        "citations-INITIAL_FORMS": "0",
    }
    response = client.post(f"/admin/cities/city/{city.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "Synthetic City renamed in the admin" in anonymous_page(url("city-list"))
    assert "Synthetic City renamed in the admin" in anonymous_page(url("network-detail", slug=network.slug))


@pytest.mark.django_db(transaction=True)
def test_an_api_patch_with_a_token_shows_on_the_next_request(network):
    profile = url("network-detail", slug=network.slug)
    assert "(SYNTH)" not in anonymous_page(profile)
    curator = get_user_model().objects.create_superuser("synthetic-api-curator", "api@example.org", "pw")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=curator).key}")
    response = api.patch(f"/api/v1/networks/{network.slug}/", {"acronym": "SYNTH"}, format="json")
    assert response.status_code == 200, response.content
    assert "(SYNTH)" in anonymous_page(profile)


@pytest.mark.django_db(transaction=True)
def test_a_member_import_shows_on_the_next_request(network, tmp_path):
    members = url("network-members", slug=network.slug)
    assert "Synthetic Town imported" not in anonymous_page(members)
    country = City.objects.filter(memberships__network=network).first().country
    path = tmp_path / "members.csv"
    path.write_text(
        "city,country,latitude,longitude,joined,source_url\n"
        f"Synthetic Town imported,{country.code},-30.5,-60.25,2010,https://example.org/synthetic-members\n"
    )
    call_command("import_members", network.slug, str(path), stdout=io.StringIO())
    assert "Synthetic Town imported" in anonymous_page(members)
    assert "4 members recorded" in anonymous_page(url("network-detail", slug=network.slug))


@pytest.mark.django_db(transaction=True)
def test_a_fixture_loaded_by_the_loader_shows_on_the_next_request(network, tmp_path):
    fixture = tmp_path / "synthetic.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "networks.network",
                    "pk": network.pk,
                    "fields": {**network_fields(network), "name_en": "Synthetic Network loaded from a fixture"},
                }
            ]
        )
    )
    assert "Synthetic Network before" in anonymous_page(url("network-list"))
    report = load_fixtures([fixture])
    assert report.changed == 1
    assert "Synthetic Network loaded from a fixture" in anonymous_page(url("network-list"))
    before = contentversion.current()
    assert load_fixtures([fixture]).changed == 0
    assert contentversion.current() == before  # an idempotent reload keeps the cached pages


def network_fields(network) -> dict:
    from django.core import serializers

    return json.loads(serializers.serialize("json", [network]))[0]["fields"]


@pytest.mark.django_db(transaction=True)
def test_load_real_data_shows_on_the_next_request():
    assert "Mercociudades" not in anonymous_page(url("network-list"))
    call_command("load_real_data", verbosity=0)
    assert "Mercociudades" in anonymous_page(url("network-list"))


@pytest.mark.django_db(transaction=True)
def test_loaddata_shows_on_the_next_request(network, tmp_path):
    fixture = tmp_path / "synthetic.json"
    fields = {**network_fields(network), "name_en": "Synthetic Network from loaddata"}
    fixture.write_text(json.dumps([{"model": "networks.network", "pk": network.pk, "fields": fields}]))
    assert "Synthetic Network before" in anonymous_page(url("network-list"))
    call_command("loaddata", str(fixture), verbosity=0)
    assert "Synthetic Network from loaddata" in anonymous_page(url("network-list"))


@pytest.mark.django_db(transaction=True)
def test_a_save_in_code_and_a_bulk_update_with_bump_show_on_the_next_request(network):
    profile = url("network-detail", slug=network.slug)
    assert "Synthetic Network before" in anonymous_page(profile)
    network.name_en = "Synthetic Network saved"
    network.save()
    assert "Synthetic Network saved" in anonymous_page(profile)
    Network.objects.filter(pk=network.pk).update(name_en="Synthetic Network bulk-updated")
    assert "Synthetic Network saved" in anonymous_page(profile)  # no signal, no new version…
    contentversion.bump()  # …until the bulk writer says so
    assert "Synthetic Network bulk-updated" in anonymous_page(profile)


@pytest.mark.django_db(transaction=True)
def test_an_edit_committed_through_another_connection_shows_on_the_next_request(network):
    """Another worker (its own connection, its own local-memory cache) edits; this one's next
    request sees it, because the version is read from the database, not from a cache."""
    profile = url("network-detail", slug=network.slug)
    assert "Synthetic Network before" in anonymous_page(profile)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("UPDATE networks_network SET name_en = %s WHERE id = %s", ["Synthetic other", network.pk])
            cursor.execute("UPDATE core_contentversion SET token = %s WHERE id = 1", ["a-token-from-another-worker"])
        if not other.get_autocommit():
            other.commit()
    finally:
        other.close()
    assert "Synthetic other" in anonymous_page(profile)


EDIT_IN_ANOTHER_PROCESS = """
import django, sys
django.setup()
from networks.models import Network
network = Network.objects.get(pk=int(sys.argv[1]))
network.name_en = "Synthetic Network renamed by another process"
network.save()
"""


@pytest.mark.django_db(transaction=True)
def test_an_edit_made_by_another_process_shows_on_the_next_request(network):
    address = database_url_for_another_process()
    profile = url("network-detail", slug=network.slug)
    assert "Synthetic Network before" in anonymous_page(profile)
    subprocess.run(
        [sys.executable, "-c", EDIT_IN_ANOTHER_PROCESS, str(network.pk)],
        env={**os.environ, "DATABASE_URL": address, "DJANGO_SETTINGS_MODULE": "paradiplo.settings.test"},
        cwd=Path(settings.BASE_DIR),
        check=True,
        capture_output=True,
    )
    assert "Synthetic Network renamed by another process" in anonymous_page(profile)


def test_a_hit_keeps_its_etag_so_a_revalidation_gets_a_304(client, django_assert_num_queries):
    NetworkFactory(slug="synthetic-etag-network")
    address = url("network-detail", slug="synthetic-etag-network")
    first = client.get(address)
    assert first.has_header("ETag")
    with django_assert_num_queries(HIT_QUERIES):
        again = client.get(address)
    with django_assert_num_queries(HIT_QUERIES):
        revalidated = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again["X-Paradiplo-Cache"] == "hit" and again["ETag"] == first["ETag"]
    assert revalidated.status_code == 304


# Every cached page, on the real data -----------------------------------------------------------

CACHED_PAGES = [
    ("home", {}),
    ("network-list", {}),
    ("network-detail", {"slug": "mercociudades"}),
    ("network-members", {"slug": "mercociudades"}),
    ("network-members-geojson", {"slug": "mercociudades"}),
    ("summit-list", {}),
    ("city-list", {}),
    ("country-list", {}),
    ("bloc-list", {}),
    ("project-list", {}),
    ("organization-list", {}),
    ("sdg-list", {}),
    ("source-list", {}),
]


@pytest.mark.usefixtures("real_data")
@pytest.mark.parametrize("name, kwargs", CACHED_PAGES, ids=[name for name, _ in CACHED_PAGES])
def test_every_cached_page_is_served_again_for_the_version_read_alone(client, django_assert_num_queries, name, kwargs):
    address = url(name, **kwargs)
    first = client.get(address)
    assert first.status_code == 200 and first["X-Paradiplo-Cache"] == "miss"
    with django_assert_num_queries(HIT_QUERIES):
        again = client.get(address)
    assert again["X-Paradiplo-Cache"] == "hit" and again.content == first.content


@pytest.mark.usefixtures("real_data")
def test_filters_and_page_numbers_of_a_list_are_cached_apart(client):
    address = url("city-list")
    uruguay = (("country", "UY"),)
    pages = {params: page_of(client.get(address, dict(params))) for params in [(), (("page", "2"),), uruguay]}
    assert len(set(pages.values())) == 3
    assert "Montevideo" in pages[uruguay] and "Tokyo" not in pages[uruguay]
    for params, page in pages.items():
        again = client.get(address, dict(params))
        assert again["X-Paradiplo-Cache"] == "hit" and again.content.decode() == page
