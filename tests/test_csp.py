"""The Content-Security-Policy (django-csp, settings.CONTENT_SECURITY_POLICY): sent on every kind
of response, with no inline script allowed, and templates that need none. That the pages, maps,
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
    ["/en/", "/es/sdgs/", "/en/no-such-page/", "/api/v1/", "/api/v1/sdgs/", "/admin/login/", "/api/redoc/"],
)
def test_every_kind_of_response_sends_the_policy(client, address):
    response = client.get(address)
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"]


def test_the_swagger_page_runs_its_one_inline_script_by_nonce(client):
    response = client.get("/api/docs/")
    nonce = next(v for v in directives(response)["script-src"] if v.startswith("'nonce-"))[7:-1]
    assert f'<script nonce="{nonce}">' in response.content.decode()
    # A fresh nonce per response.
    assert nonce not in client.get("/api/docs/")["Content-Security-Policy"]


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
