"""Public pages of summits (the index of every network's summits and one summit's page) and of
thematic units. Reads live in :mod:`networks.selectors`."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import composition, jsonld
from core.browse import BrowseListView, Column, RecordDetailView, linked
from core.templatetags.paradiplo import period, tr

from .. import selectors
from ..filters import SummitFilter
from ..models import Summit
from .networks import place


def _country_code(summit):
    return summit.host_city.country.code if summit.host_city_id and summit.host_city.country_id else ""


def _host(summit) -> str:
    # Screen readers say what the dash means.
    empty = format_html(
        '<span class="visually-hidden">{}</span><span aria-hidden="true">—</span>', gettext("host city not recorded")
    )
    return place(summit.host_city, empty)


def _kind(summit) -> str:
    summit_format = format_html("<br><small>{}</small>", capfirst(summit.get_format_display())) if summit.format else ""
    return format_html("{}{}", capfirst(summit.get_kind_display()), summit_format)


def _motto(summit) -> str:
    return format_html("<q>{}</q>", tr(summit, "motto")) if summit.motto else "—"


class SummitListView(BrowseListView):
    """``/xx/summits/``: every network's summits, newest first."""

    model = Summit
    filterset_class = SummitFilter
    context_object_name = "summits"
    page_title = _("Summits of city networks")
    csv_filename = "summits"
    columns = [
        Column(_("Date"), cell=period),
        Column(_("Summit"), cell="networks/cells/summit.html", row_header=True),
        Column(csv_header=_("network"), value="network.slug"),
        Column(_("Network"), _("network name"), lambda summit: str(summit.network), cell=linked("network")),
        Column(csv_header=_("summit"), value="slug"),
        Column(_("Number"), _("number"), "number", cell="networks/_summit_number.html", numeric=True),
        Column(csv_header=_("number inferred"), value="number_inferred"),
        Column(csv_header=_("kind"), value="kind"),
        Column(csv_header=_("name"), value="name"),
        Column(csv_header=_("start"), value="start"),
        Column(csv_header=_("end"), value="end"),
        Column(csv_header=_("host city"), value="host_city.slug"),
        Column(
            _("Host city"),
            _("host city name"),
            lambda summit: str(summit.host_city) if summit.host_city_id else "",
            cell=_host,
        ),
        Column(csv_header=_("host country"), value=_country_code),
        Column(_("Kind"), cell=_kind),
        Column(csv_header=_("format"), value="format"),
        Column(_("Motto"), _("motto"), "motto", cell=_motto),
        Column(csv_header=_("declaration"), value="declaration"),
    ]

    def get_queryset(self):
        return selectors.summit_rows()


class SummitDetailView(RecordDetailView):
    """``/xx/networks/<network>/summits/<slug>/``: one summit, what it admitted and elected."""

    template_name = "networks/summit_detail.html"
    context_object_name = "summit"

    lookup = {"network": "network__slug", "slug": "slug"}
    not_found = _("No summit found with this identifier.")

    def get_queryset(self):
        return selectors.summit_detail_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summit = self.object
        context["page_title"] = summit.title
        # A summit without its own name is titled after its network already.
        context["document_title"] = (
            f"{context['page_title']} — {summit.network}" if summit.name else context["page_title"]
        )
        when = summit.start or summit.end
        context["summit_when"] = when.display() if when else ""
        context["admissions"] = list(selectors.summit_admissions(summit))
        context["elections"] = list(selectors.summit_elections(summit))
        context["previous_summit"], context["next_summit"] = selectors.neighbouring_summits(summit)
        if context["previous_summit"]:
            context["previous_title"] = context["previous_summit"].title
        if context["next_summit"]:
            context["next_title"] = context["next_summit"].title
        context["structured_data"] = jsonld.event_data(summit, self.request.build_absolute_uri)
        return context


class ThematicUnitDetailView(RecordDetailView):
    """``/xx/networks/<network>/units/<slug>/``: a thematic unit, who coordinated it, its projects."""

    template_name = "networks/thematic_unit_detail.html"
    context_object_name = "unit"

    lookup = {"network": "network__slug", "slug": "slug"}
    not_found = _("No thematic unit found with this identifier.")

    def get_queryset(self):
        return selectors.thematic_unit_queryset()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["page_title"] = str(unit)
        context["offices"] = list(selectors.unit_offices(unit))
        # projects, project_count, project_limit, from the projects app
        context.update(composition.context("networks.unit_profile", unit))
        return context
