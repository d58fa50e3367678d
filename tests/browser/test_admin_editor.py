"""A real browser in the admin as a network editor: the language switch in the header, kept for
the user, and the city autocomplete that tells homonyms apart (Playwright driving Chromium)."""

import pytest

from ..factories import CityFactory, CountryFactory, NetworkFactory
from ..helpers import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_switches_the_admin_to_spanish_and_tells_homonyms_apart(page, django_user_model):
    from networks.services import grant_editor

    editor = django_user_model.objects.create_user("editor", password="a-long-password-1")
    grant_editor(user=editor, network=NetworkFactory())
    country = CountryFactory()
    for province, population in (("Province A", 120000), ("Province B", 9000)):
        CityFactory(name_en="Santa Rosa", country=country, admin_area_name=province, population=population)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.select_option("#admin-language-select", "es")
    page.click("#admin-language button")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto("/admin/networks/membership/add/")
    page.locator(".field-city .select2-selection").click()
    page.locator(".select2-search__field").fill("Santa Rosa")
    # Select2 searches again at each keystroke ("Searching…" in between): wait for the answer to
    # the whole name, the more populous Santa Rosa first.
    page.wait_for_function(
        """() => {
            const texts = [...document.querySelectorAll('.select2-results__option')].map((o) => o.innerText);
            return texts.length >= 2 && texts[0].startsWith('Santa Rosa — Province A')
                && texts[1].startsWith('Santa Rosa — Province B');
        }"""
    )
    texts = page.locator(".select2-results__option").all_inner_texts()
    assert texts[0].startswith("Santa Rosa — Province A") and texts[1].startswith("Santa Rosa — Province B")
    assert all(str(country) in text for text in texts)
    screenshot(page, "admin-city-autocomplete-es")
    assert page.external_requests == []
