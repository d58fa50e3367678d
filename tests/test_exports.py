"""Every CSV download is written by core.exports: text that a spreadsheet would run as a formula
comes out neutralised in the list pages' CSV, the API's ?format=csv and the admin's export
action alike, while numbers keep their sign."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from core.exports import cell, csv_line
from core.partialdates import PartialDate

from .factories import CityFactory, CountryFactory
from .helpers import body, csv_rows, url

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
    [row] = csv.DictReader(io.StringIO(body(response)))
    assert row["name"] == GUARDED and row["latitude"] == "-34.90328"


def test_the_api_renders_a_single_record_as_csv_the_same_way(api, formula_city):
    response = api.get(f"/api/v1/cities/{formula_city.slug}/", {"format": "csv"})
    [row] = csv.DictReader(io.StringIO(body(response)))
    assert row["name"] == GUARDED


def test_the_admin_export_guards_formulas(superuser_client, formula_city):
    response = superuser_client.post(
        reverse("admin:cities_city_changelist"), {"action": "export_csv", "_selected_action": [formula_city.pk]}
    )
    [row] = csv.DictReader(io.StringIO(body(response)))
    assert row["name_en"] == GUARDED and row["latitude"] == "-34.90328"
