"""Data-quality worklists: the admin index shows how many records need work, each count linking
to the filtered change list. Counts obey the editing rule (an editor sees their networks' work)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import City
from core import ownership as permissions
from core.admin_filters import missing_any_translation
from networks.models import Membership, Network
from networks.selectors import networks_short_of_reported


@dataclass
class Worklist:
    label: str
    count: int
    url: str


def worklists(request) -> list[Worklist]:
    """The worklists this user may act on, with counts (a fixed number of queries)."""
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
    if user.has_perm("networks.view_network"):
        # The coverage report: one line per network the user may see (its count is theirs).
        networks = permissions.scope_queryset(user, Network.objects.all())
        items.append(
            Worklist(
                _("Coverage report: recorded and reported members per network"),
                networks.count(),
                reverse("admin:networks_network_coverage"),
            )
        )
    return items
