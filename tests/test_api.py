"""The REST API v1 through HTTP, against facts from the real data."""

import csv
import io
import json

import pytest
from django.contrib.auth.models import Permission
from drf_spectacular.validation import validate_schema
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from cities.models import City

from .factories import MembershipFactory, OfficeFactory, SourceFactory, SummitFactory, TwinningFactory
from .facts import MERCOCIUDADES_FOUNDERS as FOUNDERS
from .helpers import csv_text, get_counting_queries, openapi_document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


# The queries of each list endpoint, whatever its page size and the number of rows: the content
# version (the key of the cached count), the rows and one per prefetched relation (none when a
# page is empty); plus COUNT_QUERY when the count of that filter is not cached yet for that
# content version (core.api.pagination).
COUNT_QUERY = 1
LIST_QUERIES = {
    "networks": 5,  # + the latest reported figures and their sources (coverage, #11)
    "cities": 3,
    "countries": 3,
    "regional-blocs": 4,
    "memberships": 3,
    "governing-bodies": 3,
    "thematic-units": 3,
    "offices": 3,
    "summits": 3,
    "organizations": 3,
    "programmes": 3,
    "projects": 6,
    "sdgs": 3,
    "sources": 2,
    "twinnings": 3,
    "membership-figures": 4,
}
LIST_ENDPOINTS = list(LIST_QUERIES)


def get_json(api, url, **params):
    response = api.get(url, params)
    assert response.status_code == 200, response.content[:500]
    return response.json()


def all_results(api, url, **params):
    data = get_json(api, url, page_size=500, **params)
    return data["results"]


# Memberships and the "at" semantics ------------------------------------------------------


def test_members_on_the_founding_day_are_the_12_founders(api):
    rows = all_results(api, "/api/v1/memberships/", network="mercociudades", at="1995-11-11")
    assert {row["city"]["key"] for row in rows} == FOUNDERS
    assert all(row["founding"] and row["start"] == "1995-11-11" and row["start_precision"] == "day" for row in rows)


def test_nobody_was_a_member_before_the_network_existed(api):
    assert get_json(api, "/api/v1/memberships/", network="mercociudades", at="1994-01-01")["count"] == 0


@pytest.mark.parametrize("network", ["c40", "mercociudades"])
def test_members_at_today_are_the_current_members_undated_evidence_included(api, network):
    """A membership known only as "a member now" (no start, no attestation date) is in force
    today, as on the profile, but not on a past date."""
    import datetime

    from networks.models import Membership

    today = datetime.date.today()
    current = Membership.objects.filter(network__slug=network).current()
    undated = current.filter(start__isnull=True, first_attested__isnull=True)
    assert get_json(api, "/api/v1/memberships/", network=network, at=today.isoformat())["count"] == current.count()
    assert get_json(api, "/api/v1/memberships/", network=network, at=str(today.year))["count"] >= current.count()
    last_year = today.replace(year=today.year - 1, month=12, day=31)
    at_last_year = get_json(api, "/api/v1/memberships/", network=network, at=last_year.isoformat())["count"]
    assert at_last_year == Membership.objects.filter(network__slug=network).as_of(last_year).count()
    if network == "c40":
        assert undated.exists(), "C40's current list is undated evidence in the fixtures"
        assert at_last_year < current.count()


def test_at_accepts_a_year_meaning_any_time_that_year(api):
    keys = {row["city"]["key"] for row in all_results(api, "/api/v1/memberships/", network="mercociudades", at="1995")}
    assert FOUNDERS <= keys


def test_membership_filters_by_country_and_founding(api):
    rows = all_results(api, "/api/v1/memberships/", network="mercociudades", country="UY", founding="true")
    assert [row["city"]["key"] for row in rows] == ["montevideo-uy"]


def test_membership_detail_by_its_stable_key(api):
    data = get_json(api, "/api/v1/memberships/mercociudades~montevideo-uy~1995-11-11/")
    assert data["city"]["name"] == "Montevideo" and data["citations"]
    assert data["admitted_at"]["number"] == 1


def test_cities_that_were_members_on_a_date(api):
    rows = all_results(api, "/api/v1/cities/", network="mercociudades", member_at="1995-11-11")
    assert {row["slug"] for row in rows} == FOUNDERS


# Languages -------------------------------------------------------------------------------


def test_lang_picks_the_language_of_translated_fields(api):
    response = api.get("/api/v1/networks/mercociudades/", {"lang": "es"})
    assert response.json()["name"] == "Red de Mercociudades"
    assert response["Content-Language"] == "es"


def test_a_missing_translation_falls_back_and_i18n_says_so(api):
    response = api.get("/api/v1/networks/mercociudades/", {"lang": "fr"})
    data = response.json()
    assert response["Content-Language"] == "fr"
    assert data["name_i18n"]["fr"] is None
    assert data["name"] == data["name_i18n"]["en"]  # French falls back to English first
    assert data["name_i18n"]["pt"] == "Rede Mercocidades"


def test_accept_language_picks_the_language_too(api):
    response = api.get("/api/v1/networks/mercociudades/", HTTP_ACCEPT_LANGUAGE="pt-BR,pt;q=0.9")
    assert response.json()["name"] == "Rede Mercocidades"
    assert response["Content-Language"] == "pt"


def test_an_unknown_language_is_a_400(api):
    response = api.get("/api/v1/networks/", {"lang": "de"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "lang"


# Formats ---------------------------------------------------------------------------------


def test_csv_export_has_stable_columns_and_every_filtered_row(api):
    response = api.get("/api/v1/cities/", {"format": "csv", "country": "UY"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    assert len(rows) == City.objects.filter(country__code="UY").count()
    montevideo = next(row for row in rows if row["slug"] == "montevideo-uy")
    assert montevideo["country.key"] == "UY" and montevideo["latitude"] == "-34.90328"
    assert {"key", "url", "name", "name_i18n.es", "latitude", "longitude", "country.name"} <= set(rows[0])


def test_csv_by_accept_header(api):
    response = api.get("/api/v1/memberships/", {"network": "mercociudades", "founding": "true"}, HTTP_ACCEPT="text/csv")
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    assert {row["city.key"] for row in rows} == FOUNDERS


def test_geojson_is_a_feature_collection_with_lon_lat_points(api):
    response = api.get("/api/v1/cities/", {"format": "geojson", "country": "UY"})
    assert response["Content-Type"].startswith("application/geo+json")
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["type"] == "FeatureCollection"
    montevideo = next(f for f in collection["features"] if f["properties"]["slug"] == "montevideo-uy")
    assert montevideo["geometry"] == {"type": "Point", "coordinates": [-56.18816, -34.90328]}


def test_geojson_of_members_and_summits(api):
    members = json.loads(
        b"".join(
            api.get(
                "/api/v1/memberships/", {"format": "geojson", "network": "mercociudades", "at": "1995-11-11"}
            ).streaming_content
        )
    )
    assert len(members["features"]) == 12
    assert all(f["geometry"]["type"] == "Point" for f in members["features"])
    summits = json.loads(
        b"".join(api.get("/api/v1/summits/", {"format": "geojson", "network": "mercociudades"}).streaming_content)
    )
    first = next(f for f in summits["features"] if f["properties"]["number"] == 1)
    assert first["geometry"]["coordinates"] == [-57.647, -25.28646]


# Aggregates ------------------------------------------------------------------------------


def test_members_by_country_on_the_founding_day(api):
    data = get_json(api, "/api/v1/networks/mercociudades/members-by-country/", at="1995-11-11")
    counts = {row["country"]["code"]: row["members"] for row in data["countries"]}
    assert counts == {"AR": 4, "BR": 6, "PY": 1, "UY": 1} and data["members"] == 12
    assert next(row["share"] for row in data["countries"] if row["country"]["code"] == "BR") == 0.5


def test_growth_shows_recorded_members_beside_reported_figures(api):
    years = {row["year"]: row for row in get_json(api, "/api/v1/networks/mercociudades/growth/")["years"]}
    assert years[1995]["recorded_members"] == 12
    assert any(figure["members"] == 366 for figure in years[2022]["reported"])


def test_offices_held_by_a_city_across_networks(api):
    rows = get_json(api, "/api/v1/cities/tandil-ar/offices/")
    assert any(row["role"] == "president" and row["person"] == "Miguel Lunghi" for row in rows)


# Pagination and sync ---------------------------------------------------------------------


def test_page_size_is_capped_and_validated(api):
    assert len(get_json(api, "/api/v1/cities/", page_size=7)["results"]) == 7
    for bad in ["-1", "0", "501", "abc"]:
        response = api.get("/api/v1/cities/", {"page_size": bad})
        assert response.status_code == 400, bad
        assert response.json()["errors"][0]["attr"] == "page_size"


def test_cursor_mode_walks_everything_once(api):
    seen, url = [], "/api/v1/sdgs/?mode=cursor&page_size=5"
    while url:
        data = api.get(url).json()
        seen += [row["number"] for row in data["results"]]
        url = data["next"]
    assert sorted(seen) == list(range(1, 18))


def test_updated_since_returns_only_what_changed(api):
    latest = max(row["updated_at"] for row in all_results(api, "/api/v1/sdgs/"))
    assert get_json(api, "/api/v1/sdgs/", updated_since=latest)["results"]
    city = City.objects.get(slug="montevideo-uy")
    city.population = city.population  # a save bumps updated_at
    city.save()
    rows = get_json(api, "/api/v1/cities/", updated_since=city.updated_at.isoformat())["results"]
    assert [row["slug"] for row in rows] == ["montevideo-uy"]


# Errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "attr"),
    [
        ("/api/v1/memberships/", {"at": "1995-13-01"}, "at"),
        ("/api/v1/memberships/", {"network": "no-such-network"}, "network"),
        ("/api/v1/cities/", {"country": "ZZZ"}, "country"),
        ("/api/v1/cities/", {"q": "x" * 10_000}, "q"),
        ("/api/v1/summits/", {"year_from": "nineteen"}, "year_from"),
        ("/api/v1/projects/", {"status": "lost"}, "status"),
    ],
)
def test_bad_filter_values_get_a_400_naming_the_parameter(api, url, params, attr):
    response = api.get(url, params)
    assert response.status_code == 400
    body = response.json()
    assert body["type"] == "validation_error"
    assert body["errors"][0]["attr"] == attr and body["errors"][0]["code"] and body["errors"][0]["detail"]


def test_an_unknown_key_is_a_404_in_the_same_error_shape(api):
    response = api.get("/api/v1/networks/no-such-network/")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


# Access ----------------------------------------------------------------------------------


def test_anonymous_writes_are_refused(api):
    response = api.post("/api/v1/cities/", {"slug": "x-uy", "name": "X", "country": "UY"}, format="json")
    assert response.status_code in (401, 403)


@pytest.fixture
def token_client(django_user_model):
    from networks.models import Network, NetworkEditor

    user = django_user_model.objects.create_user("partner", password="a-long-password-1")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_city", "change_city"]))
    NetworkEditor.objects.create(user=user, network=Network.objects.get(slug="mercociudades"))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_a_token_with_permission_creates_a_record_that_the_next_get_shows(api, token_client):
    response = token_client.post(
        "/api/v1/cities/",
        {
            "slug": "ciudad-de-prueba-uy",
            "name_i18n": {"es": "Ciudad de prueba"},
            "country": "UY",
            "latitude": "-34.5",
            "longitude": "-56.1",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    data = get_json(api, "/api/v1/cities/ciudad-de-prueba-uy/")
    assert data["name_i18n"]["es"] == "Ciudad de prueba" and data["country"]["key"] == "UY"


def test_api_writes_are_validated_by_the_model(token_client):
    response = token_client.post(
        "/api/v1/cities/",
        {"slug": "bad-uy", "name": "Bad", "country": "UY", "latitude": "95", "longitude": "0"},
        format="json",
    )
    assert response.status_code == 400
    assert "latitude" in json.dumps(response.json())


def test_a_token_without_permission_cannot_write(django_user_model):
    user = django_user_model.objects.create_user("reader", password="a-long-password-1")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    response = client.post("/api/v1/cities/", {"slug": "x-uy", "name": "X", "country": "UY"}, format="json")
    assert response.status_code == 403


# HTTP caching, CORS, throttling ----------------------------------------------------------


def test_conditional_requests_answer_304(api):
    first = api.get("/api/v1/networks/mercociudades/")
    # ETags only: a Last-Modified would miss deletions and nested changes (tests/test_sync.py).
    assert first["ETag"] and not first.has_header("Last-Modified")
    assert api.get("/api/v1/networks/mercociudades/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    listing = api.get("/api/v1/networks/")
    assert api.get("/api/v1/networks/", HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304


def test_cross_origin_reads_are_allowed(api):
    response = api.get("/api/v1/networks/", HTTP_ORIGIN="https://observatory.example.org")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_rate_limits_answer_429_with_retry_after(api, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute", "user": "3/minute"})
    statuses = [api.get("/api/v1/sdgs/").status_code for _ in range(4)]
    assert statuses[:3] == [200, 200, 200] and statuses[3] == 429
    response = api.get("/api/v1/sdgs/")
    assert int(response["Retry-After"]) > 0
    cache.clear()


# Documentation ---------------------------------------------------------------------------


def test_schema_validates_without_warnings():
    # What `manage.py spectacular --validate --fail-on-warn` checks, on the document built once.
    document, reported = openapi_document()
    assert reported == {"warnings": {}, "errors": {}}
    validate_schema(document)  # raises on a document that is not valid OpenAPI 3


def test_docs_render_from_vendored_assets(api):
    for url in ["/api/docs/", "/api/redoc/"]:
        page = api.get(url).content.decode()
        assert "/static/drf_spectacular_sidecar/" in page, url
        assert "cdn." not in page and "unpkg" not in page, url


# Speed -----------------------------------------------------------------------------------


@pytest.mark.parametrize("resource", LIST_ENDPOINTS)
def test_each_list_runs_a_fixed_number_of_queries(api, resource, django_assert_num_queries):
    address, queries = f"/api/v1/{resource}/", LIST_QUERIES[resource]
    TwinningFactory()  # the real data records none yet
    responses = []
    for size in (5, 100):
        if size == 100:
            for _ in range(10):
                MembershipFactory()
                OfficeFactory()
                SummitFactory()
                TwinningFactory()
        cold = get_counting_queries(api, django_assert_num_queries, queries + COUNT_QUERY, address, {"page_size": size})
        warm = get_counting_queries(api, django_assert_num_queries, queries, address, {"page_size": size})
        assert cold.status_code == warm.status_code == 200
        assert cold.json()["count"] == warm.json()["count"]
        responses.append(warm.json())
    small, large = responses
    assert large["count"] >= small["count"] and (resource not in GROWING or large["count"] == small["count"] + 10)


# The resources that the test above grows by ten rows.
GROWING = {"memberships", "offices", "summits", "twinnings"}


@pytest.mark.parametrize("resource", LIST_ENDPOINTS)
def test_every_resource_lists_details_and_exports(api, resource, django_assert_max_num_queries):
    if resource == "twinnings":  # the real data holds none yet: a synthetic one, for this test only
        from cities.models import Twinning

        twinning = Twinning.objects.create(
            city_a=City.objects.get(slug="montevideo-uy"),
            city_b=City.objects.get(slug="rosario-ar"),
            notes="Synthetic test record",
        )
        twinning.citations.create(source=SourceFactory())
    listing = get_json(api, f"/api/v1/{resource}/")
    assert listing["results"], resource
    first = listing["results"][0]
    with django_assert_max_num_queries(10):
        detail = api.get(first["url"])
    assert detail.status_code == 200 and detail.json()["key"] == first["key"]
    assert "created_at" in first and "updated_at" in first
    exported = api.get(f"/api/v1/{resource}/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(csv_text(exported))))
    assert len(rows) == listing["count"]
    assert rows[0]["key"] == first["key"]


def test_ordering_by_name_follows_the_language(api):
    english = [row["key"] for row in all_results(api, "/api/v1/networks/", ordering="name", parent="", lang="en")]
    spanish = [row["key"] for row in all_results(api, "/api/v1/networks/", ordering="name", lang="es")]
    assert english.index("mercociudades") < english.index("metropolis")  # "Mercocities" < "Metropolis"
    assert spanish.index("uclg") < spanish.index("mercociudades")  # "Ciudades y Gobiernos…" < "Red de…"


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        # Found by the fuzz run on PostgreSQL, which refuses what SQLite silently accepts.
        ("/api/v1/sdgs/", {"updated_since": "0368-10-25T14:38:11.2+17:46"}, 200),
        ("/api/v1/sdgs/", {"updated_since": "0001-01-01T00:00:00+01:00"}, 400),
        ("/api/v1/sdgs/99999999999999/", {}, 404),
        ("/api/v1/projects/", {"sdg": "99999999999999"}, 400),
    ],
)
def test_values_the_database_cannot_hold_are_client_errors(api, url, params, expected):
    assert api.get(url, params).status_code == expected
