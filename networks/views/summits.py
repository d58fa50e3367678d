"""Public pages of summits (the index of every network's summits and one summit's page) and of
thematic units. Reads live in :mod:`networks.selectors`."""

from __future__ import annotations

from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core import composition
from core.browse import BrowseListView

from .. import selectors
from ..filtersets import SummitBrowseFilter
from ..models import Summit, ThematicUnit
from ..structured_data import event_data


def summit_title(summit: Summit) -> str:
    """A summit's plain-text title in the active language: its own name, else its kind, number
    and network ("Summit no. 20 of Mercociudades"), else its kind, network, place and year."""
    if summit.name:
        return summit.name
    values = {
        "kind": summit.get_kind_display(),
        "number": summit.number,
        "network": str(summit.network),
        "place": str(summit.host_city) if summit.host_city_id else "",
        "year": (summit.start or summit.end).year if (summit.start or summit.end) else "",
    }
    if summit.number:
        title = gettext("%(kind)s no. %(number)s of %(network)s") % values
    elif values["place"] and values["year"]:
        title = gettext("%(kind)s of %(network)s in %(place)s, %(year)s") % values
    elif values["year"]:
        title = gettext("%(kind)s of %(network)s, %(year)s") % values
    else:
        title = gettext("%(kind)s of %(network)s") % values
    return capfirst(title)


def _country_code(summit):
    return summit.host_city.country.code if summit.host_city_id and summit.host_city.country_id else ""


class SummitListView(BrowseListView):
    """``/xx/summits/``: every network's summits, newest first."""

    model = Summit
    filterset_class = SummitBrowseFilter
    template_name = "networks/summit_list.html"
    context_object_name = "summits"
    page_title = _("Summits")
    csv_filename = "summits"
    csv_columns = [
        (_("network"), "network.slug"),
        (_("network name"), lambda summit: str(summit.network)),
        (_("summit"), "slug"),
        (_("number"), "number"),
        (_("number inferred"), "number_inferred"),
        (_("kind"), "kind"),
        (_("name"), "name"),
        (_("start"), "start"),
        (_("end"), "end"),
        (_("host city"), "host_city.slug"),
        (_("host city name"), lambda summit: str(summit.host_city) if summit.host_city_id else ""),
        (_("host country"), _country_code),
        (_("format"), "format"),
        (_("motto"), "motto"),
        (_("declaration"), "declaration"),
    ]

    def get_queryset(self):
        return selectors.summit_rows()


class SummitDetailView(DetailView):
    """``/xx/networks/<network>/summits/<slug>/``: one summit, what it admitted and elected."""

    template_name = "networks/summit_detail.html"
    context_object_name = "summit"

    def get_object(self, queryset=None):
        try:
            return selectors.summit_detail_queryset().get(
                network__slug=self.kwargs["network"], slug=self.kwargs["slug"]
            )
        except Summit.DoesNotExist:
            raise Http404(gettext("No summit found with this identifier.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        summit = self.object
        context["page_title"] = summit_title(summit)
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
            context["previous_title"] = summit_title(context["previous_summit"])
        if context["next_summit"]:
            context["next_title"] = summit_title(context["next_summit"])
        context["structured_data"] = event_data(summit, context["page_title"], self.request.build_absolute_uri)
        return context


class ThematicUnitDetailView(DetailView):
    """``/xx/networks/<network>/units/<slug>/``: a thematic unit, who coordinated it, its projects."""

    template_name = "networks/thematic_unit_detail.html"
    context_object_name = "unit"

    def get_object(self, queryset=None):
        try:
            return selectors.thematic_unit_queryset().get(
                network__slug=self.kwargs["network"], slug=self.kwargs["slug"]
            )
        except ThematicUnit.DoesNotExist:
            raise Http404(gettext("No thematic unit found with this identifier.")) from None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = self.object
        context["page_title"] = str(unit)
        context["offices"] = list(selectors.unit_offices(unit))
        # projects, project_count, project_limit, from the projects app
        context.update(composition.context("networks.unit_profile", unit))
        return context
