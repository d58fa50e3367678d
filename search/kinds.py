"""What is searchable, declared once: for each kind of record, where its entry's columns come
from. :mod:`search.database` turns these declarations into the SQL of the database triggers
that keep ``search_searchentry`` current, and of the full rebuild.

Every column is an SQL expression over the record's table (alias ``t``) and the declared joins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from core.records import LANGUAGE_CODES


def translated(name: str, alias: str = "t") -> tuple[str, ...]:
    """The four language columns of a translated field: ``t.name_en`` … ``t.name_fr``."""
    return tuple(f"{alias}.{name}_{code}" for code in LANGUAGE_CODES)


def first_of(*columns: str) -> str:
    """The first non-empty value of ``columns``."""
    return "COALESCE(" + ", ".join(f"NULLIF({column}, '')" for column in columns) + ")"


#: the prominence of every record that is not a place: above any population
CURATED_PROMINENCE = 10**12


@dataclass(frozen=True)
class Kind:
    code: str
    model_label: str
    #: the API route name (``api:<basename>-detail``)
    basename: str
    #: the public page's route name, and the names of its arguments, taken in order from the
    #: entry's key split at ``~`` (``mercociudades~20-2015`` → network, slug)
    page: str = ""
    page_arguments: tuple[str, ...] = ("slug",)
    #: SQL joins after ``FROM <table> t``
    joins: tuple[str, ...] = ()
    key: str = "t.slug"
    #: a translated field holding the record's name (shown in its four languages) …
    display: str | None = "name"
    #: … or, for untranslated records, the column holding it
    title: str | None = None
    #: other names, searched as names (acronyms, official names in the local language)
    aliases: tuple[str, ...] = ()
    #: identifiers matched as typed (slugs, codes, DOIs), not by words
    identifiers: tuple[str, ...] = ()
    #: descriptive text, ranked below names
    body: tuple[str, ...] = ()
    network: str = "NULL"
    country: str = "NULL"
    year: str = "NULL"
    #: a short text shown beside the name (acronym, host city, authors)
    detail: str = "NULL"
    #: how prominent the record is: between results that match equally well, the more
    #: prominent first (São Paulo in Brazil before the village in Portugal); and when a query
    #: matches more records than the search counts (``search.services.COUNT_LIMIT``), the
    #: candidates ranked are the most prominent matches. The site's own records (networks,
    #: summits, projects, organizations, countries…) come before every place, places by
    #: population, sources (cited documents, found by their titles) last.
    prominence: str = str(CURATED_PROMINENCE)
    #: how much a match of this kind weighs against the others (its rank is multiplied by it):
    #: the site's records rank above the documents cited for them, whose titles often repeat
    #: a record's name ("Red de Mercociudades — Estatuto")
    rank_weight: float = 1.0
    #: records in lower tiers come after every record of a higher one, whatever their rank: the
    #: sources cited for a record (tier 1) after the records themselves (tier 0)
    tier: int = 0
    #: (model label, column of ``t``): refresh this kind's entries when those records change
    depends: tuple[tuple[str, str], ...] = field(default=())
    label: str = ""
    label_plural: str = ""

    @cached_property
    def model(self):
        return apps.get_model(self.model_label)

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    @property
    def names(self) -> tuple[str, ...]:
        shown = translated(self.display) if self.display else (f"t.{self.title}",)
        return (*shown, *self.aliases)


KINDS: tuple[Kind, ...] = (
    Kind(
        "network",
        "networks.Network",
        "network",
        page="network-detail",
        joins=("LEFT JOIN cities_city sc ON sc.id = t.secretariat_city_id",),
        aliases=("t.acronym",),
        identifiers=("t.slug",),
        body=translated("description"),
        network="t.id",
        country="sc.country_id",
        year="t.founded / 10000",
        detail="NULLIF(t.acronym, '')",
        depends=(("cities.City", "t.secretariat_city_id"),),
        label=_("network"),
        label_plural=_("networks"),
    ),
    Kind(
        "city",
        "cities.City",
        "city",
        page="city-detail",
        joins=("LEFT JOIN cities_country c ON c.id = t.country_id",),
        aliases=("t.native_name",),
        identifiers=("t.slug",),
        body=translated("name", "c"),
        country="t.country_id",
        detail="c.code",
        prominence="COALESCE(t.population, 0)",
        depends=(("cities.Country", "t.country_id"),),
        label=_("city"),
        label_plural=_("cities"),
    ),
    Kind(
        "country",
        "cities.Country",
        "country",
        page="country-detail",
        page_arguments=("code",),
        key="t.code",
        identifiers=("t.code", "t.iso3"),
        body=translated("foreign_action_note"),
        country="t.id",
        detail="t.code",
        label=_("country"),
        label_plural=_("countries"),
    ),
    Kind(
        "thematic_unit",
        "networks.ThematicUnit",
        "thematic-unit",
        page="thematic-unit-detail",
        page_arguments=("network", "slug"),
        joins=("JOIN networks_network n ON n.id = t.network_id",),
        key="n.slug || '~' || t.slug",
        aliases=("t.acronym",),
        identifiers=("t.slug",),
        body=translated("description"),
        network="t.network_id",
        year="t.start / 10000",
        detail="NULLIF(t.acronym, '')",
        depends=(("networks.Network", "t.network_id"),),
        label=_("thematic unit"),
        label_plural=_("thematic units"),
    ),
    Kind(
        "summit",
        "networks.Summit",
        "summit",
        page="summit-detail",
        page_arguments=("network", "slug"),
        joins=(
            "JOIN networks_network n ON n.id = t.network_id",
            "LEFT JOIN cities_city h ON h.id = t.host_city_id",
        ),
        key="n.slug || '~' || t.slug",
        identifiers=("t.slug",),
        body=(
            *translated("motto"),
            *translated("summary"),
            *translated("declaration"),
            *translated("name", "h"),
            "h.native_name",
        ),
        network="t.network_id",
        country="h.country_id",
        year="t.start / 10000",
        detail=first_of(*translated("name", "h"), "h.native_name"),
        depends=(("networks.Network", "t.network_id"), ("cities.City", "t.host_city_id")),
        label=_("summit"),
        label_plural=_("summits"),
    ),
    Kind(
        "organization",
        "projects.Organization",
        "organization",
        page="organization-detail",
        aliases=("t.acronym",),
        identifiers=("t.slug",),
        country="t.country_id",
        detail="NULLIF(t.acronym, '')",
        label=_("organization"),
        label_plural=_("organizations"),
    ),
    Kind(
        "programme",
        "projects.Programme",
        "programme",
        page="programme-detail",
        identifiers=("t.slug",),
        body=translated("description"),
        network="t.network_id",
        year="t.start / 10000",
        label=_("programme"),
        label_plural=_("programmes"),
    ),
    Kind(
        "project",
        "projects.Project",
        "project",
        page="project-detail",
        display="title",
        identifiers=("t.slug",),
        body=(*translated("summary"), *translated("results")),
        network="t.network_id",
        year="COALESCE(t.start, t.planned_start) / 10000",
        label=_("project"),
        label_plural=_("projects"),
    ),
    Kind(
        "source",
        "sources.Source",
        "source",
        page="source-detail",
        page_arguments=("key",),
        key='t."key"',
        display=None,
        title="title",
        identifiers=('t."key"', "t.doi", "t.url"),
        body=("t.authors", "t.publisher"),
        year="t.published / 10000",
        detail="NULLIF(t.authors, '')",
        prominence="0",
        rank_weight=0.5,
        tier=1,
        label=_("source"),
        label_plural=_("sources"),
    ),
)

KIND_BY_CODE: dict[str, Kind] = {kind.code: kind for kind in KINDS}
KIND_CHOICES = [(kind.code, kind.label) for kind in KINDS]


def kind_of_model(model) -> Kind | None:
    label = model._meta.label
    return next((kind for kind in KINDS if kind.model_label == label), None)
