"""Comparing networks in a real browser (Playwright + Debian's Chromium, fixtures in
conftest.py): ticking two networks on the form leads to a URL that keeps the choice, and every
chart of the comparison is drawn under the Content-Security-Policy."""

import pytest

from ..helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_two_networks_ticked_are_compared_with_every_chart_drawn(page, real_data):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/en/networks/")
    page.get_by_role("link", name="Compare networks side by side").click()
    page.get_by_label("Mercocities (Mercosur Cities Network)").check()
    page.get_by_label("Metropolis, World Association of the Major Metropolises").check()
    page.get_by_role("button", name="Compare").click()
    page.wait_for_function(
        """() => document.querySelectorAll('canvas[data-chart]').length === 4 &&
                 [...document.querySelectorAll('canvas[data-chart]')].every(e => e.dataset.drawn === 'true')""",
        timeout=20000,
    )
    assert "networks=mercociudades" in page.url and "networks=metropolis" in page.url
    shared = page.locator("#compare-shared-table")
    assert shared.get_by_role("link", name="Montevideo").count() == 1
    assert shared.get_by_role("link", name="Bogotá").count() == 1
    screenshot(page, "compare-mercociudades-metropolis")
    assert errors == [], errors
    assert page.external_requests == [], page.external_requests
