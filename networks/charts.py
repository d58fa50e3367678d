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
