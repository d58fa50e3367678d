"""Helpers shared by the test modules: addresses in a language, a response's page, JSON-LD and
CSV rows, citing a record, and browser screenshots."""

import csv
import functools
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from .factories import SourceFactory

LANGUAGES = ["en", "es", "pt", "fr"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def url(name, language="en", **kwargs) -> str:
    """The address of the URL ``name`` in ``language``."""
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def body(response) -> str:
    """A response's text, streamed or not."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def page_of(response) -> str:
    """The HTML of a page that must answer 200."""
    assert response.status_code == 200, response.status_code
    return body(response)


def json_ld(page: str) -> dict:
    """The JSON-LD (structured data) of a page's HTML."""
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


def json_script(page: str, element_id: str):
    """The data of a page's ``json_script`` element ``element_id``."""
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page, re.S)
    assert match, element_id
    return json.loads(match.group(1))


def csv_text(response) -> str:
    """The text of a CSV download, which starts with the UTF-8 byte order mark (Excel reads it
    as UTF-8 only then): the text after it."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), content[:20]
    return content.decode("utf-8-sig")


def csv_rows(response) -> list[list[str]]:
    """The rows of a CSV download, header first."""
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(csv_text(response))))


def cite(citation_model, record):
    """Cite ``record`` with a new synthetic source."""
    return citation_model.objects.create(record=record, source=SourceFactory())


def screenshot(page, name: str):
    """Save a full-page screenshot of a browser tab to test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def get_counting_queries(client, assert_num_queries, expected: int, address: str, params=None):
    """GET ``address`` (a streamed body is read too) in exactly ``expected`` queries; the response."""
    with assert_num_queries(expected):
        response = client.get(address, params)
        if response.streaming:
            response.streaming_content = [b"".join(response.streaming_content)]
    return response


def get_at_two_sizes(client, assert_num_queries, expected, address: str, grow, params=None):
    """The responses to GET ``address`` before and after ``grow()`` adds synthetic rows, each in
    exactly ``expected`` queries: the count does not depend on the number of rows. ``expected``
    is a pair (before, after) where the rows fill a capped list, which adds a count query."""
    before, after = expected if isinstance(expected, tuple) else (expected, expected)
    small = get_counting_queries(client, assert_num_queries, before, address, params)
    grow()
    large = get_counting_queries(client, assert_num_queries, after, address, params)
    assert small.status_code == large.status_code == 200, (small.status_code, large.status_code)
    return small, large


def database_url_for_another_process() -> str:
    """The test database as a ``DATABASE_URL`` for a subprocess (skips with an in-memory SQLite
    database, which no other process can see)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        if "memory" in str(database["NAME"]):
            pytest.skip("an in-memory SQLite database is invisible to other processes")
        return f"sqlite:///{database['NAME']}"
    return f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


@functools.cache
def openapi_document() -> tuple[dict, dict]:
    """The OpenAPI document as ``manage.py spectacular`` builds it (public, English), with what
    drf-spectacular reported while building it (``{"warnings": …, "errors": …}``): built once per
    test process. Tests do not call the ``spectacular`` command itself: it switches on
    drf-spectacular's source-line tracing for the rest of the process, which parses the source of
    every serializer and makes every later build several times slower."""
    from drf_spectacular.drainage import GENERATOR_STATS
    from drf_spectacular.generators import SchemaGenerator

    GENERATOR_STATS.reset()
    with translation.override("en"):
        document = SchemaGenerator().get_schema(request=None, public=True)
    reported = {"warnings": dict(GENERATOR_STATS._warn_cache), "errors": dict(GENERATOR_STATS._error_cache)}
    GENERATOR_STATS.reset()
    return document, reported
