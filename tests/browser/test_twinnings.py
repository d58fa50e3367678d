"""The twinnings page in a real browser (Playwright driving Debian's Chromium; fixtures in
conftest.py): filtered by a network both cities belonged to and by decade through its form, a
partner followed to its city page, where the agreement is listed from the other side, the CSV
download of the filtered rows, and axe-core on the page. Nothing is loaded from another host."""

import re
from pathlib import Path

import pytest

from ..helpers import screenshot
from .test_pages import axe_violations

# axe-core runs in the tab (tests/browser/test_csp.py checks the policy itself)
pytestmark = [pytest.mark.browser, pytest.mark.csp_bypassed, pytest.mark.django_db(transaction=True)]


def test_twinnings_filter_by_network_and_decade_and_lead_to_both_cities(page, real_data):
    page.goto("/en/twinnings/")
    assert page.locator("h1").inner_text() == "Twinnings"
    assert page.locator("table.twinnings tbody tr").count() == 46
    form = page.locator("form.filters")
    form.locator("select[name=network]").select_option("mercociudades")
    form.locator("select[name=decade]").select_option("1990")
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/en/twinnings/\?.*network=mercociudades.*decade=1990"))

    # Córdoba–Montevideo (1997): the only 1990s twinning of two Mercociudades members.
    rows = page.locator("table.twinnings tbody tr")
    assert rows.count() == 1
    assert set(rows.first.locator("a").all_inner_texts()) >= {"Córdoba", "Montevideo"}
    assert "1997" in rows.first.inner_text()
    screenshot(page, "twinnings-filtered-en")
    assert axe_violations(page) == []

    download_link = page.locator("p.download a").first
    assert "network=mercociudades" in download_link.get_attribute("href")
    with page.expect_download() as download:
        download_link.click()
    lines = Path(download.value.path()).read_text(encoding="utf-8").strip().splitlines()
    assert len(lines) == 2 and "cordoba-ar" in lines[1] and "montevideo-uy" in lines[1]

    # Montevideo is the agreement's second city: its page lists Córdoba all the same.
    rows.first.get_by_role("link", name="Montevideo").click()
    page.wait_for_url(re.compile(r"/en/cities/montevideo-uy/$"))
    twinnings = page.locator("table.twinnings")
    assert "Córdoba" in twinnings.inner_text() and "1997" in twinnings.inner_text()
    assert page.get_by_role("link", name=re.compile(r"Wikidata Q1335")).count() == 1
    assert page.external_requests == []


def test_twinnings_page_says_when_nothing_matches(page, real_data):
    page.goto("/en/twinnings/?network=mercociudades&decade=1960")
    assert page.locator("p.empty").inner_text() == "No twinning matches these filters."
    page.get_by_role("link", name="Clear filters").click()
    page.wait_for_url(re.compile(r"/en/twinnings/$"))
    assert page.locator("table.twinnings tbody tr").count() == 46
