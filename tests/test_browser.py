"""Real-browser tests: Playwright driving Debian's Chromium (no browser download).

Every request to another host is blocked and recorded, so these tests also prove the pages
and the admin work offline. Screenshots go to test-artifacts/."""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        message = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("PARADIPLO_REQUIRE_BROWSER") == "1" or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from the test
    # body are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def real_data(transactional_db):
    # Transactional tests empty the database afterwards, so each one loads the data it needs.
    call_command("load_real_data", verbosity=0)


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    page = context.new_page()
    page.external_requests = []
    local = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?/")

    def only_local(route):
        if local.match(route.request.url):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    yield page
    context.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


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
