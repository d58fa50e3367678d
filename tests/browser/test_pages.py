"""The public browse pages in a real browser (Playwright driving Debian's Chromium; fixtures in
conftest.py): the network profile in Spanish and Portuguese with its chart and map drawn
from the real member cities, the member list filtered, a citation followed to the
bibliography, the language switcher, and axe-core on the main pages. Every request to another
host is blocked and recorded: the pages must load nothing from elsewhere."""

import json
import re
from pathlib import Path

import pytest

from ..helpers import ARTIFACTS, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent.parent / "vendor" / "axe.min.js"
MAIN_PAGES = [
    "/{lang}/",
    "/{lang}/networks/",
    "/{lang}/networks/mercociudades/",
    "/{lang}/networks/mercociudades/members/",
    "/{lang}/summits/",
    "/{lang}/cities/",
    "/{lang}/cities/montevideo-uy/",
    "/{lang}/countries/",
    "/{lang}/countries/UY/",
    "/{lang}/blocs/",
    "/{lang}/projects/",
    "/{lang}/organizations/",
    "/{lang}/sdgs/",
    "/{lang}/sources/",
    "/{lang}/sources/alibalaev-kuznetsov-2022/",
    "/{lang}/projects/gobernanza-fronteriza/",
    "/{lang}/networks/mercociudades/summits/1-1995/",
    "/{lang}/networks/mercociudades/units/cooperacion-internacional/",
    "/{lang}/about/",
    "/{lang}/search/?q=Montevideo",
]


def axe_violations(tab, impacts=("serious", "critical")):
    """Run axe-core (vendored) on the page; the violations of the given impacts, WCAG 2.1 AA."""
    tab.add_script_tag(path=str(AXE))
    result = tab.evaluate(
        """async () => {
            const r = await axe.run(document, {
                runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']},
                resultTypes: ['violations'],
            });
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
        }"""
    )
    return [violation for violation in result if violation["impact"] in impacts]


def wait_for_drawings(tab):
    for selector in ("[data-map]", "canvas[data-chart]"):
        for element in tab.locator(selector).all():
            element.scroll_into_view_if_needed()
    tab.wait_for_function(
        """() => [...document.querySelectorAll('[data-map], canvas[data-chart]')]
                 .every(e => e.dataset.drawn === 'true')""",
        timeout=15000,
    )


def founders():
    from networks.models import Membership

    return [
        (m.city.name, float(m.city.latitude), float(m.city.longitude))
        for m in Membership.objects.filter(network__slug="mercociudades", founding=True).select_related("city")
    ]


@pytest.mark.parametrize("lang", ["es", "pt"])
def test_network_profile_draws_the_real_members_on_a_map_and_charts(page, real_data, lang):
    page.goto(f"/{lang}/networks/mercociudades/")
    assert page.locator("html").get_attribute("lang") == lang
    assert "Mercociudades" in page.locator("h1").inner_text() or "Mercocidades" in page.locator("h1").inner_text()
    wait_for_drawings(page)

    markers = page.locator("[data-map]").first.evaluate("e => e.paradiploMarkers")
    expected = founders()
    assert len(expected) == 12
    for name, lat, lon in expected:
        assert any(abs(m[0] - lat) < 1e-3 and abs(m[1] - lon) < 1e-3 for m in markers), name
    # The markers are really drawn: one SVG circle path per member city, over the outlines (a
    # few hundred members are not clustered), from the points the map fetched as GeoJSON.
    assert page.locator("[data-map]").first.get_attribute("data-clustered") == "false"
    drawn = page.locator("[data-map] path.leaflet-interactive").count()
    assert drawn == len(markers)
    charts = page.locator("canvas[data-chart]")
    assert charts.count() >= 2
    for index in range(charts.count()):
        assert charts.nth(index).evaluate("c => c.paradiploChart.data.datasets[0].data.length") > 0
    screenshot(page, f"network-profile-{lang}")
    assert page.external_requests == []


LARGE_NETWORK = 20_000


@pytest.mark.csp_bypassed
def test_a_network_of_20000_members_is_drawn_in_clusters(page, transactional_db):
    """A synthetic network of 20,000 members: the profile stays light, the map fetches every
    point and groups them into clusters whose counts add up to all of them; zooming in on a
    cluster opens it up."""
    from ..factories import NetworkFactory
    from ..test_profile_scale import add_members

    network = NetworkFactory(slug="synthetic-scale-network", name_en="Synthetic scale network")
    add_members(network, LARGE_NETWORK)
    response = page.goto(f"/en/networks/{network.slug}/")
    assert len(response.body()) < 300 * 1024
    wait_for_drawings(page)
    element = page.locator("[data-map]").first
    assert element.get_attribute("data-clustered") == "true"
    assert element.evaluate("e => e.paradiploMarkers.length") == LARGE_NETWORK
    clusters = page.locator("[data-map] .marker-cluster")
    assert clusters.count() > 0
    in_clusters = clusters.evaluate_all(
        "cs => cs.reduce((sum, c) => sum + Number(c.querySelector('[aria-hidden]').textContent.replace(/\\D/g, '')), 0)"
    )
    alone = page.locator("[data-map] path.leaflet-interactive").count()
    assert in_clusters + alone == LARGE_NETWORK
    label = clusters.first.inner_text()
    assert "member cities here: zoom in to see them" in label
    screenshot(page, "network-profile-20000-members")
    element.screenshot(path=str(ARTIFACTS / "network-map-20000-members.png"))
    assert axe_violations(page) == []

    zoom = page.evaluate("() => document.querySelector('[data-map]').paradiploMap.getZoom()")
    clusters.first.click()
    page.wait_for_function(f"() => document.querySelector('[data-map]').paradiploMap.getZoom() > {zoom}")
    assert page.external_requests == []


def test_the_member_list_filters_by_country_from_the_profile(page, real_data):
    from networks.models import Membership

    uruguayan = sorted(
        Membership.objects.current()
        .counted()  # the list shows stated members; probable ones are listed apart
        .filter(network__slug="mercociudades", city__country__code="UY")
        .values_list("city__name", flat=True)
    )
    assert uruguayan, "the fixtures record Uruguayan members"
    page.goto("/es/networks/mercociudades/")
    form = page.locator("form.member-filters")
    form.locator("select[name=country]").select_option("UY")
    form.locator("input[name=current]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/es/networks/mercociudades/members/\?.*country=UY"))
    rows = page.locator("table.members tbody tr")
    cities = sorted(rows.locator("th").all_inner_texts())
    assert cities == uruguayan
    assert set(rows.locator("td:nth-child(2)").all_inner_texts()) == {"Uruguay"}
    # The filtered rows download as CSV with the same filters.
    download_link = page.locator("p.download a").first
    assert "country=UY" in download_link.get_attribute("href")
    with page.expect_download() as download:
        download_link.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert len(text.strip().splitlines()) == len(uruguayan) + 1
    screenshot(page, "network-members-filtered-es")


def test_language_switcher_keeps_the_network_profile(page, real_data):
    page.goto("/pt/networks/mercociudades/")
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="español").click()
    page.wait_for_url(re.compile(r"/es/networks/mercociudades/$"))
    assert page.locator("html").get_attribute("lang") == "es"
    hreflangs = page.locator("link[rel=alternate][hreflang]").evaluate_all("ls => ls.map(l => l.hreflang)")
    assert sorted(hreflangs) == ["en", "es", "fr", "pt", "x-default"]


def test_a_citation_leads_to_the_bibliography(page, real_data):
    page.goto("/es/networks/mercociudades/")
    mark = page.locator("sup.cite a").first
    target = mark.get_attribute("href")
    mark.click()
    assert page.url.endswith(target)
    reference = page.locator(f"li{target}")
    assert reference.is_visible()
    # A title Paradiplo supplied is shown in square brackets in references, plain on its page.
    title = reference.locator("a").first.inner_text().removeprefix("[").removesuffix("]")
    reference.locator("a").first.click()
    page.wait_for_url(re.compile(r"/es/sources/[\w-]+/$"))
    assert title in page.locator("h1").inner_text()
    screenshot(page, "source-detail-es")


@pytest.mark.csp_bypassed
def test_main_pages_pass_axe_and_load_nothing_from_elsewhere(page, real_data):
    problems = {}
    for lang in ("en", "es"):
        for template in MAIN_PAGES:
            url = template.format(lang=lang)
            response = page.goto(url)
            assert response.status == 200, url
            if page.locator("[data-map], canvas[data-chart]").count():
                wait_for_drawings(page)
            violations = axe_violations(page)
            if violations:
                problems[url] = violations
            if lang == "en":
                name = url.strip("/").replace("/", "-").replace("?q=", "-") or "home"
                screenshot(page, f"page-{name}")
    assert problems == {}, json.dumps(problems, indent=1)
    assert page.external_requests == []


def test_pages_fit_a_phone(page, real_data):
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("/es/networks/mercociudades/", "/es/cities/montevideo-uy/"):
        page.goto(url)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (url, overflow)
    screenshot(page, "network-profile-phone")
