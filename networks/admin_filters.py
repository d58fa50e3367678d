"""Change-list filters of the networks admin: memberships with an unknown join date, networks
whose recorded members fall short of their latest reported figure."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.admin_filters import ConditionFilter

from .selectors import networks_short_of_reported


class JoinDateFilter(ConditionFilter):
    title = _("join date")
    parameter_name = "join_date"
    conditions = {
        "unknown": (_("unknown"), Q(start__isnull=True)),
        "known": (_("known"), Q(start__isnull=False)),
    }


class ShortOfReportedFilter(ConditionFilter):
    title = _("recorded members")
    parameter_name = "members"
    conditions = {"short": (_("fewer than the latest reported figure"), networks_short_of_reported)}
