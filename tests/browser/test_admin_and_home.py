"""Real-browser tests of the home page, the language switcher and the admin (Playwright driving
Debian's Chromium; fixtures in conftest.py). Screenshots go to test-artifacts/."""

import re

import pytest

from ..helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_page_shows_the_networks(page, real_data):
    page.goto("/en/")
    table = page.locator("table.networks")
    for name in [
        "Mercocities",
        "C40 Cities Climate Leadership Group",
        "Eurocities",
        "Metropolis",
        "United Cities and Local Governments",
    ]:
        assert table.get_by_text(name, exact=False).first.is_visible(), name
    screenshot(page, "home-en")
    assert page.external_requests == []


def test_language_switcher_keeps_the_page(page, real_data):
    page.goto("/en/search/?q=Montevideo")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="español").click()
    page.wait_for_url(re.compile(r"/es/search/\?q=Montevideo$"))
    assert page.locator("html").get_attribute("lang") == "es"
    assert (
        page.get_by_role("navigation", name="Idioma").get_by_role("link", name="español").get_attribute("aria-current")
        == "true"
    )
    screenshot(page, "search-es")


def test_admin_translation_tabs_work_offline(page, real_data, django_user_model):
    django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-password-1")
    page.goto("/admin/login/?next=/admin/networks/network/")
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.get_by_role("link", name=re.compile("Mercocities")).first.click()
    tabs = page.locator(".ui-tabs-nav").first
    tabs.wait_for(state="visible")
    # The English tab is shown first; the Spanish one reveals the Spanish name.
    assert page.locator("#id_name_es").is_hidden()
    tabs.get_by_text("es", exact=False).first.click()
    assert page.locator("#id_name_es").is_visible()
    assert page.locator("#id_name_es").input_value() == "Red de Mercociudades"
    screenshot(page, "admin-network-tabs")
    assert page.external_requests == [], page.external_requests
