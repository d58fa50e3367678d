"""The dataset as one JSON-LD document in the shape of Popolo (https://www.popoloproject.com/):
``areas`` (countries), ``organizations`` (networks, their governing bodies and thematic units,
cities, other organizations), ``posts`` (the roles of each network, body or unit) and
``memberships`` (cities' memberships of networks, and the offices cities held, as memberships
holding a post), each with its period (``start_date``, ``end_date``: partial ISO dates) and its
sources.

Identifiers are the records' addresses in the API (``/api/v1/networks/mercociudades/``), paths
relative to the site that serves the release; the ``@context`` maps the Popolo terms to the W3C
Organization Ontology and schema.org. Written as it is read, one record at a time; the citations
of each kind of record are read first (one query each).
"""

from __future__ import annotations

import json
from collections import defaultdict
from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from django.utils.translation import override

from cities.models import City, CityLevel, Country
from core import licence
from networks.models import GoverningBody, Membership, Network, Office, Role, ThematicUnit
from projects.models import Organization
from sources.models import Source

from .tables import CHUNK

ORDER = ["en", *settings.MODELTRANSLATION_FALLBACK_LANGUAGES["en"]]
LANGUAGES = [code for code, _name in settings.LANGUAGES]

CONTEXT = {
    "org": "http://www.w3.org/ns/org#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "id": "@id",
    "type": "@type",
    "Organization": "org:Organization",
    "Membership": "org:Membership",
    "Post": "org:Post",
    "Area": "dcterms:Location",
    "name": "skos:prefLabel",
    "classification": "org:classification",
    "parent_id": {"@id": "org:subOrganizationOf", "@type": "@id"},
    "area_id": {"@id": "dcterms:spatial", "@type": "@id"},
    "organization_id": {"@id": "org:organization", "@type": "@id"},
    "post_id": {"@id": "org:post", "@type": "@id"},
    "member": {"@id": "org:member"},
    "role": "org:role",
    "label": "skos:prefLabel",
    "founding_date": "schema:foundingDate",
    "dissolution_date": "schema:dissolutionDate",
    "start_date": "schema:startDate",
    "end_date": "schema:endDate",
    "sources": {"@id": "dcterms:source"},
    "url": {"@id": "schema:url", "@type": "@id"},
    "note": "skos:note",
}

LEVELS = {
    CityLevel.LOCAL: "local government",
    CityLevel.METROPOLITAN: "metropolitan government",
    CityLevel.INTERMEDIATE: "intermediate government",
}


def _address(basename: str):
    """``key -> the record's API path`` for one resource, built from one reverse()."""
    placeholder = "KEYPLACEHOLDER"
    template = reverse(f"api:{basename}-detail", kwargs={"key": placeholder})
    return lambda key: template.replace(placeholder, quote(str(key), safe="~"))


def _date(value) -> str | None:
    return value.isoformat() if value is not None else None


def _first(values: dict) -> str | None:
    for code in ORDER:
        if values.get(code):
            return values[code]
    return None


def _i18n(row: dict, field: str) -> dict:
    return {code: row[f"{field}_{code}"] or None for code in LANGUAGES}


def _clean(data: dict) -> dict:
    """The record without empty members (Popolo leaves unknown properties out)."""
    return {name: value for name, value in data.items() if value not in (None, "", [], {})}


class _Sources:
    """Each record's sources as Popolo link objects, read per model (one query per model)."""

    def __init__(self, using: str):
        self.using = using
        source_address = _address("source")
        self.links = {}
        for key, title, url, doi in Source.objects.using(using).values_list("key", "title", "url", "doi"):
            link = {"id": source_address(key), "note": title}
            if url or doi:
                link["url"] = url or f"https://doi.org/{doi}"
            self.links[key] = link

    def of(self, model) -> dict[int, list[dict]]:
        citation_model = model._meta.get_field("citations").related_model
        cited = defaultdict(list)
        rows = (
            citation_model.objects.using(self.using)
            .order_by("record_id", "source__key")
            .values_list("record_id", "source__key", "locator")
        )
        for record_id, source, locator in rows.iterator(chunk_size=CHUNK):
            link = self.links[source]
            cited[record_id].append({**link, "note": f"{link['note']}, {locator}"} if locator else link)
        return cited


def _values(model, using: str, *fields: str, order=("pk",)):
    return model.objects.using(using).order_by(*order).values(*fields).iterator(chunk_size=CHUNK)


def _names(field: str = "name") -> list[str]:
    return [f"{field}_{code}" for code in LANGUAGES]


def areas(using: str, sources: _Sources):
    address, cited = _address("country"), sources.of(Country)
    for row in _values(Country, using, "pk", "code", "wikidata_id", *_names(), order=("code",)):
        names = _i18n(row, "name")
        yield _clean(
            {
                "id": address(row["code"]),
                "type": "Area",
                "name": _first(names),
                "name_i18n": names,
                "classification": "country",
                "identifiers": _identifiers(("iso3166-1", row["code"]), ("wikidata", row["wikidata_id"])),
                "sources": cited.get(row["pk"]),
            }
        )


def _identifiers(*pairs) -> list[dict]:
    return [{"scheme": scheme, "identifier": str(value)} for scheme, value in pairs if value]


def organizations(using: str, sources: _Sources):
    network, city, country = _address("network"), _address("city"), _address("country")
    cited = sources.of(Network)
    fields = ("pk", "slug", "acronym", "founded", "dissolved", "parent__slug", "wikidata_id", "website", "scope")
    for row in _values(Network, using, *fields, *_names(), order=("slug",)):
        names = _i18n(row, "name")
        yield _clean(
            {
                "id": network(row["slug"]),
                "type": "Organization",
                "name": _first(names),
                "name_i18n": names,
                "other_names": [{"name": row["acronym"], "note": "acronym"}] if row["acronym"] else [],
                "classification": f"{row['scope']} network",
                "founding_date": _date(row["founded"]),
                "dissolution_date": _date(row["dissolved"]),
                "parent_id": network(row["parent__slug"]) if row["parent__slug"] else None,
                "identifiers": _identifiers(("paradiplo", row["slug"]), ("wikidata", row["wikidata_id"])),
                "links": [{"url": row["website"], "note": "website"}] if row["website"] else [],
                "sources": cited.get(row["pk"]),
            }
        )
    for model, basename, classification in (
        (GoverningBody, "governing-body", "governing body"),
        (ThematicUnit, "thematic-unit", "thematic unit"),
    ):
        address, cited = _address(basename), sources.of(model)
        fields = ("pk", "key", "network__slug", "slug", "start", "end", "kind")
        for row in _values(model, using, *fields, *_names(), order=("network__slug", "slug")):
            names = _i18n(row, "name")
            yield _clean(
                {
                    "id": address(row["key"]),
                    "type": "Organization",
                    "name": _first(names),
                    "name_i18n": names,
                    "classification": classification,
                    "parent_id": network(row["network__slug"]),
                    "founding_date": _date(row["start"]),
                    "dissolution_date": _date(row["end"]),
                    "sources": cited.get(row["pk"]),
                }
            )
    cited = sources.of(City)
    fields = ("pk", "slug", "native_name", "level", "country__code", "wikidata_id", "geonames_id", "website")
    for row in _values(City, using, *fields, *_names(), order=("slug",)):
        names = _i18n(row, "name")
        yield _clean(
            {
                "id": city(row["slug"]),
                "type": "Organization",
                "name": _first(names) or row["native_name"],
                "name_i18n": names,
                "other_names": [{"name": row["native_name"], "note": "official name"}] if row["native_name"] else [],
                "classification": LEVELS.get(row["level"], row["level"]),
                "area_id": country(row["country__code"]) if row["country__code"] else None,
                "identifiers": _identifiers(
                    ("paradiplo", row["slug"]), ("wikidata", row["wikidata_id"]), ("geonames", row["geonames_id"])
                ),
                "links": [{"url": row["website"], "note": "website"}] if row["website"] else [],
                "sources": cited.get(row["pk"]),
            }
        )
    address, cited = _address("organization"), sources.of(Organization)
    for row in _values(Organization, using, "pk", "slug", "kind", "country__code", "website", *_names()):
        names = _i18n(row, "name")
        yield _clean(
            {
                "id": address(row["slug"]),
                "type": "Organization",
                "name": _first(names),
                "name_i18n": names,
                "classification": row["kind"],
                "area_id": country(row["country__code"]) if row["country__code"] else None,
                "identifiers": _identifiers(("paradiplo", row["slug"])),
                "links": [{"url": row["website"], "note": "website"}] if row["website"] else [],
                "sources": cited.get(row["pk"]),
            }
        )


def _post_holder(row: dict) -> tuple[str, str]:
    """The organization an office belongs to (its thematic unit, else its body, else its network)
    and the post's identifier within it."""
    if row["thematic_unit__slug"]:
        organization = _address("thematic-unit")(row["thematic_unit__key"])
    elif row["body__slug"]:
        organization = _address("governing-body")(row["body__key"])
    else:
        organization = _address("network")(row["network__slug"])
    post = f"{organization}#post-{row['role']}"
    title = _first(_i18n(row, "title"))
    if title:
        post = f"{post}-{quote(title.casefold().replace(' ', '-'), safe='')}"
    return organization, post


POST_FIELDS = (
    "network__slug",
    "thematic_unit__slug",
    "body__slug",
    "role",
    *_names("title"),
    "thematic_unit__key",
    "body__key",
)


def posts(using: str):
    with override("en"):
        roles = {value: str(label) for value, label in Role.choices}
    seen = set()
    rows = Office.objects.using(using).order_by(*POST_FIELDS).values(*POST_FIELDS).distinct()
    for row in rows.iterator(chunk_size=CHUNK):
        organization, post = _post_holder(row)
        if post in seen:
            continue
        seen.add(post)
        yield {
            "id": post,
            "type": "Post",
            "label": _first(_i18n(row, "title")) or roles[row["role"]],
            "role": roles[row["role"]],
            "organization_id": organization,
        }


def memberships(using: str, sources: _Sources):
    network, city = _address("network"), _address("city")
    address, cited = _address("membership"), sources.of(Membership)
    fields = ("pk", "key", "network__slug", "city__slug", "start", "end", "first_attested", "category", "founding")
    for row in _values(Membership, using, *fields, "certainty", order=("network__slug", "city__slug", "start", "pk")):
        yield _clean(
            {
                "id": address(row["key"]),
                "type": "Membership",
                "organization_id": network(row["network__slug"]),
                "member": {"type": "Organization", "id": city(row["city__slug"])},
                "role": "member",
                "category": row["category"],
                "founding": row["founding"],
                "start_date": _date(row["start"]),
                "end_date": _date(row["end"]),
                "first_attested": _date(row["first_attested"]),
                "certainty": row["certainty"],
                "sources": cited.get(row["pk"]),
            }
        )
    with override("en"):
        roles = {value: str(label) for value, label in Role.choices}
    address, cited = _address("office"), sources.of(Office)
    fields = ("pk", "key", *POST_FIELDS, "city__slug", "start", "end", "person", "certainty")
    order = ("network__slug", "role", "city__slug", "thematic_unit__slug", "start", "pk")
    for row in _values(Office, using, *fields, order=order):
        organization, post = _post_holder(row)
        yield _clean(
            {
                "id": address(row["key"]),
                "type": "Membership",
                "organization_id": organization,
                "post_id": post,
                "member": {"type": "Organization", "id": city(row["city__slug"])},
                "role": roles[row["role"]],
                "person": row["person"],
                "start_date": _date(row["start"]),
                "end_date": _date(row["end"]),
                "certainty": row["certainty"],
                "sources": cited.get(row["pk"]),
            }
        )


def write(path, *, release_date, using: str) -> None:
    """Write the document to ``path``, one record per line inside its list."""
    sources = _Sources(using)
    header = {
        "@context": CONTEXT,
        "title": f"Paradiplo dataset, release {release_date.isoformat()}",
        "version": release_date.isoformat(),
        "license": licence.URL,
        "attribution": licence.ATTRIBUTION,
    }
    sections = (
        ("areas", areas(using, sources)),
        ("organizations", organizations(using, sources)),
        ("posts", posts(using)),
        ("memberships", memberships(using, sources)),
    )
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(header, ensure_ascii=False, indent=1)[:-2])
        for name, records in sections:
            out.write(f',\n "{name}": [')
            for number, record in enumerate(records):
                out.write(("," if number else "") + "\n  " + json.dumps(record, ensure_ascii=False, sort_keys=False))
            out.write("\n ]")
        out.write("\n}\n")
