"""The GeoJSON export written straight from the rows (core.api.values.ValuesPlan.geojson) is, byte
for byte, the GeoJSON of the records' data as plain DRF gives it, on unusual synthetic records
too: no coordinates, no country, keys that need quoting, a name in French only, quotes and
control characters in names, citations."""

import json

import pytest

from .helpers import body
from .test_api_performance import plain_drf

pytestmark = pytest.mark.django_db


@pytest.fixture
def unusual_cities():
    from cities.models import City

    from .factories import CityFactory, CountryFactory

    country = CountryFactory(code="XQ")
    CityFactory(slug="synthetic-french-xq", name_en=None, name_fr="Ville synthétique", country=country)
    CityFactory(slug="synthétique-ü-xq", name_en='Synthetic "quoted" \\ name\ttab', country=country)
    CityFactory(slug="..", name_en="Synthetic dot-dot key", country=country)
    CityFactory(slug="synthetic 50% key?#", name_en="Synthetic quoted key", country=country)
    CityFactory(slug="synthetic-nowhere-xq", name_en="Synthetic city without coordinates", country=country)
    City.objects.filter(slug="synthetic-nowhere-xq").update(latitude=None, longitude=None)
    CityFactory(slug="synthetic-no-country", name_en="Synthetic city without country", country=None)


@pytest.mark.usefixtures("unusual_cities")
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("params", [{"country": "XQ"}, {"q": "synthetic"}, {}], ids=["country", "search", "all"])
def test_the_geojson_written_from_the_rows_is_plain_drfs_byte_for_byte(api, monkeypatch, language, params):
    params = {**params, "format": "geojson", "lang": language}
    fast = api.get("/api/v1/cities/", params)
    with plain_drf(monkeypatch):
        plain = api.get("/api/v1/cities/", params)
    assert fast.status_code == plain.status_code == 200
    fast_body = body(fast)
    assert fast_body == body(plain)
    features = json.loads(fast_body)["features"]
    assert features, params
    by_id = {feature["id"]: feature for feature in features}
    if "q" not in params:
        assert by_id["synthetic-nowhere-xq"]["geometry"] is None
        located = by_id["synthetic-french-xq"]["geometry"]
        assert located["type"] == "Point" and len(located["coordinates"]) == 2


@pytest.mark.usefixtures("real_data")
def test_real_cities_with_their_citations_come_out_as_plain_drf_gives_them(api, monkeypatch):
    params = {"format": "geojson", "country": "UY"}
    fast = body(api.get("/api/v1/cities/", params))
    with plain_drf(monkeypatch):
        plain = body(api.get("/api/v1/cities/", params))
    assert fast == plain
    features = json.loads(fast)["features"]
    assert any(feature["properties"]["citations"] for feature in features)
    assert any(feature["properties"]["name"] == "Montevideo" for feature in features)
