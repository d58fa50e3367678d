"""Reads for the summit and thematic unit pages: querysets shaped so that each page runs a fixed
number of queries whatever the number of summits, admissions, offices and projects.

A summit's place in time is its start, or its end when only the end is known (some sources
give only the closing day): :func:`summit_date_key` orders summits by it.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce

from cities.models import Country
from core.queries import citations_prefetch, name_coalesce
from projects.models import Project

from .models import Membership, Network, Office, Summit, ThematicUnit

#: How many projects a thematic unit page lists (the most recent first).
UNIT_PROJECT_LIMIT = 50


def summit_date_key():
    """The date a summit is placed at: its start, else its end (both encoded YYYYMMDD)."""
    return Coalesce("start", "end")


def summit_rows() -> QuerySet[Summit]:
    """Every network's summits for the index: newest first, then by network name (in the active
    language), with network, host city, country and cited sources in a fixed number of queries."""
    return (
        Summit.objects.select_related("network", "host_city", "host_city__country")
        .prefetch_related(citations_prefetch(Summit))
        .annotate(date_key=summit_date_key(), network_name=name_coalesce("network__name"))
        .order_by(F("date_key").desc(nulls_last=True), "network_name", "network__slug", "-number", "slug")
    )


def networks_with_summits() -> QuerySet[Network]:
    """Networks that have at least one summit (for the index's network filter)."""
    return (
        Network.objects.filter(pk__in=Summit.objects.values("network"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "slug")
    )


def host_countries() -> QuerySet[Country]:
    """Countries where at least one summit was held (for the index's country filter)."""
    return (
        Country.objects.filter(pk__in=Summit.objects.filter(host_city__isnull=False).values("host_city__country"))
        .annotate(sort_name=name_coalesce())
        .order_by("sort_name", "code")
    )


def summit_detail_queryset() -> QuerySet[Summit]:
    return (
        Summit.objects.select_related("network", "host_city", "host_city__country")
        .prefetch_related(citations_prefetch(Summit))
        .annotate(date_key=summit_date_key())
    )


def summit_admissions(summit: Summit) -> QuerySet[Membership]:
    """The memberships this summit admitted, by city name."""
    return (
        Membership.objects.filter(admitted_at=summit)
        .select_related("city", "city__country")
        .prefetch_related(citations_prefetch(Membership))
        .annotate(city_name=name_coalesce("city__name"))
        .order_by("city_name", "city__slug", "start")
    )


def summit_elections(summit: Summit) -> QuerySet[Office]:
    """The offices this summit elected, in the order they began."""
    return (
        Office.objects.filter(elected_at=summit)
        .select_related("city", "city__country", "body", "thematic_unit", "thematic_unit__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_last=True), "role", "city__slug")
    )


def neighbouring_summits(summit: Summit) -> tuple[Summit | None, Summit | None]:
    """The previous and next summits of the same network (by date, else by number): two queries."""
    others = (
        Summit.objects.filter(network_id=summit.network_id).exclude(pk=summit.pk).select_related("network", "host_city")
    )
    key = getattr(summit, "date_key", None)
    if key is None:
        key = summit.start or summit.end
    if key is not None:
        key = int(key)
        others = others.annotate(date_key=summit_date_key())
        earlier = others.filter(Q(date_key__lt=key) | Q(date_key=key, pk__lt=summit.pk))
        later = others.filter(Q(date_key__gt=key) | Q(date_key=key, pk__gt=summit.pk))
        previous = earlier.order_by("-date_key", "-pk").first()
        following = later.order_by("date_key", "pk").first()
    elif summit.number is not None:
        previous = others.filter(number__lt=summit.number).order_by("-number").first()
        following = others.filter(number__gt=summit.number).order_by("number").first()
    else:
        return None, None
    return previous, following


def thematic_unit_queryset() -> QuerySet[ThematicUnit]:
    return ThematicUnit.objects.select_related("network").prefetch_related(citations_prefetch(ThematicUnit))


def unit_offices(unit: ThematicUnit) -> QuerySet[Office]:
    """Who coordinated (or otherwise held an office of) the unit, in order of time."""
    return (
        Office.objects.filter(thematic_unit=unit)
        .select_related("city", "city__country", "elected_at", "elected_at__network")
        .prefetch_related(citations_prefetch(Office))
        .order_by(F("start").asc(nulls_first=True), "role", "city__slug")
    )


def unit_projects(unit: ThematicUnit, limit: int = UNIT_PROJECT_LIMIT) -> list[Project]:
    """The unit's projects, most recent first, at most ``limit`` of them."""
    return list(
        Project.objects.filter(thematic_unit=unit)
        .prefetch_related(citations_prefetch(Project))
        .order_by(F("start").desc(nulls_last=True), "slug")[:limit]
    )


def unit_project_count(unit: ThematicUnit) -> int:
    return Project.objects.filter(thematic_unit=unit).count()
