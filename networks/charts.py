"""Chart data for the network profile (``includes/chart.html``): plain functions of rows the
selectors already loaded, no query."""

from __future__ import annotations

from django.utils.translation import gettext


def country_chart(rows, figure) -> dict:
    """A bar chart of members by country: recorded now beside the reported breakdown."""
    labels = [str(row.country) if row.country else gettext("Country unknown") for row in rows]
    datasets = [{"label": gettext("Members recorded now"), "data": [row.recorded for row in rows]}]
    if figure is not None:
        when = figure.date.display() if figure.date else gettext("undated")
        datasets.append(
            {
                "label": gettext("Reported (%(date)s)") % {"date": when},
                "data": [row.reported for row in rows],
            }
        )
    return {"type": "bar", "labels": labels, "datasets": datasets, "horizontal": len(labels) > 8}


def growth_chart(rows, undated: int = 0) -> dict:
    """A line chart of members year by year: counted members with a date (joined or first
    attested) at the end of each year, and the largest size a source reported that year as
    points. Members with no date at all (``undated``) are a separate point in the last year, never
    added to the curve: a jump there would only be a gap in the record."""
    datasets = [
        {"label": gettext("Members recorded with a date"), "data": [row["recorded"] for row in rows], "stepped": True},
        {
            "label": gettext("Size reported by sources"),
            "data": [max((f.members for f in row["reported"]), default=None) for row in rows],
            "showLine": False,
            "pointRadius": 5,
        },
    ]
    if undated and rows:
        datasets.append(
            {
                "label": gettext("Members recorded without a date (counted today, not placed in time)"),
                "data": [None] * (len(rows) - 1) + [undated],
                "showLine": False,
                "pointRadius": 6,
                "pointStyle": "rectRot",
            }
        )
    return {"type": "line", "labels": [row["year"] for row in rows], "datasets": datasets}


# --- the comparison of networks (networks.selectors.compare_networks) -------------------------
#: A colour per compared network (at most four), the same in every chart of the comparison.
COMPARE_COLOURS = ["#0b5cad", "#c05600", "#2e7d32", "#6a1b9a"]
#: How many countries the comparison's chart shows (the table lists them all).
COMPARE_COUNTRY_LIMIT = 15


def _colour(index: int) -> dict:
    colour = COMPARE_COLOURS[index % len(COMPARE_COLOURS)]
    return {"borderColor": colour, "backgroundColor": colour}


def compare_growth_chart(comparison) -> dict:
    """Each network's counted members with a date, year by year (a stepped line each), and the
    sizes sources reported (points of the same colour)."""
    years = comparison.years
    datasets = []
    for index, network in enumerate(comparison.networks):
        recorded = {row["year"]: row["recorded_members"] for row in comparison.growth[network.slug]["years"]}
        datasets.append(
            {
                "label": gettext("%(network)s: members recorded with a date") % {"network": network},
                "data": [recorded.get(year) for year in years],
                "stepped": True,
                **_colour(index),
            }
        )
        reported: dict[int, int] = {}
        for figure in comparison.figures[network.slug]:
            reported[figure.date.year] = max(reported.get(figure.date.year, 0), figure.members)
        if reported:
            datasets.append(
                {
                    "label": gettext("%(network)s: size reported by sources") % {"network": network},
                    "data": [reported.get(year) for year in years],
                    "showLine": False,
                    "pointRadius": 5,
                    "pointStyle": "rectRot",
                    **_colour(index),
                }
            )
    return {"type": "line", "labels": years, "datasets": datasets}


def _grouped_bars(comparison, labels: list[str], values: list[dict[str, int]], horizontal: bool = False) -> dict:
    datasets = [
        {"label": str(network), "data": [row.get(network.slug, 0) for row in values], **_colour(index)}
        for index, network in enumerate(comparison.networks)
    ]
    return {"type": "bar", "labels": labels, "datasets": datasets, "horizontal": horizontal}


def compare_country_chart(comparison, limit: int = COMPARE_COUNTRY_LIMIT) -> dict:
    """Counted members by country, the countries with most members first (at most ``limit``)."""
    rows = comparison.by_country[:limit]
    labels = [str(country) if country else gettext("Country unknown") for country, _values in rows]
    return _grouped_bars(comparison, labels, [values for _country, values in rows], horizontal=len(rows) > 8)


def compare_region_chart(comparison) -> dict:
    """Counted members by world region."""
    rows = comparison.by_region
    return _grouped_bars(comparison, [label for _code, label, _values in rows], [values for *_rest, values in rows])


def compare_summit_chart(comparison) -> dict:
    """Summits held per year."""
    rows = comparison.summits_by_year
    return _grouped_bars(comparison, [str(year) for year, _values in rows], [values for _year, values in rows])
