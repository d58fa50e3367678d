"""Reads: querysets shaped for the pages that show networks (fixed number of queries)."""

from __future__ import annotations

import datetime

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils import timezone

from paradiplo.admin_tools import name_coalesce
from paradiplo.periods import in_force_condition

from .models import MembershipFigure, Network


def networks_with_counts(on: datetime.date | None = None):
    """Networks with their recorded current members, summits and latest reported figure.

    One query whatever the number of networks and memberships."""
    on = on or timezone.localdate()
    latest_figure = MembershipFigure.objects.filter(network=OuterRef("pk")).order_by(
        F("date").desc(nulls_last=True), "-members"
    )
    return (
        Network.objects.select_related("secretariat_city", "secretariat_city__country", "parent")
        .annotate(
            sort_name=name_coalesce(),
            current_members=Count("memberships", filter=in_force_condition(on, "memberships__"), distinct=True),
            recorded_members=Count("memberships", distinct=True),
            summit_count=Count("summits", distinct=True),
            reported_members=Subquery(latest_figure.values("members")[:1]),
            reported_date=Subquery(latest_figure.values("date")[:1]),
        )
        .order_by(F("parent").asc(nulls_first=True), "sort_name")
    )


def top_level_networks(on: datetime.date | None = None):
    return networks_with_counts(on).filter(Q(parent__isnull=True))
