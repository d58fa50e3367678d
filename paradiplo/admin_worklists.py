"""Data-quality worklists: the admin index shows how many records need work, each count linking
to the filtered change list. Counts obey the editing rule (an editor sees their networks' work)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import admin
from django.db.models import F, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import ownership as permissions
from core.records import LANGUAGE_CODES


class WithoutSourceFilter(admin.SimpleListFilter):
    """Records that cite no source."""

    title = _("sources")
    parameter_name = "sourced"

    def lookups(self, request, model_admin):
        return [("no", _("without a source")), ("yes", _("with a source"))]

    def queryset(self, request, queryset):
        if self.value() == "no":
            return queryset.filter(citations__isnull=True)
        if self.value() == "yes":
            return queryset.filter(citations__isnull=False).distinct()
        return queryset


def missing_translation_filter(field: str = "name"):
    class MissingTranslationFilter(admin.SimpleListFilter):
        title = _("missing translation")
        parameter_name = "missing_translation"

        def lookups(self, request, model_admin):
            return [("any", _("in any language")), *[(code, code) for code in LANGUAGE_CODES]]

        def queryset(self, request, queryset):
            if self.value() == "any":
                return queryset.filter(missing_any_translation(field))
            if self.value() in LANGUAGE_CODES:
                column = f"{field}_{self.value()}"
                return queryset.filter(Q(**{f"{column}__isnull": True}) | Q(**{column: ""}))
            return queryset

    return MissingTranslationFilter


def missing_any_translation(field: str = "name") -> Q:
    condition = Q()
    for code in LANGUAGE_CODES:
        condition |= Q(**{f"{field}_{code}__isnull": True}) | Q(**{f"{field}_{code}": ""})
    return condition


class CoordinatesFilter(admin.SimpleListFilter):
    title = _("coordinates")
    parameter_name = "coordinates"

    def lookups(self, request, model_admin):
        return [("missing", _("missing")), ("known", _("known"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return queryset.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True))
        if self.value() == "known":
            return queryset.filter(latitude__isnull=False, longitude__isnull=False)
        return queryset


class JoinDateFilter(admin.SimpleListFilter):
    title = _("join date")
    parameter_name = "join_date"

    def lookups(self, request, model_admin):
        return [("unknown", _("unknown")), ("known", _("known"))]

    def queryset(self, request, queryset):
        if self.value() == "unknown":
            return queryset.filter(start__isnull=True)
        if self.value() == "known":
            return queryset.filter(start__isnull=False)
        return queryset


def networks_short_of_reported(queryset):
    """Networks whose current recorded members are fewer than their latest reported figure."""
    from networks.models import Membership, MembershipFigure
    from networks.selectors import count_per_network

    latest = MembershipFigure.objects.filter(network=OuterRef("pk")).order_by("-date", "-members")
    return queryset.annotate(
        recorded=count_per_network(Membership.objects.current()),
        reported=Subquery(latest.values("members")[:1]),
    ).filter(reported__isnull=False, recorded__lt=F("reported"))


class ShortOfReportedFilter(admin.SimpleListFilter):
    title = _("recorded members")
    parameter_name = "members"

    def lookups(self, request, model_admin):
        return [("short", _("fewer than the latest reported figure"))]

    def queryset(self, request, queryset):
        if self.value() == "short":
            return networks_short_of_reported(queryset)
        return queryset


@dataclass
class Worklist:
    label: str
    count: int
    url: str


def worklists(request) -> list[Worklist]:
    """The worklists this user may act on, with counts (a fixed number of queries)."""
    from cities.models import City
    from networks.models import Membership, Network

    user = request.user
    items = []

    def add(label, model, queryset, query):
        if not user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
            return
        scoped = permissions.scope_queryset(user, queryset)
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query
        items.append(Worklist(label, scoped.count(), url))

    add(_("Memberships without a source"), Membership, Membership.objects.filter(citations__isnull=True), "?sourced=no")
    add(_("Cities without a source"), City, City.objects.filter(citations__isnull=True), "?sourced=no")
    add(
        _("Cities without coordinates"),
        City,
        City.objects.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)),
        "?coordinates=missing",
    )
    add(
        _("Cities with a name missing in Spanish"),
        City,
        City.objects.filter(Q(name_es__isnull=True) | Q(name_es="")),
        "?missing_translation=es",
    )
    add(
        _("Networks with a name missing in a language"),
        Network,
        Network.objects.filter(missing_any_translation()),
        "?missing_translation=any",
    )
    add(
        _("Memberships with an unknown join date"),
        Membership,
        Membership.objects.filter(start__isnull=True),
        "?join_date=unknown",
    )
    add(
        _("Networks with fewer recorded members than reported"),
        Network,
        networks_short_of_reported(Network.objects.all()),
        "?members=short",
    )
    return items
