"""``/api/schema/`` built once, then served from the cache.

Building the OpenAPI document walks every endpoint, serializer and filter (about two seconds of
CPU); its content depends only on the code, the settings, the language and the format asked for,
never on the data or on who asks (``SERVE_PUBLIC``). So the rendered document is kept in the
default cache (Redis with ``REDIS_URL``: built once for every worker) and in this process, keyed by:

- the code version: the setting ``PARADIPLO_RELEASE`` (e.g. the deployed commit) when given,
  else a digest of the project's Python source files, computed once per process; a deploy of
  new code is a new key, so an old document is never served after it;
- the language (``?lang=`` or the negotiated one), the ``?version=`` asked for and the format
  (YAML or JSON, by ``Accept`` or ``?format=``).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

import drf_spectacular
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SCHEMA_KWARGS, SpectacularAPIView

KEY_PREFIX = "paradiplo.schema"
#: How long a document stays in the shared cache; a new code version never reads old ones.
TIMEOUT = 7 * 24 * 60 * 60
#: Documents this process keeps (languages × formats × versions): a hit costs no round trip.
_documents: dict[str, tuple[bytes, str, str]] = {}
KEPT = 64


@functools.cache
def source_digest() -> str:
    """A digest of the Python files of the project's own apps (not of installed packages)."""
    base = Path(settings.BASE_DIR).resolve()
    digest = hashlib.sha256(drf_spectacular.__version__.encode())
    folders = sorted({Path(config.path).resolve() for config in apps.get_app_configs()})
    for folder in folders:
        if base not in folder.parents or ".venv" in folder.parts:
            continue
        for path in sorted(folder.rglob("*.py")):
            if "migrations" in path.parts:
                continue
            digest.update(str(path.relative_to(base)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def code_version() -> str:
    return getattr(settings, "PARADIPLO_RELEASE", "") or source_digest()


def language_of(request) -> str:
    asked = request.GET.get("lang")
    codes = {code for code, _name in settings.LANGUAGES}
    return asked if asked in codes else (get_language() or settings.LANGUAGE_CODE)


class CachedSchemaView(SpectacularAPIView):
    """drf-spectacular's schema view, answering from the cache (see the module docstring)."""

    @extend_schema(**SCHEMA_KWARGS)
    def get(self, request, *args, **kwargs):
        media_type = request.accepted_media_type or request.accepted_renderer.media_type
        version = request.GET.get("version", "")
        text = f"{code_version()}\n{settings.SETTINGS_MODULE}\n{language_of(request)}\n{version}\n{media_type}"
        key = f"{KEY_PREFIX}:{hashlib.sha256(text.encode()).hexdigest()}"
        entry = _documents.get(key) or cache.get(key)
        if entry is None:
            response = super().get(request, *args, **kwargs)
            response.accepted_renderer = request.accepted_renderer
            response.accepted_media_type = request.accepted_media_type
            response.renderer_context = self.get_renderer_context()
            response.render()
            entry = (bytes(response.content), response["Content-Type"], response["Content-Disposition"])
            cache.set(key, entry, TIMEOUT)
        if len(_documents) >= KEPT:
            _documents.clear()
        _documents[key] = entry
        content, content_type, disposition = entry
        return HttpResponse(content, content_type=content_type, headers={"Content-Disposition": disposition})
