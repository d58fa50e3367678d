"""Every kind of page works under the Content-Security-Policy, in a real browser (Playwright +
Debian's Chromium, fixtures in conftest.py): the public pages with their map, charts and search
typeahead, the admin with its translation tabs and autocomplete, and the API docs (Swagger UI and
Redoc). Each page is loaded with a listener for ``securitypolicyviolation`` events, and the
browser's console is read for errors: a blocked script, style, image or request fails the test,
and so does a page whose map, chart or typeahead did not actually work."""

import re

import pytest

from ..helpers import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any of the page's own scripts run (an init script is not subject to the policy).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + event.blockedURI + " " + (event.sourceFile || ""));
});
"""


REDOC_LOGO = "img-src https://cdn.redoc.ly/redoc/logo-mini.svg "


@pytest.fixture
def watched(page):
    """The page, recording policy violations and console errors."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def assert_clean(page, allowed=()):
    violations = [v for v in page.evaluate("window.__cspViolations") if v not in allowed]
    assert violations == [], violations
    # The console reports each violation too: those allowed above are left out.
    errors = [e for e in page.console_errors if not any(v.split()[1] in e for v in allowed)]
    assert errors == [], errors
    assert page.external_requests == [], page.external_requests


def policy_of(response) -> str:
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    return policy


def test_public_pages_with_map_and_charts_work_under_the_policy(watched, real_data):
    page = watched
    policy_of(page.goto("/en/networks/mercociudades/"))
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-map], canvas[data-chart]')].length > 0 &&
                 [...document.querySelectorAll('[data-map], canvas[data-chart]')]
                 .every(e => e.dataset.drawn === 'true')""",
        timeout=20000,
    )
    assert page.locator("[data-map] path.leaflet-interactive").count() > 10  # the members, drawn
    assert page.locator("canvas[data-chart]").first.evaluate("c => c.paradiploChart.data.datasets[0].data.length") > 0
    screenshot(page, "csp-network-profile")
    assert_clean(page)

    policy_of(page.goto("/en/cities/montevideo-uy/"))
    page.wait_for_function("() => document.querySelector('[data-map]')?.dataset.drawn === 'true'", timeout=20000)
    for address in ["/en/", "/en/networks/", "/en/sources/", "/en/about/"]:
        policy_of(page.goto(address))
    assert_clean(page)


def test_the_search_typeahead_works_under_the_policy(watched, real_data):
    page = watched
    page.goto("/en/")
    box = page.locator("#site-search-input")
    box.click()
    box.press_sequentially("montev", delay=30)
    page.locator("#site-search-listbox [role=option]").first.wait_for()
    assert "Montevideo" in page.locator("#site-search-listbox [role=option]").first.inner_text()
    assert_clean(page)


def test_the_admin_with_tabs_and_autocomplete_works_under_the_policy(watched, real_data, django_user_model):
    page = watched
    django_user_model.objects.create_superuser("curator", "curator@example.org", "a-long-password-1")
    policy_of(page.goto("/admin/login/?next=/admin/"))
    page.fill("#id_username", "curator")
    page.fill("#id_password", "a-long-password-1")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    # modeltranslation's tabs (jQuery UI).
    page.goto("/admin/networks/network/")
    page.get_by_role("link", name=re.compile("Mercocities")).first.click()
    tabs = page.locator(".ui-tabs-nav").first
    tabs.wait_for(state="visible")
    tabs.get_by_text("es", exact=False).first.click()
    assert page.locator("#id_name_es").is_visible()
    # An autocomplete (select2) asks the admin for choices and shows them.
    page.goto("/admin/cities/city/add/")
    page.locator("#id_country + .select2").click()
    page.locator(".select2-search__field").fill("Urug")
    page.locator(".select2-results__option", has_text="Uruguay").first.wait_for()
    screenshot(page, "csp-admin-autocomplete")
    assert_clean(page)


def test_the_api_docs_work_under_the_policy(watched, real_data):
    page = watched
    policy = policy_of(page.goto("/api/docs/"))
    assert "'nonce-" in policy
    page.locator(".swagger-ui .opblock").first.wait_for(timeout=90000)
    assert page.locator(".swagger-ui .opblock").count() > 20
    screenshot(page, "csp-swagger")
    assert_clean(page)

    policy_of(page.goto("/api/redoc/"))
    page.get_by_text("Paradiplo API").first.wait_for(timeout=90000)
    page.locator("[data-section-id]").first.wait_for(timeout=90000)
    # Redoc's page is too long for a full-page screenshot: the first screen.
    page.screenshot(path=str(ARTIFACTS / "csp-redoc.png"))
    # Redoc's "API docs by Redocly" logo comes from its makers' server: the policy blocks it, as
    # it should (the docs load nothing from another host); nothing else is blocked.
    assert_clean(page, allowed={REDOC_LOGO})
