"""The header typeahead in a real browser (Playwright + Debian's Chromium, fixtures in conftest.py):
the ARIA combobox pattern with the keyboard, and the search page it leads to."""

import pytest

from ..helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_typeahead_is_a_keyboard_accessible_combobox(page, real_data):
    page.goto("/en/")
    box = page.locator("#site-search-input")
    listbox = page.locator("#site-search-listbox")
    box.click()
    box.press_sequentially("montev", delay=30)
    listbox.locator("[role=option]").first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    first = listbox.locator("[role=option]").first
    assert "Montevideo" in first.inner_text()

    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    assert "suggestions" in page.locator(".typeahead-status").inner_text()
    screenshot(page, "search-typeahead")

    box.press("Escape")
    assert listbox.is_hidden() and box.get_attribute("aria-expanded") == "false"

    # Enter with no suggestion chosen submits the search.
    box.fill("asuncion")
    box.press("Enter")
    page.wait_for_url("**/en/search/?q=asuncion")
    assert "Asunción" in page.locator(".search-hit a").first.inner_text()
    assert page.locator(".search-hit mark").first.inner_text() == "Asunción"
    screenshot(page, "search-en")

    # Down then Enter opens the chosen record's page, in the page's language.
    box = page.locator("#site-search-input")
    box.fill("")
    box.press_sequentially("sao pau", delay=30)
    page.locator("#site-search-listbox [role=option]").first.wait_for()
    box.press("ArrowDown")
    box.press("Enter")
    page.wait_for_url("**/en/cities/sao-paulo-br/")
    assert page.external_requests == []
