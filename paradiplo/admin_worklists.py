"""Data-quality worklists: the admin index shows how many records need work, each count linking
to the filtered change list. Counts are of work the user can do (core.ownership.editable_queryset:
an editor's networks' records, and the shared records they may still change), and a missing
translation is listed per language only where names are missing in it."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cities.models import City
from core import ownership as permissions
from core.admin_filters import missing_any_translation
from core.models import CorrectionProposal, CorrectionStatus
from core.records import LANGUAGE_CODES
from networks.models import Membership, Network
from networks.selectors import networks_short_of_reported


@dataclass
class Worklist:
    label: str
    count: int
    url: str


def changelist(model, query: str, user) -> str:
    """The change list of ``model`` filtered by ``query``; for an editor and a shared model, only
    the rows they may change (``editable=yes``), as counted."""
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + query
    if not permissions.is_curator(user) and permissions.owner_path(model) is None:
        url += "&editable=yes"
    return url


def worklists(request) -> list[Worklist]:
    """The worklists this user may act on, with counts (a fixed number of queries)."""
    user = request.user
    items = []

    def may_view(model) -> bool:
        return user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}")

    def add(label, model, queryset, query):
        if not may_view(model):
            return
        items.append(
            Worklist(label, permissions.editable_queryset(user, queryset).count(), changelist(model, query, user))
        )

    add(_("Memberships without a source"), Membership, Membership.objects.filter(citations__isnull=True), "?sourced=no")
    add(_("Cities without a source"), City, City.objects.filter(citations__isnull=True), "?sourced=no")
    add(
        _("Cities without coordinates"),
        City,
        City.objects.filter(Q(latitude__isnull=True) | Q(longitude__isnull=True)),
        "?coordinates=missing",
    )
    if may_view(City):
        # One query for the four languages; a language in which no name is missing is not listed.
        missing = {code: Q(**{f"name_{code}__isnull": True}) | Q(**{f"name_{code}": ""}) for code in LANGUAGE_CODES}
        counts = permissions.editable_queryset(user, City.objects.all()).aggregate(
            **{code: Count("pk", filter=condition) for code, condition in missing.items()}
        )
        names = dict(settings.LANGUAGES)
        for code in LANGUAGE_CODES:
            if counts[code]:
                label = _("Cities with a name missing in %(language)s") % {"language": names.get(code, code)}
                items.append(Worklist(label, counts[code], changelist(City, f"?missing_translation={code}", user)))
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
    if permissions.is_curator(user):
        items.append(
            Worklist(
                _("Proposed corrections to review"),
                CorrectionProposal.objects.filter(status=CorrectionStatus.OPEN).count(),
                reverse("admin:core_correctionproposal_changelist") + f"?status__exact={CorrectionStatus.OPEN}",
            )
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
