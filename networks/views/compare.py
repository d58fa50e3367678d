"""``/xx/networks/compare/?networks=a,b``: two to four networks side by side (reads in
:func:`networks.selectors.compare_networks`), as a page of tables and charts or, with
``&format=csv``, as one CSV of every figure the page shows (long format: one figure a line)."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import exports
from core.browse import filter_query
from core.pagecache import CachedPageMixin

from .. import selectors
from ..charts import compare_country_chart, compare_growth_chart, compare_region_chart, compare_summit_chart
from ..forms import NetworkCompareForm

#: The CSV's columns: what the figure is, of which network (and, for a pair, which other),
#: what it is about (a year, a country code, a city key…), its label and its value.
CSV_HEADER = (
    _("measure"),
    _("network"),
    _("other network"),
    _("key"),
    _("label"),
    _("value"),
)


class NetworkCompareView(CachedPageMixin, TemplateView):
    """Pick two to four networks; see their size over time (recorded and reported), members by
    country, world region and regional bloc, the members they share (with the Jaccard overlap
    of each pair), their governing bodies and thematic units, and their summits by year. The
    choice lives in the URL (``?networks=mercociudades,uclg``), so the page can be cited and
    shared; fewer than two, more than four or an unknown key answer 400 with the form's message."""

    template_name = "networks/network_compare.html"

    def get(self, request, *args, **kwargs):
        networks = list(selectors.networks_to_compare())
        bound = "networks" in request.GET
        form = NetworkCompareForm(
            request.GET if bound else None,
            networks=networks,
            minimum=selectors.COMPARE_MIN,
            maximum=selectors.COMPARE_MAX,
        )
        context = self.get_context_data(form=form, page_title=gettext("Compare networks"))
        if not bound:
            return self.render_to_response(context)
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        comparison = selectors.compare_networks(form.cleaned_data["networks"])
        if request.GET.get("format") == "csv":
            filename = "compare-" + "-".join(network.slug for network in comparison.networks) + ".csv"
            return exports.csv_response(exports.csv_lines([str(h) for h in CSV_HEADER], csv_rows(comparison)), filename)
        names = ", ".join(str(network) for network in comparison.networks)
        country_chart = compare_country_chart(comparison)
        context.update(
            comparison=comparison,
            page_title=gettext("%(networks)s compared") % {"networks": names},
            growth_chart=compare_growth_chart(comparison),
            country_chart=country_chart,
            region_chart=compare_region_chart(comparison),
            summit_chart=compare_summit_chart(comparison),
            country_chart_limit=len(country_chart["labels"]),
            csv_query=filter_query(request, format="csv"),
            permalink="?networks=" + ",".join(network.slug for network in comparison.networks),
            **table_rows(comparison),
        )
        return self.render_to_response(context)


def _aligned(networks, values: dict) -> list:
    """``values`` (by network key) in the order of ``networks``, 0 where a network has none."""
    return [values.get(network.slug, 0) for network in networks]


def table_rows(comparison) -> dict:
    """The page's tables: each row's figures in the order of the compared networks."""
    networks = comparison.networks
    return {
        "growth_rows": comparison.growth_table(),
        "reported_rows": [(network, comparison.figures[network.slug]) for network in networks],
        "country_rows": [(country, _aligned(networks, values)) for country, values in comparison.by_country],
        "region_rows": [(label, _aligned(networks, values)) for _code, label, values in comparison.by_region],
        "bloc_rows": [(bloc, _aligned(networks, values)) for bloc, values in comparison.by_bloc],
        "summit_rows": [(year, _aligned(networks, values)) for year, values in comparison.summits_by_year],
        "undated_summit_row": _aligned(networks, comparison.undated_summits),
        "structure": [
            {
                "network": network,
                "bodies": comparison.bodies[network.slug],
                "bodies_in_force": sum(body.is_in_force(comparison.on) for body in comparison.bodies[network.slug]),
                "units": comparison.units[network.slug],
                "units_in_force": sum(unit.is_in_force(comparison.on) for unit in comparison.units[network.slug]),
                "summits": sum(comparison.summits_by_year_of(network.slug)) + comparison.undated_summits[network.slug],
            }
            for network in networks
        ],
        "shared_rows": [(member, comparison.shared_networks(member)) for member in comparison.shared],
    }


def csv_rows(comparison):
    """Every figure of the comparison as ``(measure, network, other network, key, label, value)``."""
    for network in comparison.networks:
        slug = network.slug
        yield ("members_recorded", slug, "", "", str(network), network.current_members)
        yield ("latest_reported_size", slug, "", network.reported_date, "", network.reported_members)
        for row in comparison.growth[slug]["years"]:
            yield ("members_recorded_with_date", slug, "", row["year"], "", row["recorded_members"])
        yield ("members_recorded_without_date", slug, "", "", "", comparison.growth[slug]["undated_members"])
        for figure in comparison.figures[slug]:
            yield ("size_reported", slug, "", figure.date, "", figure.members)
    for country, values in comparison.by_country:
        for slug, n in values.items():
            yield ("members_by_country", slug, "", country.code if country else "", str(country or ""), n)
    for code, label, values in comparison.by_region:
        for slug, n in values.items():
            yield ("members_by_region", slug, "", code, label, n)
    for bloc, values in comparison.by_bloc:
        for slug, n in values.items():
            yield ("members_by_bloc", slug, "", bloc.slug, str(bloc), n)
    for pair in comparison.pairs:
        first, second = pair.first.slug, pair.second.slug
        yield ("shared_members", first, second, "", "", pair.shared)
        yield ("jaccard_overlap", first, second, "", "", pair.jaccard)
    for member in comparison.shared:
        for network in comparison.shared_networks(member):
            yield ("shared_member", network.slug, "", member.city.slug, str(member.city), member.city.country.code)
    for tie in comparison.office_ties:
        for network in tie.member_of:
            yield (
                "office_without_membership",
                network.slug,
                tie.office.network.slug,
                tie.city.slug,
                str(tie.city),
                tie.office.get_role_display(),
            )
    for network in comparison.networks:
        for body in comparison.bodies[network.slug]:
            yield ("governing_body", network.slug, "", body.slug, str(body), body.is_in_force(comparison.on))
        for unit in comparison.units[network.slug]:
            yield ("thematic_unit", network.slug, "", unit.slug, str(unit), unit.is_in_force(comparison.on))
    for year, values in comparison.summits_by_year:
        for slug, n in values.items():
            yield ("summits", slug, "", year, "", n)
    for slug, n in comparison.undated_summits.items():
        if n:
            yield ("summits_without_date", slug, "", "", "", n)
