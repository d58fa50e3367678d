"""Reconciliation against Paradiplo: the W3C Reconciliation Service API, version 0.2 (the
protocol OpenRefine 3.x speaks), for cities, networks and organizations.

A researcher with a column of names (in English, Spanish, Portuguese or French, with or without
accents, misspelt on PostgreSQL) gets back Paradiplo's identifiers and, through the data
extension, the Wikidata QIDs and other facts Paradiplo holds. The matching is the search app's
(:func:`search.services.match` over the search index), restricted to the requested types and,
with a ``country`` property, to that country.

- **Identifiers** are the records' API paths under ``/api/v1/``: ``cities/rosario-ar``,
  ``networks/mercociudades``, ``organizations/aecid`` (the manifest's ``identifierSpace`` is the
  API root, so identifier space + identifier is the record's API address).
- **Candidates** carry ``id``, ``name`` (in the request's language, with fallbacks), ``type``,
  ``score`` (100 for a name written exactly as one of the record's names, accents and case
  aside; otherwise how close the query is to the closest name, 0–99), ``match`` (true when the
  name is exact and no other candidate's is), a ``description`` ("City · Argentina · Wikidata
  Q52535") and ``features``.
- **Properties** of a query: ``country`` (or Wikidata's ``P17``): an ISO 3166-1 code (alpha-2
  or alpha-3), a country's name in any of the four languages, or its Wikidata QID. Cities and
  organizations of other countries are left out (networks are not placed in a country); a
  country that Paradiplo does not know leaves the query unrestricted, and each candidate's
  ``country`` feature says whether it is in the country given. Other properties are ignored.

Everything here reads; the view (:mod:`search.views`, ``reconcile_*``) turns a
:class:`ReconcileError` into a 400 in the API's error shape.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, F, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.models import City, Country
from core.text import fold
from networks.models import Network
from networks.selectors import counted_memberships
from projects.models import Organization

from . import services
from .kinds import KIND_BY_CODE
from .models import SearchEntry

VERSION = "0.2"
#: The types a query may ask for, and the API path of their records.
TYPES = {
    "city": {"name": gettext_lazy("City"), "path": "cities", "model": City, "detail": "city-detail"},
    "network": {"name": gettext_lazy("Network"), "path": "networks", "model": Network, "detail": "network-detail"},
    "organization": {
        "name": gettext_lazy("Organization"),
        "path": "organizations",
        "model": Organization,
        "detail": "organization-detail",
    },
}
TYPE_OF_PATH = {spec["path"]: code for code, spec in TYPES.items()}
#: Candidates per query unless the query asks for another number (at most MAX_LIMIT).
DEFAULT_LIMIT = 5
MAX_LIMIT = 25
#: Queries in one batch (OpenRefine sends ten at a time).
MAX_QUERIES = 50
#: Identifiers in one data-extension request.
MAX_IDS = 200
#: Candidates read from the search index per query, before the scores pick the best ``limit``.
READ_FACTOR = 4
COUNTRY_PROPERTIES = ("country", "P17")

#: What the data extension can add to a column of reconciled records, per type.
PROPERTIES = {
    "wikidata": (gettext_lazy("Wikidata QID"), ("city", "network")),
    "url": (gettext_lazy("Paradiplo page"), ("city", "network", "organization")),
    "country": (gettext_lazy("Country (ISO 3166-1 alpha-2)"), ("city", "organization")),
    "country_name": (gettext_lazy("Country"), ("city", "organization")),
    "geonames_id": (gettext_lazy("GeoNames id"), ("city",)),
    "population": (gettext_lazy("Population"), ("city",)),
    "latitude": (gettext_lazy("Latitude"), ("city",)),
    "longitude": (gettext_lazy("Longitude"), ("city",)),
    "networks": (gettext_lazy("Member of (networks, today)"), ("city",)),
    "acronym": (gettext_lazy("Acronym"), ("network", "organization")),
}


class ReconcileError(ValueError):
    """A request the protocol cannot read: ``detail`` says what is wrong, ``attr`` where."""

    def __init__(self, detail: str, *, attr: str = "queries", code: str = "invalid"):
        super().__init__(detail)
        self.detail, self.attr, self.code = detail, attr, code

    def as_dict(self) -> dict:
        return {"type": "validation_error", "errors": [{"code": self.code, "detail": self.detail, "attr": self.attr}]}


# Identifiers ----------------------------------------------------------------------------------


def identifier(kind: str, key: str) -> str:
    """``cities/rosario-ar`` for the city ``rosario-ar``."""
    return f"{TYPES[kind]['path']}/{key}"


def parse_identifier(value) -> tuple[str, str]:
    """``("city", "rosario-ar")`` for ``cities/rosario-ar``; :class:`ReconcileError` otherwise."""
    path, _slash, key = str(value or "").strip("/").partition("/")
    if path not in TYPE_OF_PATH or not key or "/" in key:
        raise ReconcileError(
            _("“%(id)s” is not a Paradiplo identifier (cities/…, networks/… or organizations/…).") % {"id": value},
            attr="id",
        )
    return TYPE_OF_PATH[path], key


def public_url(kind: str, key: str) -> str:
    return reverse(TYPES[kind]["detail"], kwargs={"slug": key})


def type_list(kinds=TYPES) -> list[dict]:
    return [{"id": code, "name": str(TYPES[code]["name"])} for code in kinds]


# The manifest ---------------------------------------------------------------------------------


def manifest(base: str) -> dict:
    """The service manifest (what a plain GET answers); ``base`` is the site's address
    (``https://paradiplo.org``), without the final slash."""
    root = reverse("reconcile")
    return {
        "versions": [VERSION],
        "name": "Paradiplo",
        "identifierSpace": base + reverse("api:api-root"),
        "schemaSpace": base + root,
        "documentation": base + reverse("about"),
        "view": {"url": base + root + "view/{{id}}"},
        "preview": {"url": base + reverse("reconcile-preview") + "?id={{id}}", "width": 430, "height": 150},
        "defaultTypes": type_list(),
        "suggest": {"entity": {"service_url": base, "service_path": reverse("reconcile-suggest-entity")}},
        "extend": {
            "propose_properties": {"service_url": base, "service_path": reverse("reconcile-properties")},
            "property_settings": [],
        },
    }


# Reading the queries --------------------------------------------------------------------------


@dataclass
class Query:
    """One query of a batch: the text, the types asked for, how many candidates, and the
    country given (``country_value`` as written; ``country`` when Paradiplo knows it)."""

    text: str
    kinds: list[str]
    limit: int = DEFAULT_LIMIT
    country_value: str | None = None
    country: Country | None = None


def load_json(raw, attr: str):
    """``raw`` (text or already decoded) as JSON; :class:`ReconcileError` when it is not."""
    if not isinstance(raw, str | bytes):
        return raw
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        raise ReconcileError(
            _("“%(attr)s” is not valid JSON.") % {"attr": attr}, attr=attr, code="parse_error"
        ) from None


def parse_batch(raw) -> dict[str, Query]:
    """A batch ``{"q0": {"query": "Rosario", "type": "city", "limit": 3, "properties": [{"pid":
    "country", "v": "AR"}]}, …}`` (JSON text or decoded) as queries; :class:`ReconcileError`
    naming the first thing wrong."""
    batch = load_json(raw, "queries")
    if not isinstance(batch, dict) or not batch:
        raise ReconcileError(
            _('“queries” must be a JSON object of queries, e.g. {"q0": {"query": "Rosario", "type": "city"}}.')
        )
    if len(batch) > MAX_QUERIES:
        raise ReconcileError(_("Send at most %(limit)d queries at once.") % {"limit": MAX_QUERIES}, code="max_length")
    return {str(key): _parse_query(str(key), value) for key, value in batch.items()}


def _parse_query(key: str, value) -> Query:
    attr = f"queries.{key}"
    if isinstance(value, str):  # the 0.1 shorthand: the query text alone
        value = {"query": value}
    if not isinstance(value, dict):
        raise ReconcileError(_("Query “%(key)s” must be a JSON object.") % {"key": key}, attr=attr)
    text = value.get("query")
    if not isinstance(text, str) or not services.normalize_query(_plain_words(text)):
        raise ReconcileError(_("Query “%(key)s” needs a non-empty “query” text.") % {"key": key}, attr=f"{attr}.query")
    if len(text) > services.MAX_QUERY_LENGTH or any(ord(c) < 32 and c not in "\t\n\r" for c in text):
        raise ReconcileError(
            _("Query “%(key)s” must be at most %(limit)d characters of text.")
            % {"key": key, "limit": services.MAX_QUERY_LENGTH},
            attr=f"{attr}.query",
        )
    kinds = value.get("type") or list(TYPES)
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if not isinstance(kinds, list) or any(kind not in TYPES for kind in kinds):
        raise ReconcileError(
            _("Query “%(key)s” asks for an unknown type: the types are %(types)s.")
            % {"key": key, "types": ", ".join(TYPES)},
            attr=f"{attr}.type",
        )
    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int | float) or limit < 1:
        raise ReconcileError(
            _("The limit of query “%(key)s” must be a positive number.") % {"key": key}, attr=f"{attr}.limit"
        )
    properties = value.get("properties") or []
    if not isinstance(properties, list) or not all(isinstance(p, dict) and "pid" in p for p in properties):
        raise ReconcileError(
            _('The properties of query “%(key)s” must be a list of {"pid": …, "v": …}.') % {"key": key},
            attr=f"{attr}.properties",
        )
    country = next((p.get("v") for p in properties if p.get("pid") in COUNTRY_PROPERTIES), None)
    if isinstance(country, list):
        country = country[0] if country else None
    if isinstance(country, dict):
        country = country.get("id") or country.get("name")
    return Query(
        text=text,
        kinds=list(dict.fromkeys(kinds)),
        limit=min(int(limit), MAX_LIMIT),
        country_value=str(country).strip() if country not in (None, "") else None,
    )


def _plain_words(text: str) -> str:
    """A name as the search reads plain words: quotes and a leading ``-`` would be operators."""
    return " ".join(word.lstrip("-") for word in text.replace('"', " ").split())


def resolve_countries(queries) -> None:
    """Give each query the country its ``country_value`` names: one query for every country
    (a few hundred rows), only when some query names one."""
    wanted = [query for query in queries if query.country_value]
    if not wanted:
        return
    known: dict[str, Country] = {}
    for country in Country.objects.all():
        names = [country.code, country.iso3, country.wikidata_id]
        names += [getattr(country, f"name_{code}", "") for code in ("en", "es", "pt", "fr")]
        for name in names:
            if name:
                known.setdefault(fold(name), country)
    for query in wanted:
        query.country = known.get(fold(query.country_value))


# Reconciling ----------------------------------------------------------------------------------


@dataclass
class Candidate:
    kind: str
    key: str
    name: str
    exact: bool
    score: float
    country: Country | None
    prominence: int
    object_id: int
    in_country: bool | None = None
    wikidata: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        return identifier(self.kind, self.key)

    def description(self) -> str:
        parts = [str(TYPES[self.kind]["name"])]
        if self.country is not None:
            parts.append(str(self.country))
        if self.wikidata:
            parts.append(f"Wikidata {self.wikidata}")
        return " · ".join(parts)

    def as_result(self, match: bool) -> dict:
        features = [{"id": "name", "value": round(self.score / 100, 4)}, {"id": "exact_name", "value": self.exact}]
        if self.in_country is not None:
            features.append({"id": "country", "value": self.in_country})
        return {
            "id": self.id,
            "name": self.name,
            "type": type_list([self.kind]),
            "score": self.score,
            "match": match,
            "description": self.description(),
            "features": features,
        }


def closeness(query: str, names_plain: str) -> float:
    """How close the plain query is to the closest of the record's names, 0–1."""
    plain = fold(query)
    names = [name.strip() for name in names_plain.split("|") if name.strip()]
    return max((difflib.SequenceMatcher(None, plain, name).ratio() for name in names), default=0.0)


def candidates(query: Query, language: str) -> list[Candidate]:
    """The best candidates for one query, the best first: one query of the search index."""
    text = _plain_words(query.text)
    found = services.match(services.normalize_query(text))
    entries = SearchEntry.objects.filter(found.condition, kind__in=query.kinds)
    if query.country is not None:
        entries = entries.filter(Q(kind="network") | Q(country=query.country))
    exact = found.exact if found.exact is not None else Q(pk__in=[])
    rows = (
        entries.select_related("network", "country")
        .only(*services.HIT_FIELDS, *services.HIT_NETWORK_FIELDS, "names_plain", "prominence", "country")
        .annotate(
            rank=found.rank,
            tie_breaker=found.tie_breaker,
            is_exact=ExpressionWrapper(exact, output_field=BooleanField()),
        )
        .order_by(F("is_exact").desc(), F("rank").desc(), F("prominence").desc(), F("tie_breaker").desc(), "key")[
            : query.limit * READ_FACTOR
        ]
    )
    result = []
    for entry in rows:
        name, _language = services.display_name(entry, language)
        score = 100.0 if entry.is_exact else round(min(99.0, 100 * closeness(text, entry.names_plain)), 1)
        result.append(
            Candidate(
                kind=entry.kind,
                key=entry.key,
                name=name,
                exact=bool(entry.is_exact),
                score=score,
                country=entry.country,
                prominence=entry.prominence or 0,
                object_id=entry.object_id,
                in_country=(entry.country_id == query.country.pk) if query.country is not None else None,
            )
        )
    result.sort(key=lambda c: (not c.exact, -c.score, -c.prominence, c.kind, c.key))
    return result[: query.limit]


def add_wikidata(candidates_: list[Candidate]) -> None:
    """Each candidate's Wikidata QID: one query per type that has QIDs among the candidates."""
    for kind in ("city", "network"):
        ids = {c.object_id for c in candidates_ if c.kind == kind}
        if ids:
            qids = dict(TYPES[kind]["model"].objects.filter(pk__in=ids).values_list("pk", "wikidata_id"))
            for candidate in candidates_:
                if candidate.kind == kind:
                    candidate.wikidata = qids.get(candidate.object_id, "")


def reconcile(queries: dict[str, Query], language: str) -> dict:
    """The result batch: ``{"q0": {"result": [candidate, …]}, …}``. One query per query of the
    batch, one for the countries (when one is named) and one per type for the QIDs."""
    resolve_countries(queries.values())
    found = {key: candidates(query, language) for key, query in queries.items()}
    add_wikidata([candidate for result in found.values() for candidate in result])
    batch = {}
    for key, result in found.items():
        exact = [candidate for candidate in result if candidate.exact]
        batch[key] = {"result": [candidate.as_result(len(exact) == 1 and candidate.exact) for candidate in result]}
    return batch


# Suggest, preview, view, data extension -------------------------------------------------------


def suggest_entities(prefix: str, kinds: list[str], language: str) -> dict:
    """``{"result": [{"id", "name", "description", "notable"}]}``: the names that start like
    ``prefix`` (the header's typeahead, :func:`search.services.suggest`), of the given types."""
    hits = services.suggest(prefix, language=language, limit=services.SUGGESTION_LIMIT * 3) if prefix else []
    result = []
    for hit in hits:
        if hit.kind in kinds:
            detail = f" · {hit.detail}" if hit.detail else ""
            result.append(
                {
                    "id": identifier(hit.kind, hit.key),
                    "name": hit.name,
                    "description": f"{TYPES[hit.kind]['name']}{detail}",
                    "notable": type_list([hit.kind]),
                }
            )
    return {"result": result[: services.SUGGESTION_LIMIT]}


def record(kind: str, key: str):
    """The record ``kind``/``key`` with its country (None when there is none): one query."""
    model = TYPES[kind]["model"]
    queryset = model.objects.all()
    if kind != "network":
        queryset = queryset.select_related("country")
    return queryset.filter(slug=key).first()


def preview(kind: str, key: str) -> dict | None:
    """What the preview snippet shows of a record; None when there is no such record."""
    instance = record(kind, key)
    if instance is None:
        return None
    country = getattr(instance, "country", None)
    wikidata = getattr(instance, "wikidata_id", "")
    return {
        "record": instance,
        "kind": KIND_BY_CODE[kind].label,
        "id": identifier(kind, key),
        "url": public_url(kind, key),
        "country": country,
        "wikidata": wikidata,
        "population": getattr(instance, "population", None),
        "acronym": getattr(instance, "acronym", ""),
    }


def propose_properties(kind: str | None) -> dict:
    """The properties the data extension offers for ``kind`` (every one without a type)."""
    if kind is not None and kind not in TYPES:
        raise ReconcileError(
            _("Unknown type “%(type)s”: the types are %(types)s.") % {"type": kind, "types": ", ".join(TYPES)},
            attr="type",
        )
    properties = [
        {"id": pid, "name": str(name)} for pid, (name, kinds) in PROPERTIES.items() if kind is None or kind in kinds
    ]
    return {"type": kind or "", "properties": properties}


def parse_extension(raw) -> tuple[list[tuple[str, str]], list[str]]:
    """The identifiers and property ids of a data-extension request ``{"ids": […], "properties":
    [{"id": …}, …]}``; :class:`ReconcileError` naming what is wrong."""
    request = load_json(raw, "extend")
    if not isinstance(request, dict) or not isinstance(request.get("ids"), list):
        raise ReconcileError(
            _('“extend” must be {"ids": [...], "properties": [{"id": ...}]}.'), attr="extend", code="invalid"
        )
    if len(request["ids"]) > MAX_IDS:
        raise ReconcileError(_("Extend at most %(limit)d records at once.") % {"limit": MAX_IDS}, attr="extend.ids")
    ids = [parse_identifier(value) for value in request["ids"]]
    properties = request.get("properties") or []
    if not isinstance(properties, list) or not all(isinstance(p, dict) and "id" in p for p in properties):
        raise ReconcileError(_('“properties” must be a list of {"id": ...}.'), attr="extend.properties")
    unknown = [p["id"] for p in properties if p["id"] not in PROPERTIES]
    if unknown:
        raise ReconcileError(
            _("Unknown property “%(property)s”: the properties are %(properties)s.")
            % {"property": unknown[0], "properties": ", ".join(PROPERTIES)},
            attr="extend.properties",
        )
    return ids, [p["id"] for p in properties]


def extend(ids: list[tuple[str, str]], pids: list[str], base: str) -> dict:
    """The data extension's ``{"meta": [...], "rows": {id: {pid: [values]}}}``: one query per
    type among the ids, and one for the networks of the cities when asked for."""
    records: dict[tuple[str, str], object] = {}
    for kind in TYPES:
        keys = [key for k, key in ids if k == kind]
        if keys:
            queryset = TYPES[kind]["model"].objects.filter(slug__in=keys)
            if kind != "network":
                queryset = queryset.select_related("country")
            records.update({(kind, item.slug): item for item in queryset})
    networks: dict[int, list[Network]] = {}
    if "networks" in pids:
        cities = [item.pk for (kind, _key), item in records.items() if kind == "city"]
        for membership in (
            counted_memberships().filter(city__in=cities).select_related("network").order_by("network__slug")
        ):
            networks.setdefault(membership.city_id, []).append(membership.network)
    rows = {}
    for kind, key in ids:
        item = records.get((kind, key))
        rows[identifier(kind, key)] = {pid: _values(kind, key, item, pid, networks, base) for pid in pids}
    meta = [{"id": pid, "name": str(PROPERTIES[pid][0])} for pid in pids]
    return {"meta": meta, "rows": rows}


def _values(kind: str, key: str, item, pid: str, networks: dict, base: str) -> list[dict]:
    if item is None or kind not in PROPERTIES[pid][1]:
        return []
    country = getattr(item, "country", None)
    value = {
        "wikidata": lambda: getattr(item, "wikidata_id", "") and {"str": item.wikidata_id},
        "url": lambda: {"str": base + public_url(kind, key)},
        "country": lambda: country and {"str": country.code},
        "country_name": lambda: country and {"str": str(country)},
        "geonames_id": lambda: getattr(item, "geonames_id", None) and {"str": str(item.geonames_id)},
        "population": lambda: getattr(item, "population", None) is not None and {"int": item.population},
        "latitude": lambda: getattr(item, "latitude", None) is not None and {"float": float(item.latitude)},
        "longitude": lambda: getattr(item, "longitude", None) is not None and {"float": float(item.longitude)},
        "acronym": lambda: getattr(item, "acronym", "") and {"str": item.acronym},
    }
    if pid == "networks":
        return [{"id": identifier("network", n.slug), "name": str(n)} for n in networks.get(item.pk, [])]
    found = value[pid]()
    return [found] if found else []


__all__ = [
    "ReconcileError",
    "extend",
    "manifest",
    "parse_batch",
    "parse_extension",
    "parse_identifier",
    "preview",
    "propose_properties",
    "reconcile",
    "suggest_entities",
]
