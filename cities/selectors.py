"""Reads for the public pages of cities, countries and regional blocs: querysets shaped so that
each page runs a fixed number of queries whatever the number of cities (the gazetteer import
makes the city table large), memberships, offices, projects and twinnings."""

from __future__ import annotations

import datetime

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.queries import citations_prefetch, correlated_count, name_coalesce
from networks.models import Membership, Network, Office, Summit
from projects.models import Project, ProjectCity

from .models import BlocParticipation, BlocStatus, City, Country, RegionalBloc, Twinning

#: How many of a country's cities its page lists (the rest are on the city index, filtered).
COUNTRY_CITY_LIMIT = 50


def current_memberships(on: datetime.date | None = None) -> QuerySet[Membership]:
    return Membership.objects.current(on or timezone.localdate())


# Cities ------------------------------------------------------------------------------------------


def city_rows(on: datetime.date | None = None) -> QuerySet[City]:
    """Cities for the index, by slug (the unique index: a page of a 100,000-row table stays
    cheap), with their country, the number of networks they belong to today and their sources."""
    return (
        City.objects.select_related("country")
        .prefetch_related(citations_prefetch(City))
        .annotate(current_networks=correlated_count(current_memberships(on), "city", distinct="network"))
        .order_by("slug")
    )


def city_csv_rows() -> QuerySet[City]:
    """Cities for the index's CSV download, in the same order: no sources, no counts (every
    filtered row of a large table is streamed)."""
    return City.objects.select_related("country").order_by("slug")


def city_countries() -> QuerySet[Country]:
    """Countries for the city index's filter, by name in the active language."""
    return Country.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "code")


def networks_for_filter() -> QuerySet[Network]:
    """Networks for the "member of" filters, by name in the active language."""
    return Network.objects.annotate(sort_name=name_coalesce()).order_by("sort_name", "slug")


def city_profile(slug: str) -> City:
    """One city with its country and sources (raises City.DoesNotExist)."""
    return City.objects.select_related("country").prefetch_related(citations_prefetch(City)).get(slug=slug)


def city_memberships(city: City, on: datetime.date | None = None) -> list[Membership]:
    """Every membership of ``city``, all networks on one timeline, oldest first (undated last).
    ``in_force`` tells whether it counts today (or on ``on``) by the rule of
    :meth:`~networks.models.MembershipQuerySet.current` (a first attestation stands for an
    unknown start), the one the network pages and the indexes use."""
    current = current_memberships(on).filter(pk=OuterRef("pk"))
    return list(
        Membership.objects.filter(city=city)
        .select_related("network", "admitted_at", "admitted_at__network")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(in_force=Exists(current))
        .order_by(Coalesce("start", "first_attested").asc(nulls_last=True), "network__slug", "pk")
    )


def city_offices(city: City) -> list[Office]:
    """Every office ``city`` has held, oldest first (undated last)."""
    return list(
        Office.objects.filter(city=city)
        .select_related("network", "body", "thematic_unit", "thematic_unit__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_last=True), "network__slug", "role", "pk")
    )


def city_summits(city: City) -> list[Summit]:
    """The summits ``city`` hosted, oldest first."""
    return list(
        Summit.objects.filter(host_city=city)
        .select_related("network")
        .prefetch_related(citations_prefetch(Summit))
        .order_by(Coalesce("start", "end").asc(nulls_last=True), "network__slug", "number")
    )


def city_secretariats(city: City) -> list[Network]:
    """The networks whose secretariat ``city`` hosts."""
    return list(Network.objects.filter(secretariat_city=city).annotate(sort_name=name_coalesce()).order_by("sort_name"))


def city_projects(city: City) -> list[ProjectCity]:
    """The projects ``city`` took part in (its role in each), newest first, each project with its
    sources and its other participating cities (``project.partners``); projects without a
    known start come last (by their planned start)."""
    partners = (
        ProjectCity.objects.exclude(city=city).select_related("city", "city__country").order_by("role", "city__slug")
    )
    return list(
        ProjectCity.objects.filter(city=city)
        .select_related("project")
        .prefetch_related(
            citations_prefetch(Project, "project__"),
            Prefetch("project__participants", queryset=partners, to_attr="partners"),
        )
        .order_by(
            F("project__start").desc(nulls_last=True),
            F("project__planned_start").desc(nulls_last=True),
            "project__slug",
            "role",
            "pk",
        )
    )


def city_twinnings(city: City) -> list[Twinning]:
    """The city's twinnings, whichever side it was recorded on; each gets ``partner`` (the other
    city), oldest first (undated last)."""
    rows = list(
        Twinning.objects.involving(city)
        .select_related("city_a", "city_a__country", "city_b", "city_b__country")
        .prefetch_related(citations_prefetch(Twinning))
        .order_by(F("start").asc(nulls_last=True), "pk")
    )
    for twinning in rows:
        twinning.partner = twinning.city_b if twinning.city_a_id == city.pk else twinning.city_a
    return rows


# Countries --------------------------------------------------------------------------------------


def country_rows(on: datetime.date | None = None) -> QuerySet[Country]:
    """Countries for the index, by name in the active language, with their cities recorded,
    member cities today, current bloc participations and sources."""
    on = on or timezone.localdate()
    blocs = BlocParticipation.objects.current(on).select_related("bloc").order_by("bloc__slug")
    return (
        Country.objects.annotate(
            sort_name=name_coalesce(),
            city_count=correlated_count(City.objects.all(), "country"),
            member_city_count=correlated_count(current_memberships(on), "city__country", distinct="city"),
        )
        .prefetch_related(citations_prefetch(Country), Prefetch("bloc_participations", blocs, to_attr="current_blocs"))
        .order_by("sort_name", "code")
    )


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


def country_cities(country: Country, on: datetime.date | None = None, limit: int = COUNTRY_CITY_LIMIT) -> list[City]:
    """The country's cities that belong or belonged to a network (the ones Paradiplo is about;
    the gazetteer adds many more), the most connected first, at most ``limit``."""
    members = Membership.objects.filter(city__country=country).values("city")
    return list(
        City.objects.filter(country=country, pk__in=members)
        .annotate(
            sort_name=name_coalesce(),
            current_networks=correlated_count(current_memberships(on), "city", distinct="network"),
            all_networks=correlated_count(Membership.objects.all(), "city", distinct="network"),
        )
        .order_by("-current_networks", "-all_networks", "sort_name", "slug")[:limit]
    )


def country_member_city_total(country: Country) -> int:
    """How many of the country's cities belong or belonged to a network."""
    return Membership.objects.filter(city__country=country).values("city").distinct().count()


def country_networks(country: Country, on: datetime.date | None = None) -> list[Network]:
    """Networks with member cities in ``country``: ``current_members`` (today) and
    ``ever_members`` (at any time), the largest first."""
    on = on or timezone.localdate()
    in_country = Membership.objects.filter(city__country=country)
    return list(
        Network.objects.filter(pk__in=in_country.values("network"))
        .annotate(
            sort_name=name_coalesce(),
            current_members=correlated_count(in_country.current(on), "network", distinct="city"),
            ever_members=correlated_count(in_country, "network", distinct="city"),
        )
        .order_by("-current_members", "-ever_members", "sort_name", "slug")
    )


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


def network_memberships(network: Network, current: bool = False) -> QuerySet[Membership]:
    """The memberships of ``network``: today's (``current``) or of any time (for the filters)."""
    memberships = Membership.objects.filter(network=network)
    return memberships.current() if current else memberships
