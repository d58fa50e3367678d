"""Every kind of page works under the Content-Security-Policy, in a real browser (Playwright +
Debian's Chromium, fixtures in conftest.py): the public pages with their map, charts and search
typeahead, the admin with its translation tabs and autocomplete, and the API docs (Swagger UI and
Redoc). The policy allows no inline script and no inline style ('unsafe-inline' in neither), except
what Redoc's page allows by nonce and hashes. Each page is loaded with a listener for
``securitypolicyviolation`` events, whose reports are kept across the test's navigations, and the
browser's console is read for errors: a blocked script, style, image or request fails the test,
and so does a page whose map, clusters, chart, tabs, autocomplete or typeahead did not actually
work. The co-membership graph (Cytoscape.js) is checked the same way in test_graph.py."""

import re

import pytest
from django.conf import settings

from ..helpers import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Installed before any of the page's own scripts run (an init script is not subject to the policy).
# Each report goes to window.__cspViolations (this document's) and, when the test exposed it, to
# window.paradiploViolation (kept across navigations, see ``watched``).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const text = [event.violatedDirective, event.blockedURI, event.sourceFile || "", location.pathname].join(" ");
  window.__cspViolations.push(text);
  if (window.paradiploViolation) { window.paradiploViolation(text); }
});
"""

# Maps draw their points in clusters above data-cluster-above points (static/js/map.js, 1000 by
# default): a lower threshold, set when the document is parsed and before the deferred map script
# runs, clusters a real network's few hundred members.
CLUSTER_ABOVE_20 = """
document.addEventListener("readystatechange", () => {
  if (document.readyState === "interactive") {
    document.querySelectorAll("[data-map]").forEach((map) => { map.dataset.clusterAbove = "20"; });
  }
});
"""


@pytest.fixture
def watched(page):
    """The page, recording policy violations (across navigations) and console errors."""
    page.violations = []
    page.expose_function("paradiploViolation", lambda text: page.violations.append(text))
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    return page


def assert_clean(page):
    violations = page.evaluate("window.__cspViolations") + getattr(page, "violations", [])
    assert violations == [], violations
    # The console reports each violation too, and any other error.
    assert page.console_errors == [], page.console_errors
    assert page.external_requests == [], page.external_requests


def directives(response) -> dict[str, list[str]]:
    """The response's policy, by directive; checks that it allows no inline script or style."""
    header = response.headers.get("content-security-policy", "")
    policy = {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}
    assert policy["script-src"][0] == "'self'"
    for directive in ("script-src", "style-src", "style-src-elem", "style-src-attr"):
        assert "'unsafe-inline'" not in policy.get(directive, []), (directive, header)
    return policy


def policy_of(response) -> str:
    """The response's policy header; on a page other than Redoc's, styles from the site only."""
    styles = directives(response)["style-src"]
    assert styles[0] == "'self'" and all(v.startswith("'nonce-") for v in styles[1:]), styles
    return response.headers["content-security-policy"]


def test_public_pages_with_map_clusters_and_charts_work_under_the_policy(watched, real_data):
    page = watched
    page.add_init_script(CLUSTER_ABOVE_20)
    policy = directives(page.goto("/en/networks/mercociudades/"))
    assert policy["style-src"] == ["'self'"]  # a public page asks for no nonce
    page.wait_for_function(
        """() => [...document.querySelectorAll('[data-map], canvas[data-chart]')].length > 0 &&
                 [...document.querySelectorAll('[data-map], canvas[data-chart]')]
                 .every(e => e.dataset.drawn === 'true')""",
        timeout=20000,
    )
    # The members, drawn in clusters (Leaflet.markercluster) whose counts and the lone markers
    # add up to every member.
    element = page.locator("[data-map]").first
    assert element.get_attribute("data-clustered") == "true"
    clusters = page.locator("[data-map] .marker-cluster")
    assert clusters.count() > 0
    in_clusters = clusters.evaluate_all(
        "cs => cs.reduce((sum, c) => sum + Number(c.querySelector('[aria-hidden]').textContent.replace(/\\D/g, '')), 0)"
    )
    alone = page.locator("[data-map] path.leaflet-interactive").count()
    assert in_clusters + alone == element.evaluate("e => e.paradiploMarkers.length") > 20
    assert page.locator("canvas[data-chart]").first.evaluate("c => c.paradiploChart.data.datasets[0].data.length") > 0
    screenshot(page, "csp-network-profile")
    # A click on a cluster zooms in (Leaflet's animation styles the map as it goes).
    zoom = element.evaluate("e => e.paradiploMap.getZoom()")
    clusters.first.click()
    page.wait_for_function(f"() => document.querySelector('[data-map]').paradiploMap.getZoom() > {zoom}")
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
    # The worklists' and the coverage report's counts are aligned by the admin's stylesheet
    # (no <style> element in the templates).
    assert page.locator("#worklists td").first.evaluate("td => getComputedStyle(td).textAlign") == "right"
    policy_of(page.goto("/admin/networks/network/coverage/"))
    assert page.locator("#coverage td").first.evaluate("td => getComputedStyle(td).textAlign") == "right"
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
    # Its page style comes from a static file (drf-spectacular's is a <style> element).
    assert page.evaluate("getComputedStyle(document.body).marginTop") == "0px"
    screenshot(page, "csp-swagger")
    assert_clean(page)

    # Redoc's styles are <style> elements: the one it adds while loading by its hashes, the rest
    # by the request's nonce (static/js/redoc.js), on this page only.
    policy = directives(page.goto("/api/redoc/"))
    nonces = [v for v in policy["style-src"] if v.startswith("'nonce-")]
    assert len(nonces) == 1
    assert policy["style-src"] == ["'self'", *nonces, *settings.REDOC_CSP_UPDATE["style-src"]]
    page.get_by_text("Paradiplo API").first.wait_for(timeout=90000)
    page.locator("[data-section-id]").first.wait_for(timeout=90000)
    styles = page.evaluate("[...document.querySelectorAll('style')].map(s => s.sheet ? s.sheet.cssRules.length : -1)")
    assert len(styles) >= 2 and all(rules > 0 for rules in styles), styles  # every one applied
    # Its makers' logo (from cdn.redoc.ly) is never requested: the link stays, without the image.
    assert page.get_by_text("API docs by Redocly").is_visible()
    assert page.evaluate("[...document.images].map(i => i.src)") == []
    # Redoc's page is too long for a full-page screenshot: the first screen.
    page.screenshot(path=str(ARTIFACTS / "csp-redoc.png"))
    assert_clean(page)
