"""Coverage and evidence levels in a real browser (#11): a network's profile states its coverage
at the top, draws the growth chart with the undated members apart from the curve and the reported
figures as points, and lists its probable and uncertain members apart."""

import pytest

from networks import selectors

from ..helpers import screenshot
from .test_pages import wait_for_drawings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_profile_shows_coverage_first_and_the_growth_chart_keeps_undated_members_apart(page, real_data):
    counted = selectors.counted_memberships().filter(network__slug="metropolis").count()
    page.goto("/en/networks/metropolis/")
    coverage = page.locator("#coverage")
    assert coverage.is_visible()
    assert coverage.inner_text().startswith(f"{counted} of about ")
    # near the top: in the first screenful, before the members section
    assert coverage.bounding_box()["y"] < page.viewport_size["height"]
    wait_for_drawings(page)
    chart = page.locator('canvas[data-chart="membership-growth-data"]')
    datasets = chart.evaluate(
        "c => c.paradiploChart.data.datasets.map(d => ({label: d.label, data: d.data, showLine: d.showLine}))"
    )
    dated, reported, undated = datasets
    assert max(value for value in dated["data"] if value is not None) <= counted
    assert any(value is not None for value in reported["data"]) and reported["showLine"] is False
    assert undated["showLine"] is False and undated["data"][-1] == counted - dated["data"][-1]
    assert all(value is None for value in undated["data"][:-1])  # never a jump in the curve
    uncounted = page.locator("#uncounted-heading")
    assert uncounted.inner_text() == "Probable or uncertain members (not counted)"
    screenshot(page, "network-profile-coverage")
    assert page.external_requests == []
