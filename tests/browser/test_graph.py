"""The co-membership graph's page in a real browser (Playwright driving Debian's Chromium; fixtures
in conftest.py), under the Content-Security-Policy: Mercociudades on its founding day is drawn by
the vendored Cytoscape.js from the API's JSON — the founders and the network, with the counts the
page states — a click on a node shows its figures, and nothing is blocked, logged as an error or
loaded from another host."""

import pytest

from ..helpers import screenshot
from .test_csp import RECORD_VIOLATIONS, assert_clean

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_graph_page_draws_the_founders_without_errors(page, real_data):
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))

    page.goto("/en/graph/?at=1995-11-11&network=mercociudades")
    assert page.locator("h1").inner_text() == "Co-membership graph"
    assert page.locator("#graph-node-count").inner_text() == "13"
    assert page.locator("#graph-edge-count").inner_text() == "12"
    page.wait_for_function("() => document.querySelector('#graph-canvas')?.dataset.drawn === '13'", timeout=20000)
    canvas = page.locator("#graph-canvas canvas").first
    assert canvas.is_visible()
    drawn = page.evaluate("() => document.querySelector('#graph-canvas').paradiploGraph.edges().length")
    assert drawn == 12

    # A click on the network (the centre of the star) shows its figures. Its position is read
    # again before each try: the drawing's box can still move once the page around it has
    # settled (a scrollbar appearing), which would send a click read earlier beside the node.
    for _attempt in range(5):
        position = page.evaluate(
            """() => { const cy = document.querySelector('#graph-canvas').paradiploGraph;
                       cy.resize();
                       return cy.getElementById('network:mercociudades').renderedPosition(); }"""
        )
        # Relative to the drawing's top left corner (Playwright scrolls it into view first).
        page.locator("#graph-canvas").click(position={"x": position["x"], "y": position["y"]})
        if "degree 12" in page.locator("#graph-selection").text_content():
            break
        page.wait_for_timeout(500)
    page.wait_for_function("() => document.querySelector('#graph-selection').textContent.includes('degree 12')")
    assert page.locator("table.graph-ranking").first.locator("tbody tr").count() == 12
    screenshot(page, "graph-founders-en")
    assert_clean(page)
