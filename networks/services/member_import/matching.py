"""Matching a row's city: by Wikidata id (QID), else GeoNames id, else accent- and
case-insensitive name (:func:`core.text.fold`) within the country — where several cities share
the name, the one that already holds a membership of the network wins (the file lists the
network's members: "San Justo, AR" is the San Justo that is already a member); a city nothing
matches is created, once for all the rows that name it. The QID comes first: it names one item whatever
the gazetteer, where a GeoNames id may name the populated place rather than the municipality."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext_lazy as _

from cities.models import City
from core.records import LANGUAGE_CODES
from core.text import fold

from ...models import Membership
from .report import ImportReport, message
from .rows import NewCity, Row, reject

IDENTIFIERS = ("latitude", "longitude", "geonames_id", "wikidata_id")


@dataclass
class CityIndex:
    """The recorded cities a file may name: by identifier, and by folded name within a country
    (values of every city of the countries the file names, compared in Python so that accents
    and case are ignored the same way on every database)."""

    by_geonames: dict[int, City] = field(default_factory=dict)
    by_wikidata: dict[str, City] = field(default_factory=dict)
    by_name: dict[tuple, list[int]] = field(default_factory=lambda: defaultdict(list))
    values: dict[int, dict] = field(default_factory=dict)
    #: the cities (of the file's countries) that hold or held a membership of the network
    members: set[int] = field(default_factory=set)


@dataclass
class NewCities:
    """The cities the import will create, in order, and by identifier and name."""

    cities: list[NewCity] = field(default_factory=list)
    by_geonames: dict[int, NewCity] = field(default_factory=dict)
    by_wikidata: dict[str, NewCity] = field(default_factory=dict)
    by_name: dict[tuple, NewCity] = field(default_factory=dict)

    def register(self, new: NewCity) -> None:
        if new.geonames_id:
            self.by_geonames.setdefault(new.geonames_id, new)
        if new.wikidata_id:
            self.by_wikidata.setdefault(new.wikidata_id, new)
        self.by_name.setdefault((new.country.pk, fold(new.name)), new)

    def identified(self, row: Row) -> NewCity | None:
        """The new city with the row's Wikidata id, else its GeoNames id."""
        by_wikidata = self.by_wikidata.get(row.wikidata_id) if row.wikidata_id else None
        return by_wikidata or (self.by_geonames.get(row.geonames_id) if row.geonames_id else None)


def load_cities(rows: list[Row], network=None) -> CityIndex:
    """The recorded cities the rows may match, and those that are members of ``network``,
    fetched in five queries whatever their number."""
    geonames_ids = {row.geonames_id for row in rows if row.geonames_id}
    wikidata_ids = {row.wikidata_id for row in rows if row.wikidata_id}
    cities = City.objects.select_related("country")
    index = CityIndex(
        by_geonames={city.geonames_id: city for city in cities.filter(geonames_id__in=geonames_ids)},
        by_wikidata={city.wikidata_id: city for city in cities.filter(wikidata_id__in=wikidata_ids)},
    )
    country_ids = {row.country.pk for row in rows if row.country}
    fields = ["pk", "slug", "country_id", "native_name", "geonames_id", "wikidata_id", "admin_area_name", "population"]
    names = ["native_name", *(f"name_{code}" for code in LANGUAGE_CODES)]
    for values in City.objects.filter(country_id__in=country_ids).values(*fields, *names[1:]).iterator(chunk_size=5000):
        for name in {fold(values[name]) for name in names if values[name]}:
            index.by_name[(values["country_id"], name)].append(values["pk"])
        index.values[values["pk"]] = values
    if network is not None:
        members = Membership.objects.filter(network=network, city__country_id__in=country_ids)
        index.members = set(members.values_list("city_id", flat=True))
    return index


def match_city(row: Row, index: CityIndex, new_cities: NewCities, report: ImportReport) -> None:
    """Set ``row.city``: a recorded city (or its pk, for a name match), or a new city; or reject
    the row when its identifiers disagree or its name is ambiguous."""
    if _match_identifiers(row, index, report):
        return
    new = new_cities.identified(row)
    if new is None:
        if _match_name(row, index, report):
            return
        new = new_cities.by_name.get((row.country.pk, fold(row.city_name)))
        if new is not None and not compatible({"geonames_id": new.geonames_id, "wikidata_id": new.wikidata_id}, row):
            new = None
    if new is not None:
        _merge_new_city(row, new, new_cities, report)
        return
    new = NewCity(
        row=row.row,
        name=row.city_name,
        country=row.country,
        latitude=row.latitude,
        longitude=row.longitude,
        geonames_id=row.geonames_id,
        wikidata_id=row.wikidata_id,
    )
    new_cities.cities.append(new)
    new_cities.register(new)
    if row.source_url:
        new.source_urls.append(row.source_url)
    row.city = new


def compatible(values: dict, row: Row) -> bool:
    """A name match holds unless the row and the city carry different identifiers."""
    if row.geonames_id and values["geonames_id"] and values["geonames_id"] != row.geonames_id:
        return False
    if row.wikidata_id and values["wikidata_id"] and values["wikidata_id"] != row.wikidata_id:
        return False
    return True


def _match_identifiers(row: Row, index: CityIndex, report: ImportReport) -> bool:
    """Match the recorded city the row's identifiers name; True when the row is settled
    (matched, or rejected because the identifiers disagree)."""
    by_geonames = index.by_geonames.get(row.geonames_id) if row.geonames_id else None
    by_wikidata = index.by_wikidata.get(row.wikidata_id) if row.wikidata_id else None
    if by_geonames and by_wikidata and by_geonames.pk != by_wikidata.pk:
        template = _("Wikidata id %(qid)s is %(other)s, but GeoNames id %(gid)s is %(city)s.")
        problem = message(template, qid=row.wikidata_id, other=by_wikidata, gid=row.geonames_id, city=by_geonames)
        reject(report, row, "wikidata_id", problem)
        return True
    city = by_wikidata or by_geonames
    if city is None:
        return False
    column, problem = _identified_city_problem(row, city, by_geonames=by_wikidata is None)
    if problem is not None:
        reject(report, row, column, problem)
    else:
        row.city = city
    return True


def _identified_city_problem(row: Row, city: City, *, by_geonames: bool) -> tuple[str, object]:
    """The column and message of a disagreement between the row and the city its identifier
    names (another country, another identifier), or (column, None)."""
    column, identifier = ("geonames_id", row.geonames_id) if by_geonames else ("wikidata_id", row.wikidata_id)
    if city.country_id != row.country.pk:
        template = _("%(identifier)s is %(city)s, in %(other)s, not in %(country)s.")
        other = city.country or "?"
        return column, message(template, identifier=identifier, city=city, other=other, country=row.country)
    if by_geonames and row.wikidata_id and city.wikidata_id and city.wikidata_id != row.wikidata_id:
        template = _("%(city)s (GeoNames id %(gid)s) has the Wikidata id %(stored)s, not %(value)s.")
        stored = city.wikidata_id
        return "wikidata_id", message(template, city=city, gid=row.geonames_id, stored=stored, value=row.wikidata_id)
    if not by_geonames and row.geonames_id and city.geonames_id and city.geonames_id != row.geonames_id:
        template = _("%(city)s (Wikidata id %(qid)s) has the GeoNames id %(stored)s, not %(value)s.")
        stored = city.geonames_id
        return "geonames_id", message(template, city=city, qid=row.wikidata_id, stored=stored, value=row.geonames_id)
    return column, None


def _match_name(row: Row, index: CityIndex, report: ImportReport) -> bool:
    """Match a recorded city of the row's country by folded name; True when the row is settled
    (one city matched, or rejected because several do)."""
    candidates = [index.values[pk] for pk in index.by_name.get((row.country.pk, fold(row.city_name)), [])]
    candidates = [values for values in candidates if compatible(values, row)]
    members = [values for values in candidates if values["pk"] in index.members]
    if len(candidates) > 1 and len(members) == 1:
        candidates = members  # the homonym that is already the network's member
    if len(candidates) > 1:
        template = _(
            "“%(value)s” matches %(count)s cities in %(country)s (%(candidates)s): add the geonames_id to say "
            "which one."
        )
        ranked = sorted(candidates, key=lambda values: (-(values["population"] or 0), values["geonames_id"] or 0))
        described = "; ".join(str(describe_candidate(values)) for values in ranked)
        problem = message(
            template, value=row.city_name, count=len(candidates), country=row.country, candidates=described
        )
        reject(report, row, "city", problem)
        return True
    if candidates:
        row.city = candidates[0]["pk"]  # a City instance once the plan has fetched them in bulk
        return True
    return False


def describe_candidate(values: dict):
    """One homonym as staff can tell it apart: "GeoNames id 3837124: Santa Fe, 21,809
    inhabitants" (the province and population when known; never an internal slug)."""
    facts = [values["admin_area_name"]] if values["admin_area_name"] else []
    if values["population"]:
        facts.append(message(_("%(population)s inhabitants"), population=intcomma(values["population"])))
    details = ", ".join(str(fact) for fact in facts) or str(_("no province or population recorded"))
    if values["geonames_id"]:
        return message(_("GeoNames id %(id)s: %(details)s"), id=values["geonames_id"], details=details)
    return message(_("without a GeoNames id: %(details)s"), details=details)


def _merge_new_city(row: Row, new: NewCity, new_cities: NewCities, report: ImportReport) -> None:
    """A later row about a city an earlier row creates: its data must agree, and fills gaps."""
    if new.country.pk != row.country.pk:
        column = "geonames_id" if row.geonames_id == new.geonames_id and row.geonames_id else "wikidata_id"
        template = _("row %(row)s gives the same id for a city in %(country)s.")
        reject(report, row, column, message(template, row=new.row, country=new.country))
        return
    for column in IDENTIFIERS:
        mine, theirs = getattr(row, column), getattr(new, column)
        if mine and theirs and mine != theirs:
            template = _("differs from row %(row)s (%(value)s) for the same new city.")
            reject(report, row, column, message(template, row=new.row, value=theirs))
            return
    for column in IDENTIFIERS:
        if getattr(row, column) and not getattr(new, column):
            setattr(new, column, getattr(row, column))
    new_cities.register(new)
    if row.source_url and row.source_url not in new.source_urls:
        new.source_urls.append(row.source_url)
    row.city = new
