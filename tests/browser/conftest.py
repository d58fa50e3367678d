"""Real-browser fixtures: Playwright driving Debian's Chromium (/usr/bin/chromium, never a browser
download) against pytest-django's live server. A missing browser skips the tests, or fails them
when PARADIPLO_REQUIRE_BROWSER=1 or CI is set. Every request to another host is blocked and
recorded in ``page.external_requests``, so the tests also prove the site works offline."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from core import contentversion

from .. import snapshots

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?/")


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
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def real_data_snapshot():
    """The real data as the first browser test of this session (xdist worker) loaded it."""
    return {}


@pytest.fixture
def real_data(transactional_db, real_data_snapshot):
    """The real data, for one browser test: transactional tests empty the database afterwards.
    The first test of the session loads it with the command; the next ones put back a copy of
    the result (tests/snapshots.py), in a fraction of a second instead of about 25 s of CPU."""
    snapshot = real_data_snapshot.get(connection.vendor)
    if snapshot is None:
        call_command("load_real_data", verbosity=0)
        if snapshots.supported(connection):
            real_data_snapshot[connection.vendor] = snapshots.take(connection)
    else:
        snapshots.restore(connection, snapshot)
        contentversion.bump()  # as a load that wrote the data does: cached pages are not reused


@pytest.fixture
def page(browser, live_server, request):
    """A fresh English tab on the live server that may load nothing from another host. Under the
    site's Content-Security-Policy, except in tests marked ``csp_bypassed`` (axe-core is injected
    as an inline script, which the policy refuses)."""
    bypass_csp = request.node.get_closest_marker("csp_bypassed") is not None
    context = browser.new_context(base_url=live_server.url, locale="en-GB", bypass_csp=bypass_csp)
    page = context.new_page()
    page.external_requests = []

    def only_local(route):
        if LOCAL.match(route.request.url):
            route.continue_()
        else:
            page.external_requests.append(route.request.url)
            route.abort()

    page.route("**/*", only_local)
    yield page
    context.close()
