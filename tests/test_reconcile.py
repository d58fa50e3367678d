"""The reconciliation service (``/api/reconcile/``, W3C Reconciliation Service API 0.2, as
OpenRefine 3.x speaks it) on the real data: every answer is validated against the protocol's
JSON schemas (tests/vendor/reconciliation/), Rosario with country AR is Rosario, Argentina (its
Wikidata QID beside it) and not the (synthetic) Rosario of Uruguay, accents and languages do not
matter, bad payloads are a 400 that says what is wrong, and a batch costs a fixed number of
queries per query whatever the data size."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.db import connection
from django.test import Client
from referencing import Registry, Resource

from cities.models import Country

from .factories import CityFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

ENDPOINT = "/api/reconcile/"
SCHEMAS = Path(__file__).parent / "vendor" / "reconciliation"


def validate(instance, schema_name: str):
    schema = json.loads((SCHEMAS / f"{schema_name}.json").read_text())
    registry = Registry().with_resource(schema["$id"], Resource.from_contents(schema))
    jsonschema.Draft7Validator(schema, registry=registry).validate(instance)
    return instance


def reconcile(client, queries: dict, **extra) -> dict:
    """POST a batch as OpenRefine does (form-encoded ``queries=<JSON>``); the validated results."""
    response = client.post(ENDPOINT, {"queries": json.dumps(validate(queries, "reconciliation-query-batch"))}, **extra)
    assert response.status_code == 200, response.content
    return validate(response.json(), "reconciliation-result-batch")


def ids(result: dict, key: str = "q0") -> list[str]:
    return [candidate["id"] for candidate in result[key]["result"]]


@pytest.fixture
def rosario_uy(db):
    """A second Rosario, in Uruguay (synthetic record): only the country tells them apart."""
    return CityFactory(slug="synthetic-rosario-uy", name_en="Rosario", country=Country.objects.get(code="UY"))


def test_a_plain_get_is_the_service_manifest(client):
    response = client.get(ENDPOINT, HTTP_ORIGIN="https://example.org")
    manifest = validate(response.json(), "manifest")
    assert manifest["versions"] == ["0.2"]
    assert manifest["name"] == "Paradiplo"
    assert manifest["identifierSpace"] == "http://testserver/api/v1/"
    assert [t["id"] for t in manifest["defaultTypes"]] == ["city", "network", "organization"]
    assert manifest["view"]["url"] == "http://testserver/api/reconcile/view/{{id}}"
    assert manifest["preview"]["url"] == "http://testserver/api/reconcile/preview/?id={{id}}"
    assert manifest["suggest"]["entity"]["service_path"] == "/api/reconcile/suggest/entity/"
    assert manifest["extend"]["propose_properties"]["service_path"] == "/api/reconcile/properties/"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_rosario_in_argentina_is_rosario_argentina_and_not_another_rosario(client, rosario_uy):
    query = {"q0": {"query": "Rosario", "type": "city", "properties": [{"pid": "country", "v": "AR"}]}}
    result = reconcile(client, query)
    first = result["q0"]["result"][0]
    assert first["id"] == "cities/rosario-ar"
    assert first["name"] == "Rosario"
    assert first["match"] is True and first["score"] == 100
    assert first["type"] == [{"id": "city", "name": "City"}]
    assert first["description"] == "City · Argentina · Wikidata Q52535"
    assert "cities/synthetic-rosario-uy" not in ids(result)


def test_without_a_country_two_rosarios_are_candidates_and_neither_is_a_sure_match(client, rosario_uy):
    result = reconcile(client, {"q0": {"query": "Rosario", "type": "city"}})
    assert ids(result)[:2] == ["cities/rosario-ar", "cities/synthetic-rosario-uy"]  # the larger first
    assert [candidate["match"] for candidate in result["q0"]["result"][:2]] == [False, False]


@pytest.mark.parametrize("country", ["AR", "ARG", "Argentina", "argentina", "Q414", ["AR"], {"id": "AR"}])
def test_the_country_is_a_code_a_name_or_a_qid(client, rosario_uy, country):
    argentina = Country.objects.get(code="AR")
    if country == "Q414" and argentina.wikidata_id != "Q414":
        pytest.skip("Argentina's QID is not recorded")
    query = {"q0": {"query": "rosario", "type": "city", "properties": [{"pid": "country", "v": country}]}}
    assert ids(reconcile(client, query)) == ["cities/rosario-ar"]


def test_accents_and_case_do_not_matter(client):
    result = reconcile(client, {"q0": {"query": "sao paulo", "type": "city"}, "q1": {"query": "ASUNCION"}})
    first = result["q0"]["result"][0]
    assert (first["id"], first["name"], first["match"]) == ("cities/sao-paulo-br", "São Paulo", True)
    assert "Wikidata Q174" in first["description"]
    assert ids(result, "q1")[0] == "cities/asuncion-py"


def test_names_in_spanish_portuguese_and_french(client):
    result = reconcile(
        client,
        {
            "es": {"query": "Ciudades y Gobiernos Locales Unidos", "type": "network"},
            "pt": {"query": "Rede Mercocidades", "type": "network"},
            "fr": {"query": "Cités et Gouvernements Locaux Unis"},
            "org": {
                "query": "Agencia Española de Cooperación Internacional para el Desarrollo",
                "type": "organization",
            },
        },
    )
    assert [ids(result, key)[0] for key in ("es", "pt", "fr", "org")] == [
        "networks/uclg",
        "networks/mercociudades",
        "networks/uclg",
        "organizations/aecid",
    ]
    assert all(result[key]["result"][0]["match"] for key in ("es", "pt", "fr", "org"))


def test_the_names_come_in_the_requested_language(client):
    result = reconcile(client, {"q0": {"query": "Mercocities", "type": "network"}}, HTTP_ACCEPT_LANGUAGE="es")
    assert result["q0"]["result"][0]["name"] == "Red de Mercociudades"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="misspellings are found on PostgreSQL only")
def test_a_misspelt_name_is_a_candidate_but_not_a_sure_match(client):
    result = reconcile(client, {"q0": {"query": "Montevidoe", "type": "city"}})
    first = result["q0"]["result"][0]
    assert first["id"] == "cities/montevideo-uy" and first["match"] is False and 60 < first["score"] < 100


def test_queries_as_a_json_body_and_by_get(client):
    batch = {"q0": {"query": "Rosario", "type": "city", "properties": [{"pid": "country", "v": "AR"}]}}
    as_json = client.post(ENDPOINT, json.dumps(batch), content_type="application/json")
    wrapped = client.post(ENDPOINT, json.dumps({"queries": batch}), content_type="application/json")
    by_get = client.get(ENDPOINT, {"queries": json.dumps(batch)})
    for response in (as_json, wrapped, by_get):
        assert response.status_code == 200, response.content
        assert ids(validate(response.json(), "reconciliation-result-batch"))[0] == "cities/rosario-ar"


def test_posts_need_no_csrf_token(real_data):
    client = Client(enforce_csrf_checks=True)
    response = client.post(ENDPOINT, {"queries": json.dumps({"q0": {"query": "Montevideo"}})})
    assert response.status_code == 200
    assert response.json()["q0"]["result"][0]["id"] == "cities/montevideo-uy"


def test_the_service_is_rate_limited_like_the_api(client, monkeypatch):
    from django.core.cache import cache
    from rest_framework.throttling import AnonRateThrottle

    cache.clear()
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute", "user": "2/minute"})
    batch = {"queries": json.dumps({"q0": {"query": "Montevideo"}})}
    statuses = [client.post(ENDPOINT, batch).status_code for _ in range(2)]
    statuses += [client.get("/api/reconcile/suggest/entity/", {"prefix": "mont"}).status_code]
    assert statuses == [200, 200, 429]
    assert int(client.get(ENDPOINT)["Retry-After"]) > 0
    cache.clear()


def test_a_cross_origin_json_post_is_allowed(client):
    preflight = client.options(
        ENDPOINT,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="content-type",
    )
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "POST" in preflight["Access-Control-Allow-Methods"]


@pytest.mark.parametrize(
    "data, attr, message",
    [
        ({"queries": "{not json"}, "queries", "“queries” is not valid JSON."),
        ({"queries": "[]"}, "queries", "“queries” must be a JSON object of queries"),
        ({"queries": '{"q0": 5}'}, "queries.q0", "Query “q0” must be a JSON object."),
        ({"queries": '{"q0": {"type": "city"}}'}, "queries.q0.query", "Query “q0” needs a non-empty “query” text."),
        ({"queries": '{"q0": {"query": "Rosario", "type": "river"}}'}, "queries.q0.type", "unknown type"),
        ({"queries": '{"q0": {"query": "Rosario", "limit": -1}}'}, "queries.q0.limit", "must be a positive number"),
        (
            {"queries": '{"q0": {"query": "Rosario", "properties": {"country": "AR"}}}'},
            "queries.q0.properties",
            "must be a list",
        ),
        ({"queries": json.dumps({"q0": {"query": "x" * 201}})}, "queries.q0.query", "at most 200 characters"),
        ({}, "queries", "Send “queries” (or “extend”) to reconcile."),
        ({"extend": '{"ids": ["rosario-ar"]}'}, "id", "is not a Paradiplo identifier"),
        (
            {"extend": '{"ids": ["cities/rosario-ar"], "properties": [{"id": "mayor"}]}'},
            "extend.properties",
            "Unknown property",
        ),
    ],
)
def test_a_bad_payload_is_a_400_that_says_what_is_wrong(client, data, attr, message):
    response = client.post(ENDPOINT, data)
    assert response.status_code == 400
    error = response.json()
    assert error["type"] == "validation_error"
    assert error["errors"][0]["attr"] == attr
    assert message in error["errors"][0]["detail"]


def test_a_malformed_json_body_is_a_400(client):
    response = client.post(ENDPOINT, "{", content_type="application/json")
    assert response.status_code == 400
    assert "JSON" in response.json()["errors"][0]["detail"]


def test_suggest_entities_as_they_are_typed(client):
    response = client.get("/api/reconcile/suggest/entity/", {"prefix": "montevi"})
    result = validate(response.json(), "suggest-entities-response")["result"]
    assert result[0]["id"] == "cities/montevideo-uy"
    assert result[0]["notable"] == [{"id": "city", "name": "City"}]
    networks = client.get("/api/reconcile/suggest/entity/", {"prefix": "merco", "type": "network"}).json()
    assert [item["id"] for item in validate(networks, "suggest-entities-response")["result"]] == [
        "networks/mercociudades"
    ]
    assert client.get("/api/reconcile/suggest/entity/", {"prefix": "x", "type": "river"}).status_code == 400


def test_the_preview_is_a_small_page_that_openrefine_may_frame(client):
    response = client.get("/api/reconcile/preview/", {"id": "cities/rosario-ar"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Rosario" in page and "Argentina" in page
    assert 'href="https://www.wikidata.org/wiki/Q52535"' in page
    assert 'href="/en/cities/rosario-ar/"' in page
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    assert "<script" not in page
    assert client.get("/api/reconcile/preview/", {"id": "cities/no-such-city"}).status_code == 404
    assert client.get("/api/reconcile/preview/", {"id": "rosario"}).status_code == 400


def test_the_view_url_leads_to_the_public_page(client):
    response = client.get("/api/reconcile/view/cities/rosario-ar")
    assert response.status_code == 302 and response["Location"] == "/en/cities/rosario-ar/"
    assert client.get("/api/reconcile/view/networks/mercociudades")["Location"] == "/en/networks/mercociudades/"
    assert client.get("/api/reconcile/view/cities/no-such-city").status_code == 404


def test_the_data_extension_gives_wikidata_and_other_identifiers(client):
    proposed = client.get("/api/reconcile/properties/", {"type": "city"}).json()
    validate(proposed, "propose-properties-response")
    assert {"wikidata", "country", "geonames_id", "networks"} <= {p["id"] for p in proposed["properties"]}
    request = {
        "ids": ["cities/rosario-ar", "networks/mercociudades", "cities/no-such-city"],
        "properties": [{"id": "wikidata"}, {"id": "country"}, {"id": "geonames_id"}, {"id": "networks"}, {"id": "url"}],
    }
    response = client.post(ENDPOINT, {"extend": json.dumps(request)})
    extension = validate(response.json(), "data-extension-response")
    assert [m["id"] for m in extension["meta"]] == ["wikidata", "country", "geonames_id", "networks", "url"]
    rosario = extension["rows"]["cities/rosario-ar"]
    assert rosario["wikidata"] == [{"str": "Q52535"}]
    assert rosario["country"] == [{"str": "AR"}]
    assert rosario["geonames_id"] == [{"str": "3838583"}]
    assert {"id": "networks/mercociudades", "name": "Mercocities (Mercosur Cities Network)"} in rosario["networks"]
    assert rosario["url"] == [{"str": "http://testserver/en/cities/rosario-ar/"}]
    assert extension["rows"]["networks/mercociudades"]["country"] == []  # not a property of networks
    assert extension["rows"]["cities/no-such-city"]["wikidata"] == []


# Per batch: the countries (1, when a query names one), then per query its candidates (1), and
# per type among the candidates their Wikidata QIDs (1 for cities).
def batch_queries(size: int) -> int:
    return 1 + size + 1


def test_a_batch_runs_a_fixed_number_of_queries_per_query(client, django_assert_num_queries):
    batch = {
        f"q{n}": {"query": name, "type": "city", "properties": [{"pid": "country", "v": "AR"}]}
        for n, name in enumerate(["Rosario", "Buenos Aires", "Córdoba"])
    }
    with django_assert_num_queries(batch_queries(3)):
        small = client.post(ENDPOINT, {"queries": json.dumps(batch)}).json()
    argentina = Country.objects.get(code="AR")
    for n in range(40):
        CityFactory(slug=f"synthetic-rosario-{n}", name_en=f"Rosario {n}", country=argentina)
    with django_assert_num_queries(batch_queries(3)):
        large = client.post(ENDPOINT, {"queries": json.dumps(batch)}).json()
    assert ids(small)[0] == ids(large)[0] == "cities/rosario-ar"
    assert len(large["q0"]["result"]) == 5 > len(small["q0"]["result"])
