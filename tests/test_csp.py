"""The Content-Security-Policy (django-csp, settings.CONTENT_SECURITY_POLICY): sent on every kind
of response, with no inline script or style allowed ('unsafe-inline' nowhere; Redoc's page alone
allows its own <style> elements, by nonce and hashes), and templates and scripts that need none. That the pages, maps,
charts, typeahead, admin and API docs work under it is tested in a real browser
(tests/browser/test_csp.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from paradiplo.settings.base import content_security_policy

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    result = {}
    for part in header.split(";"):
        name, *values = part.split()
        result[name] = values
    return result


@pytest.mark.parametrize(
    "address",
    ["/en/", "/es/sdgs/", "/en/no-such-page/", "/api/v1/", "/api/v1/sdgs/", "/admin/login/"]
    + ["/api/docs/", "/api/redoc/"],
)
def test_every_kind_of_response_sends_the_policy(client, address):
    response = client.get(address)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"][0] == "'self'" and "'unsafe-inline'" not in policy["style-src"]
    assert "style-src-elem" not in policy and "style-src-attr" not in policy  # style-src governs both
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]


@pytest.mark.parametrize("address", ["/en/", "/en/networks/", "/en/about/", "/en/no-such-page/", "/admin/login/"])
def test_pages_and_the_admin_allow_styles_from_the_site_only(client, address):
    assert directives(client.get(address))["style-src"] == ["'self'"]


def test_the_admin_signed_in_allows_styles_from_the_site_only(admin_client):
    for address in ["/admin/", "/admin/networks/network/", "/admin/cities/city/add/"]:
        response = admin_client.get(address)
        assert response.status_code == 200
        assert directives(response)["style-src"] == ["'self'"]


def test_redoc_alone_allows_its_own_style_elements_by_nonce_and_hashes(client):
    """Redoc's styles are <style> elements: its start-up script (static/js/redoc.js) hands them the
    request's nonce, and the one it adds before that is allowed by its hashes, on this page only."""
    response = client.get("/api/redoc/")
    styles = directives(response)["style-src"]
    nonce = styles[1][7:-1]
    assert styles == ["'self'", f"'nonce-{nonce}'", *settings.REDOC_CSP_UPDATE["style-src"]]
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", value) for value in settings.REDOC_CSP_UPDATE["style-src"])
    html = response.content.decode()
    start = rf'<script src="[^"]+/js/redoc\.js" nonce="{re.escape(nonce)}" data-schema-url="/api/schema/"'
    assert re.search(start, html)
    assert "fonts.googleapis.com" not in html and "<style" not in html
    # Swagger UI's page needs no such thing: its nonce is for its start-up script.
    swagger = directives(client.get("/api/docs/"))
    assert swagger["style-src"] == ["'self'", swagger["script-src"][1]]


def test_the_swagger_page_runs_its_one_inline_script_by_nonce(client):
    response = client.get("/api/docs/")
    nonce = next(v for v in directives(response)["script-src"] if v.startswith("'nonce-"))[7:-1]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    # A fresh nonce per response.
    assert nonce not in client.get("/api/docs/")["Content-Security-Policy"]


def test_styles_come_from_the_site_or_carry_the_nonce():
    from csp.constants import NONCE

    assert content_security_policy("")["DIRECTIVES"]["style-src"] == ["'self'", NONCE]


def test_a_tile_server_is_the_only_other_host_for_images():
    policy = content_security_policy("https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png")["DIRECTIVES"]
    assert policy["img-src"][-1] == "https://*.tile.openstreetmap.org"
    assert content_security_policy("")["DIRECTIVES"]["img-src"] == ["'self'", "data:", "blob:"]
    with_reports = content_security_policy("", "https://reports.example.org/csp")["DIRECTIVES"]
    assert with_reports["report-uri"] == ["https://reports.example.org/csp"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*\btype=\"application/(?:ld\+)?json\")[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)
JS_URL = re.compile(r"href=[\"']\s*javascript:", re.I)


def test_no_template_has_an_inline_script_or_event_handler():
    """Scripts live in static/js/; a template's <script> has a src, or holds data (JSON) only.
    The Swagger UI override is the one exception, and carries the nonce."""
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (INLINE_SCRIPT, HANDLER, JS_URL):
            for match in pattern.finditer(text):
                if 'nonce="{{ request.csp_nonce }}"' not in match.group(0):
                    offenders.append(f"{path.relative_to(settings.BASE_DIR)}: {match.group(0)}")
    assert offenders == []


def test_json_script_data_blocks_are_not_scripts(client, real_data):
    # A city page's map points come as a json_script block, which the policy does not govern.
    text = client.get("/en/cities/montevideo-uy/").content.decode()
    assert re.search(r'<script id="[^"]+" type="application/json">', text)
    assert not INLINE_SCRIPT.search(text)


STYLE_ELEMENT = re.compile(r"<style\b[^>]*>", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.I)
TEMPLATE_COMMENT = re.compile(r"{% comment %}.*?{% endcomment %}|{#.*?#}", re.S)


def test_no_template_has_a_style_element_or_attribute():
    """Styles live in static/css/ (static/admin/ for the admin's): the policy refuses <style>
    elements and style attributes."""
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "templates").rglob("*.html")):
        text = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
        for pattern in (STYLE_ELEMENT, STYLE_ATTRIBUTE):
            offenders += [f"{path.relative_to(settings.BASE_DIR)}: {m.group(0)}" for m in pattern.finditer(text)]
    assert offenders == []


# What the policy refuses when a script does it: a style attribute (set as an attribute or in
# markup) and a new <style> element. Styling through the CSSOM (element.style.x = …) is allowed.
SCRIPTED_INLINE_STYLE = re.compile(
    r"setAttribute\(\s*[\"']style[\"']|createElement\(\s*[\"']style[\"']|style\s*=\s*\\?[\"']"
)


def test_no_script_of_ours_adds_an_inline_style():
    offenders = []
    for path in sorted(Path(settings.BASE_DIR, "static").rglob("*.js")):
        if "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(settings.BASE_DIR)
        offenders += [f"{name}: {m.group(0)}" for m in SCRIPTED_INLINE_STYLE.finditer(text)]
    assert offenders == []
