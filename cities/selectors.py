"""Reads for the public pages of cities, countries and regional blocs: querysets shaped so that
each page runs a fixed number of queries whatever the number of cities (the gazetteer import
makes the city table large), memberships, offices, projects and twinnings."""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from core import composition
from core.api.filters import relation
from core.partialdates import PartialDate
from core.queries import citations_prefetch, correlated_count, name_coalesce
from core.records import LANGUAGE_CODES

from .models import BlocParticipation, BlocStatus, City, Country, RegionalBloc, Twinning

# Cities ------------------------------------------------------------------------------------------


def city_rows() -> QuerySet[City]:
    """Cities for the index, by slug (the unique index: a page of a 100,000-row table stays
    cheap), with their country and their sources (the networks app adds the number of networks
    they belong to today: :mod:`core.composition`, page ``cities.city_rows``)."""
    return composition.rows(
        "cities.city_rows",
        City.objects.select_related("country").prefetch_related(citations_prefetch(City)).order_by("slug"),
    )


def city_csv_rows() -> QuerySet[City]:
    """Cities for the index's CSV download, in the same order: no sources, no counts (every
    filtered row of a large table is streamed)."""
    return City.objects.select_related("country").order_by("slug")


def city_countries() -> QuerySet[Country]:
    """Countries for the city index's filter, by name in the active language."""
    return Country.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "code")


def networks_for_filter() -> QuerySet:
    """Networks for the "member of" filters, by name in the active language (the model is
    reached through City's ``memberships__network``: the cities app does not import networks)."""
    network_model = relation(City, "memberships__network").key_model
    return network_model._default_manager.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")


def city_profile(slug: str) -> City:
    """One city with its country and sources (raises City.DoesNotExist)."""
    return City.objects.select_related("country").prefetch_related(citations_prefetch(City)).get(slug=slug)


def city_twinnings(city: City, at: PartialDate | None = None) -> list[Twinning]:
    """The city's twinnings, whichever side it was recorded on; each gets ``partner`` (the other
    city), oldest first (undated last). With ``at`` (the page's ``?at=``:
    :func:`core.periods.parse_at`), the twinnings in force then."""
    twinnings = Twinning.objects.involving(city)
    if at is not None:
        twinnings = twinnings.at(at)
    rows = list(
        twinnings.select_related("city_a", "city_a__country", "city_b", "city_b__country")
        .prefetch_related(citations_prefetch(Twinning))
        .order_by(F("start").asc(nulls_last=True), "pk")
    )
    for twinning in rows:
        twinning.partner = twinning.city_b if twinning.city_a_id == city.pk else twinning.city_a
    return rows


# Twinnings --------------------------------------------------------------------------------------


def twinning_rows() -> QuerySet[Twinning]:
    """Twinnings for the index, oldest first (undated last), with both cities, their countries
    and the sources: three queries for a page (count, rows, citations) whatever its size."""
    return (
        Twinning.objects.select_related("city_a__country", "city_b__country")
        .prefetch_related(citations_prefetch(Twinning))
        .order_by(F("start").asc(nulls_last=True), "pk")
    )


def twinning_csv_rows(queryset: QuerySet[Twinning]) -> QuerySet[Twinning]:
    """The index's filtered twinnings for its CSV download, without their sources."""
    return queryset.prefetch_related(None)


def twinning_countries() -> QuerySet[Country]:
    """Countries with a city on either side of a twinning, for the index's filter, by name."""
    twinned = City.objects.filter(Q(twinnings_as_a__isnull=False) | Q(twinnings_as_b__isnull=False))
    return (
        Country.objects.filter(pk__in=twinned.values("country"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "code")
    )


def twinning_decades() -> list[int]:
    """The decades (their first year) in which a recorded twinning was signed, oldest first."""
    years = Twinning.objects.filter(start__isnull=False).order_by().values_list("start__year", flat=True).distinct()
    return sorted({year // 10 * 10 for year in years})


# Countries --------------------------------------------------------------------------------------


def country_rows(on: datetime.date | None = None) -> QuerySet[Country]:
    """Countries for the index, by name in the active language, with their cities recorded,
    current bloc participations and sources (the networks app adds their member cities today:
    page ``cities.country_rows``)."""
    on = on or timezone.localdate()
    blocs = BlocParticipation.objects.current(on).select_related("bloc").order_by("bloc__slug")
    countries = (
        Country.objects.annotate(
            sort_name=name_coalesce(),
            city_count=correlated_count(City.objects.all(), "country"),
        )
        .prefetch_related(citations_prefetch(Country), Prefetch("bloc_participations", blocs, to_attr="current_blocs"))
        .order_by("sort_name", "code")
    )
    return composition.rows("cities.country_rows", countries)


def country_csv_rows(queryset: QuerySet[Country]) -> QuerySet[Country]:
    return queryset.prefetch_related(None)


def blocs_for_filter() -> QuerySet[RegionalBloc]:
    return RegionalBloc.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")


def country_profile(code: str) -> Country:
    """One country with its sources (raises Country.DoesNotExist)."""
    return Country.objects.prefetch_related(citations_prefetch(Country)).get(code=code)


def country_blocs(country: Country) -> list[BlocParticipation]:
    """The country's participation in regional blocs over time, bloc by bloc, oldest first; an
    unknown start counts as "since always" (as on the bloc's page), so it comes first."""
    return list(
        BlocParticipation.objects.filter(country=country)
        .select_related("bloc")
        .prefetch_related(citations_prefetch(BlocParticipation))
        .order_by("bloc__slug", F("start").asc(nulls_first=True), "pk")
    )


def country_city_count(country: Country) -> int:
    return City.objects.filter(country=country).count()


# Regional blocs ---------------------------------------------------------------------------------


def bloc_rows(on: datetime.date | None = None) -> QuerySet[RegionalBloc]:
    """Regional blocs for the index, with the number of member states today (member status,
    suspended excluded), of countries ever recorded, and their sources."""
    on = on or timezone.localdate()
    current_members = BlocParticipation.objects.current(on).filter(status=BlocStatus.MEMBER)
    return (
        RegionalBloc.objects.annotate(
            sort_name=name_coalesce(),
            current_members=correlated_count(current_members, "bloc", distinct="country"),
            countries_recorded=correlated_count(BlocParticipation.objects.all(), "bloc", distinct="country"),
        )
        .prefetch_related(citations_prefetch(RegionalBloc))
        .order_by("sort_name", "slug")
    )


def bloc_csv_rows(queryset: QuerySet[RegionalBloc]) -> QuerySet[RegionalBloc]:
    return queryset.prefetch_related(None)


def bloc_profile(slug: str) -> RegionalBloc:
    """One bloc with its sources (raises RegionalBloc.DoesNotExist)."""
    return RegionalBloc.objects.prefetch_related(citations_prefetch(RegionalBloc)).get(slug=slug)


def bloc_participations(bloc: RegionalBloc) -> list[BlocParticipation]:
    """Every country's participation in ``bloc`` over time, oldest first; ``in_force`` tells
    whether it holds today."""
    today = timezone.localdate()
    rows = list(
        BlocParticipation.objects.filter(bloc=bloc)
        .select_related("country")
        .prefetch_related(citations_prefetch(BlocParticipation))
        .annotate(country_name=name_coalesce("country__name"))
        .order_by(F("start").asc(nulls_first=True), "country_name", "pk")
    )
    for row in rows:
        row.in_force = row.is_in_force(today)
    return rows


# Admin -------------------------------------------------------------------------------------------


def ranked_city_candidates(queryset: QuerySet[City], term: str, network_ids=()) -> QuerySet[City]:
    """Cities matching an autocomplete term, the likeliest first: exact names (in any language,
    or the official name, ignoring case) before partial ones, then cities that already belong to
    one of ``network_ids`` (the editor's networks), then the most populous; with their country
    (one query per page of candidates, whatever their number)."""
    term = term.strip()
    exact = Q(native_name__iexact=term)
    for code in LANGUAGE_CODES:
        exact |= Q(**{f"name_{code}__iexact": term})
    in_network = (
        Exists(City.objects.filter(pk=OuterRef("pk"), memberships__network__in=list(network_ids)))
        if network_ids
        else Value(False)
    )
    return (
        queryset.select_related("country")
        .annotate(
            exact_match=Case(When(exact, then=Value(True)), default=Value(False), output_field=BooleanField()),
            in_network=in_network,
        )
        .order_by("-exact_match", "-in_network", F("population").desc(nulls_last=True), "slug")
    )
