"""Every CSV download is written by core.exports: text that a spreadsheet would run as a formula
comes out neutralised in the list pages' CSV, the API's ?format=csv and the admin's export
action alike, while numbers keep their sign. The API's exports are readable (citations as text,
booleans, partial dates at their precision, nested records as dotted columns), streamed a batch
of rows at a time, and never end cleanly when they fail half way."""

import csv
import datetime
import http.client
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from core.api import views as api_views
from core.exports import cell, csv_line
from core.partialdates import PartialDate
from networks.models import Membership

from .factories import CityFactory, CountryFactory, MembershipFactory, NetworkFactory, SourceFactory
from .helpers import body, csv_rows, csv_text, url
from .servers import free_port, wait_for_port

FORMULA = '=HYPERLINK("http://example.org","click")'
GUARDED = "'" + FORMULA


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("=1+2", "'=1+2"),
        ("+A1", "'+A1"),
        ("-A1", "'-A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("-34.90328", "-34.90328"),
        ("+5", "+5"),
        ("Montevideo", "Montevideo"),
        (-34.9, "-34.9"),
        (True, "true"),
        (False, "false"),
        (None, ""),
        (PartialDate(2003, 5), "2003-05"),
        (datetime.date(2003, 5, 11), "2003-05-11"),
    ],
)
def test_a_cell_is_text_a_spreadsheet_does_not_run(value, text):
    assert cell(value) == text


def test_a_line_quotes_as_rfc_4180_says():
    assert csv_line(['a "b", c', None, True]) == '"a ""b"", c",,true\r\n'


@pytest.fixture
def formula_city(db):
    return CityFactory(name_en=FORMULA, country=CountryFactory(code="XQ"), latitude="-34.90328")


def test_the_city_index_download_guards_formulas(client, formula_city):
    rows = csv_rows(client.get(url("city-list"), {"format": "csv", "country": "XQ"}))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["name"] == GUARDED and row["latitude"] == "-34.90328"


def test_the_api_download_guards_formulas(api, formula_city):
    response = api.get("/api/v1/cities/", {"format": "csv", "country": "XQ"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    [row] = csv.DictReader(io.StringIO(csv_text(response)))
    assert row["name"] == GUARDED and row["latitude"] == "-34.90328"


def test_the_api_renders_a_single_record_as_csv_the_same_way(api, formula_city):
    response = api.get(f"/api/v1/cities/{formula_city.slug}/", {"format": "csv"})
    [row] = csv.DictReader(io.StringIO(csv_text(response)))
    assert row["name"] == GUARDED


def test_the_admin_export_guards_formulas(superuser_client, formula_city):
    response = superuser_client.post(
        reverse("admin:cities_city_changelist"), {"action": "export_csv", "_selected_action": [formula_city.pk]}
    )
    [row] = csv.DictReader(io.StringIO(csv_text(response)))
    assert row["name_en"] == GUARDED and row["latitude"] == "-34.90328"


# The API's CSV is readable ------------------------------------------------------------------------


@pytest.fixture
def cited_membership(db):
    """A synthetic founding membership since May 2003, citing two synthetic sources (one at a
    page)."""
    network = NetworkFactory(slug="synthetic-net", name_en="Synthetic network")
    city = CityFactory(slug="synthetic-city-xq", name_en="Synthetic city", country=CountryFactory(code="XQ"))
    membership = MembershipFactory(network=network, city=city, start="2003-05", founding=True)
    citations = Membership._meta.get_field("citations").related_model
    citations.objects.create(record=membership, source=SourceFactory(title="Synthetic report"), locator="p. 5")
    citations.objects.create(record=membership, source=SourceFactory(title="Synthetic list"))
    return membership


def test_the_api_csv_writes_citations_booleans_and_dates_as_text(api, cited_membership):
    response = api.get("/api/v1/memberships/", {"format": "csv", "network": "synthetic-net"})
    [row] = csv.DictReader(io.StringIO(csv_text(response)))
    assert row["citations"] == "Synthetic report (p. 5); Synthetic list"
    assert row["founding"] == "true"
    assert row["start"] == "2003-05" and row["start_precision"] == "month"
    assert row["end"] == "" and row["admitted_at.key"] == ""
    assert row["network.key"] == "synthetic-net" and row["city.name"] == "Synthetic city"
    assert row["city.country"] == "XQ" and row["city.latitude"] == "-34.9"
    assert row["key"] == "synthetic-net~synthetic-city-xq~2003-05"
    assert datetime.datetime.fromisoformat(row["updated_at"]).tzinfo is not None


def test_a_single_record_as_csv_has_the_columns_of_the_exports(api, cited_membership):
    listed = api.get("/api/v1/memberships/", {"format": "csv", "network": "synthetic-net"})
    single = api.get(
        f"/api/v1/memberships/{cited_membership.natural_key()[0]}~synthetic-city-xq~2003-05/", {"format": "csv"}
    )
    assert single.status_code == 200
    assert csv_rows(single) == csv_rows(listed)


def test_the_api_csv_has_the_same_columns_whatever_the_data(api, cited_membership):
    full = api.get("/api/v1/memberships/", {"format": "csv", "network": "synthetic-net"})
    empty = api.get("/api/v1/memberships/", {"format": "csv", "network": "synthetic-net", "at": "1900"})
    [header, _row] = csv_rows(full)
    assert csv_rows(empty) == [header]


# Streamed, a batch at a time ------------------------------------------------------------------------


def test_an_export_reads_its_rows_a_batch_at_a_time(api, db, monkeypatch, django_assert_num_queries):
    """The rows are read in batches (EXPORT_CHUNK), each batch's citations by one query: the
    number of citation queries follows the number of batches, never one per row nor one for
    the whole list."""
    monkeypatch.setattr(api_views, "EXPORT_CHUNK", 2)
    country = CountryFactory(code="XQ")
    cities = [CityFactory(country=country) for _ in range(5)]
    for city in cities:
        city.citations.create(source=SourceFactory())
    # the country of the filter, the rows (one query, read a batch at a time), and the
    # citations of each batch of two (three batches)
    with django_assert_num_queries(2 + 3):
        response = api.get("/api/v1/cities/", {"format": "csv", "country": "XQ"})
        assert response.streaming
        rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    assert sorted(row["slug"] for row in rows) == sorted(city.slug for city in cities)
    assert all(row["citations"] for row in rows)


# Never cut short behind a 200 ---------------------------------------------------------------------

MARKER = "Synthetic city where the export fails"


@pytest.fixture
def failing_city(db, monkeypatch):
    """Three synthetic cities; writing the one named MARKER fails, as a lost database would."""
    country = CountryFactory(code="XQ")
    for name in ("Synthetic city A", MARKER, "Synthetic city Z"):
        CityFactory(country=country, name_en=name)

    def failing(value):
        if value == MARKER:
            raise RuntimeError("synthetic failure half way through an export")
        return cell(value)

    monkeypatch.setattr("core.exports.cell", failing)
    # GeoJSON features are written as JSON text straight from the rows (core.api.values): fail
    # on the chunk that holds the marked city.
    original_features = api_views.RecordViewSet.geojson_features

    def failing_features(self, queryset):
        for chunk in original_features(self, queryset):
            if MARKER in chunk:
                raise RuntimeError("synthetic failure half way through an export")
            yield chunk

    monkeypatch.setattr(api_views.RecordViewSet, "geojson_features", failing_features)


@pytest.mark.parametrize("fmt", ["csv", "geojson"])
def test_a_failure_half_way_through_an_export_is_raised_not_swallowed(api, failing_city, fmt):
    response = api.get("/api/v1/cities/", {"format": fmt, "country": "XQ"})
    assert response.status_code == 200 and response.streaming and not response.has_header("Content-Length")
    with pytest.raises(RuntimeError, match="synthetic failure"):
        b"".join(response.streaming_content)


def serve_failing_exports(tmp_path):
    """gunicorn (the project's configuration) serving tests/wsgi_failing_export.py."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "GUNICORN_", "PARADIPLO_"))}
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "paradiplo.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
        }
    )
    environment.pop("REDIS_URL", None)
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "-c",
        "paradiplo/gunicorn.conf.py",
        "tests.wsgi_failing_export:application",
    ]
    log = open(tmp_path / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process below
    process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=environment, stdout=log, stderr=log)
    return port, process, log


def test_a_client_of_gunicorn_sees_an_export_that_failed_half_way_as_incomplete(tmp_path):
    """Under gunicorn, an export that fails after its first blocks were sent ends without the
    last chunk of its chunked body: the client gets an error (IncompleteRead), where a complete
    export reads to its end."""
    port, process, log = serve_failing_exports(tmp_path)
    try:
        wait_for_port(port, process)
        answers = {}
        for failure in ("0", "1"):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            connection.request("GET", f"/api/v1/sources/?format=csv&synthetic_failure={failure}")
            response = connection.getresponse()
            assert response.status == 200
            assert response.getheader("Transfer-Encoding") == "chunked"
            try:
                answers[failure] = response.read()
            except http.client.IncompleteRead as error:
                answers[failure] = error
            connection.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
    complete, failed = answers["0"], answers["1"]
    assert isinstance(complete, bytes) and complete.count(b"\r\n") == 20_001
    assert isinstance(failed, http.client.IncompleteRead), (tmp_path / "gunicorn.log").read_text()[-2000:]
    assert len(failed.partial) > 0  # blocks had been sent before the failure
    assert "synthetic failure" in (tmp_path / "gunicorn.log").read_text()


def test_a_geojson_export_is_one_feature_collection(api, db):
    country = CountryFactory(code="XQ")
    for _ in range(3):
        CityFactory(country=country)
    collection = json.loads(body(api.get("/api/v1/cities/", {"format": "geojson", "country": "XQ"})))
    assert collection["type"] == "FeatureCollection" and len(collection["features"]) == 3
    assert {feature["geometry"]["coordinates"][1] for feature in collection["features"]} == {-34.9}
