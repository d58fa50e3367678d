"""/api/schema/ is built once per code version, language and format, then served from the cache
(core/api/schema_cache.py): the OpenAPI document costs about two seconds of CPU to build."""

import time

import pytest
from django.core.cache import cache
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

from core.api import schema_cache

pytestmark = pytest.mark.django_db


@pytest.fixture
def builds(monkeypatch):
    """How many times the document was built."""
    schema_cache._documents.clear()
    cache.clear()
    calls = []
    original = SchemaGenerator.get_schema

    def counted(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    yield calls
    schema_cache._documents.clear()


def test_the_schema_is_built_once_then_served_from_the_cache(client, builds):
    started = time.perf_counter()
    first = client.get("/api/schema/")
    build_seconds = time.perf_counter() - started
    assert first.status_code == 200 and len(builds) == 1
    started = time.perf_counter()
    second = client.get("/api/schema/")
    hit_seconds = time.perf_counter() - started
    assert second.status_code == 200 and len(builds) == 1
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    assert "openapi: 3" in second.content.decode()[:50]
    print(f"schema: built in {build_seconds * 1000:.0f} ms, served from the cache in {hit_seconds * 1000:.1f} ms")
    assert hit_seconds < build_seconds / 10
    # A new worker has nothing of its own yet, and reads the shared cache.
    schema_cache._documents.clear()
    assert client.get("/api/schema/").content == first.content
    assert len(builds) == 1


def test_each_language_and_format_has_its_own_document(client, builds):
    english = client.get("/api/schema/", {"format": "json"})
    spanish = client.get("/api/schema/", {"format": "json", "lang": "es"})
    assert len(builds) == 2
    assert english.json()["openapi"].startswith("3") and english["Content-Type"].startswith("application/vnd.oai")
    english_filter = english.json()["paths"]["/api/v1/networks/"]["get"]["parameters"]
    spanish_filter = spanish.json()["paths"]["/api/v1/networks/"]["get"]["parameters"]
    assert english_filter != spanish_filter  # translated help texts
    client.get("/api/schema/", {"format": "json", "lang": "es"})
    client.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="es", data={"format": "json"})
    assert len(builds) == 2


def test_a_new_code_version_builds_afresh(client, builds, monkeypatch):
    # The key is what is tested here, not the build: a small document stands in for it.
    monkeypatch.setattr(SchemaGenerator, "get_schema", lambda self, *a, **k: builds.append(1) or {"openapi": "3.0.3"})
    with override_settings(PARADIPLO_RELEASE="release-1"):
        client.get("/api/schema/")
        client.get("/api/schema/")
    assert len(builds) == 1
    with override_settings(PARADIPLO_RELEASE="release-2"):
        client.get("/api/schema/")
    assert len(builds) == 2


def test_without_a_release_the_code_version_is_a_digest_of_the_sources():
    digest = schema_cache.source_digest()
    assert len(digest) == 16 and digest == schema_cache.source_digest()
    with override_settings(PARADIPLO_RELEASE=""):
        assert schema_cache.code_version() == digest
