"""Change-list filters of the networks admin: memberships with an unknown join date, networks
whose recorded members fall short of their latest reported figure."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .selectors import networks_short_of_reported


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


class ShortOfReportedFilter(admin.SimpleListFilter):
    title = _("recorded members")
    parameter_name = "members"

    def lookups(self, request, model_admin):
        return [("short", _("fewer than the latest reported figure"))]

    def queryset(self, request, queryset):
        if self.value() == "short":
            return networks_short_of_reported(queryset)
        return queryset
