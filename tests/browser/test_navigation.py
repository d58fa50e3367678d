"""Issue 12 in a real browser (Playwright + Debian's Chromium, fixtures in conftest.py): a search in
Spanish leads to the record's Spanish page, and the network profile on a 375-pixel phone keeps
its table of contents in view, fits the screen's width and copies its citation."""

import pytest

from ..helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_leads_to_the_page_and_the_profile_is_navigable_on_a_phone(page, real_data):
    # A misspelt name, searched on the Spanish site: the first result opens the Spanish page.
    page.goto("/es/search/?q=montevidoe")
    page.locator(".search-hits a, .search-suggestions a").first.click()
    page.wait_for_url("**/es/cities/montevideo-uy/")
    assert page.locator("html").get_attribute("lang") == "es"

    page.set_viewport_size({"width": 375, "height": 800})
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/en/networks/mercociudades/")
    # Nothing is wider than the phone: the member table stacks its cells.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # Far down the page, the table of contents is still at the top of the screen.
    page.locator(".toc a[href='#bodies-heading']").click()
    page.wait_for_function("() => window.scrollY > 2000")
    toc = page.locator("nav.toc").bounding_box()
    assert toc["y"] == 0 and toc["height"] < 80
    heading = page.locator("#bodies-heading").bounding_box()
    assert toc["height"] <= heading["y"] < 200  # the section's heading shows below the bar
    screenshot(page, "navigation-phone-profile")

    # "Cite this page", near the top, copies the BibTeX entry.
    page.locator(".cite-page summary").click()
    page.locator("button[data-copy='cite-bibtex']").click()
    page.wait_for_function("() => document.querySelector('.cite-copy-status').textContent !== ''")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("@misc{paradiplo-networks-mercociudades,")
    assert page.external_requests == []
