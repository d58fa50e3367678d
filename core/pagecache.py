"""Whole responses of public pages and aggregate API endpoints, cached per content version.

A cached response is keyed by the content version (:mod:`core.contentversion`), the language,
the absolute URL (scheme, host, path and query string: filters, page numbers and ``?format=``
are all part of it) and, for the API, the negotiated format. Any change to the content gives a
new version, so the next request renders afresh; nothing waits for a timeout. The timeout
(setting ``PARADIPLO_PAGE_CACHE_SECONDS``, 0 turns caching off) only bounds how long the
entries of old versions take up room.

What is cached, and what is not:

- GET and HEAD only (a HEAD is answered from the GET's entry; only a GET stores one);
- pages: only for visitors without a session (no session cookie: nobody signed in), so a staff
  member always sees a fresh page and nothing a signed-in user was shown is ever served to
  someone else. The public templates show signed-in users nothing different today;
- API: only for anonymous requests (after DRF's authentication, permissions and throttling,
  which still run on every request);
- only 200 responses that set no cookie, are not streamed (CSV downloads) and do not say
  ``Cache-Control: private/no-store/no-cache``.

With read replicas, the setting ``PARADIPLO_PAGE_CACHE_ON_MISS`` names a function (a dotted path)
called before a miss is rendered, which sends the rest of the request's reads to the primary
database: a page stored under the primary's version never holds a lagging replica's content.

A hit costs one query (the content version), no rendering and no hashing (the ETag is kept with
the entry, so ``If-None-Match`` still gets its 304). Responses carry ``X-Paradiplo-Cache: hit``
or ``miss``.

Use :class:`CachedPageMixin` on a class-based page view, :func:`cached_page` on a function view
and :func:`cached_api` on a DRF handler (``list``, ``retrieve`` or an ``@action``).
"""

from __future__ import annotations

import functools
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, set_response_etag
from django.utils.module_loading import import_string
from django.utils.translation import get_language
from django.views.decorators.gzip import gzip_page

from . import contentversion

#: How long an entry is kept (seconds) unless PARADIPLO_PAGE_CACHE_SECONDS says otherwise.
DEFAULT_SECONDS = 60 * 60
HEADER = "X-Paradiplo-Cache"
KEY_PREFIX = "paradiplo.page"
#: Headers of the view's response that a hit gives back; the middleware adds the rest
#: (Content-Language, Vary: Accept-Language, X-Frame-Options…) to the hit as to any response.
KEPT_HEADERS = {"content-type", "content-disposition", "content-encoding", "vary", "link", "allow", "etag"}
UNCACHEABLE_CONTROL = {"private", "no-store", "no-cache"}
# As django.middleware.gzip: does the client take gzip?
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def cache_seconds() -> int:
    """How long a response stays cached; 0 when caching is off."""
    return int(getattr(settings, "PARADIPLO_PAGE_CACHE_SECONDS", DEFAULT_SECONDS))


def version(request) -> str:
    """The content version, read once per request."""
    if not hasattr(request, "_paradiplo_content_version"):
        request._paradiplo_content_version = contentversion.current()
    return request._paradiplo_content_version


def cache_key(request, *variants: str) -> str:
    """The key of ``request``'s response: the content version, the language, today's date (the
    pages count the members in force *today*), the absolute URL with its query string, and
    ``variants`` (e.g. the API's negotiated format)."""
    address = "\n".join([request.build_absolute_uri(), *variants])
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"{KEY_PREFIX}:{version(request)}:{get_language()}:{timezone.localdate().isoformat()}:{digest}"


def _cacheable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    control = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not control & UNCACHEABLE_CONTROL


def _entry(response) -> tuple[bytes, dict]:
    # The ETag that ConditionalGetMiddleware would compute, computed once and kept with the
    # entry: a hit then needs no hashing of its content to answer If-None-Match.
    if not response.has_header("ETag"):
        set_response_etag(response)
    return response.content, {name: value for name, value in response.items() if name.lower() in KEPT_HEADERS}


def _hit(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content, headers=headers)
    response[HEADER] = "hit"
    return response


def _store_when_rendered(response, key: str, seconds: int):
    """Cache ``response`` once it has its content (a TemplateResponse renders after the view)."""

    def store(rendered):
        if _cacheable(rendered):
            cache.set(key, _entry(rendered), seconds)

    if not _cacheable(response):
        return response
    response[HEADER] = "miss"
    if callable(getattr(response, "render", None)) and not getattr(response, "is_rendered", True):
        response.add_post_render_callback(store)
    else:
        store(response)
    return response


def _before_rendering_a_miss() -> None:
    # The entry is stored under the version read from the primary database, so its content must
    # be at least as new: with read replicas, which may lag, the project's setting names a
    # function that sends the rest of the request's reads to the primary. A miss comes once per
    # version and key; hits read nothing but the version.
    hook = getattr(settings, "PARADIPLO_PAGE_CACHE_ON_MISS", "")
    if hook:
        import_string(hook)()


def _page_request_cacheable(request) -> bool:
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def cached_response(request, respond, *variants: str):
    """``respond()``'s response, from the cache when an entry exists for ``request`` (see the
    module's rules); otherwise ``respond()`` is called and its response cached when it may be."""
    seconds = cache_seconds()
    if seconds <= 0:
        return respond()
    key = cache_key(request, *variants)
    entry = cache.get(key)
    if entry is not None:
        return _hit(entry)
    _before_rendering_a_miss()
    response = respond()
    if request.method != "GET":
        return response
    return _store_when_rendered(response, key, seconds)


def cached_page(view=None, *, compress: bool = False):
    """Cache a public page view's responses per content version (see the module). With
    ``compress``, a client that accepts gzip gets the response gzipped, compressed once per
    entry rather than on every request (for big answers such as a map's GeoJSON)."""
    if view is None:
        return functools.partial(cached_page, compress=compress)
    respond = gzip_page(view) if compress else view

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _page_request_cacheable(request):
            return respond(request, *args, **kwargs)
        variants = ("gzip",) if compress and ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")) else ()
        return cached_response(request, lambda: respond(request, *args, **kwargs), *variants)

    return wrapped


class CachedPageMixin:
    """A class-based public page whose responses are cached per content version; a view
    answers False from :meth:`page_cacheable` for requests it never caches."""

    def page_cacheable(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        if not (_page_request_cacheable(request) and self.page_cacheable()):
            return parent(request, *args, **kwargs)
        return cached_response(request, lambda: parent(request, *args, **kwargs))


def cached_api(handler):
    """Cache a DRF handler's rendered responses (a viewset's ``list``/``retrieve``, an
    ``@action``, an APIView's ``get``) per content version and negotiated format, for anonymous
    requests. Authentication, permissions and throttling still run on every request; a hit
    skips the handler's queries and the rendering.

    Put it under ``@action``::

        @action(detail=True)
        @cached_api
        def growth(self, request, slug=None): ...
    """

    @functools.wraps(handler)
    def wrapped(self, request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return handler(self, request, *args, **kwargs)
        variants = (request.accepted_renderer.format, request.accepted_media_type)
        return cached_response(request, lambda: handler(self, request, *args, **kwargs), *variants)

    return wrapped
