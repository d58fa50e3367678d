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
  ``Cache-Control: private/no-store/no-cache``;
- never a response whose rendering used the request's CSP nonce (:func:`used_csp_nonce`).

An anonymous hit of a page is answered before the rest of the middleware stack, by
:mod:`core.pagecache_middleware`, from the entry its view stored here; every other request
reaches the view, which looks the cache up as below.

With read replicas, the setting ``PARADIPLO_PAGE_CACHE_ON_MISS`` names a function (a dotted path)
called before a miss is rendered, which sends the rest of the request's reads to the primary
database: a page stored under the primary's version never holds a lagging replica's content.

An entry is stored gzip-compressed, compressed once when it is stored: a client that accepts
gzip gets the stored bytes as they are (``Content-Encoding: gzip``), any other client the
decompressed page; every cached response says ``Vary: Accept-Encoding``. Django's
``GZipMiddleware``, if enabled, leaves a response that has a ``Content-Encoding`` alone. The
ETag is computed once, on the uncompressed content, and kept with the entry (the gzipped
representation carries it weak, ``W/"…"``, as ``GZipMiddleware`` would), so ``If-None-Match``
still gets its 304 without hashing anything.

A hit costs no rendering and no hashing. With the content version kept in the shared cache
(:func:`core.contentversion.current_and_cached`: Redis), it costs one round trip to the cache
(the version and the entry in one ``get_many``) and no query; otherwise one query (the version)
and one round trip. Responses carry ``X-Paradiplo-Cache: hit`` or ``miss``.

Use :class:`CachedPageMixin` on a class-based page view, :func:`cached_page` on a function view
and :func:`cached_api` on a DRF handler (``list``, ``retrieve`` or an ``@action``).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_vary_headers, set_response_etag
from django.utils.module_loading import import_string
from django.utils.translation import get_language

from . import contentversion

#: How long an entry is kept (seconds) unless PARADIPLO_PAGE_CACHE_SECONDS says otherwise.
DEFAULT_SECONDS = 60 * 60
HEADER = "X-Paradiplo-Cache"
# ".gz": the entries hold (body, headers, gzipped); the earlier (content, headers) entries are
# never read as such.
KEY_PREFIX = "paradiplo.page.gz"
#: Headers of the view's response that a hit gives back; the middleware adds the rest
#: (Content-Language, Vary: Accept-Language, X-Frame-Options…) to the hit as to any response.
KEPT_HEADERS = {"content-type", "content-disposition", "vary", "link", "allow", "etag"}
UNCACHEABLE_CONTROL = {"private", "no-store", "no-cache"}
# As django.middleware.gzip: does the client take gzip?
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
#: Smaller contents are stored as they are (as django.middleware.gzip, which leaves them).
MIN_COMPRESSED_LENGTH = 200
#: zlib's level: 6 costs a third of 9's time for a few per cent more bytes, paid once per entry.
COMPRESS_LEVEL = 6


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
    return _key_for(request, variants)(version(request))


def _key_for(request, variants, language: str | None = None):
    """``token -> the key of request's response under that content version`` (in ``language``,
    by default the active one)."""
    address = "\n".join([request.build_absolute_uri(), *variants])
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    rest = f"{language or get_language()}:{timezone.localdate().isoformat()}:{digest}"
    return lambda token: f"{KEY_PREFIX}:{token}:{rest}"


def page_key_for(request, language: str):
    """``token -> the key under which a cached page view stores its response to request`` when
    ``language`` is active, before any middleware has activated it
    (:mod:`core.pagecache_middleware`)."""
    return _key_for(request, (), language)


def _cacheable(response) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if response.has_header("Content-Encoding"):  # encoded by the view already
        return False
    control = {part.split("=")[0].strip().lower() for part in cc_delim_re.split(response.get("Cache-Control", ""))}
    return not control & UNCACHEABLE_CONTROL


def used_csp_nonce(request) -> bool:
    """Whether rendering the response used the request's CSP nonce (django-csp makes it when it
    is first read, and then puts it in the response's header). Such a response is never stored:
    a hit would carry a nonce that its header, made afresh for the hit, does not name, and one
    nonce served to many visitors protects nothing."""
    return isinstance(getattr(request, "_csp_nonce", None), str)


def accepts_gzip(request) -> bool:
    return bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))


def _entry(response) -> tuple[bytes, dict, bool]:
    """``(body, headers, gzipped)``: the content, gzipped when that makes it smaller, and the
    headers a hit gives back."""
    # The ETag that ConditionalGetMiddleware would compute, computed once and kept with the
    # entry: a hit then needs no hashing of its content to answer If-None-Match.
    if not response.has_header("ETag"):
        set_response_etag(response)
    patch_vary_headers(response, ("Accept-Encoding",))
    headers = {name: value for name, value in response.items() if name.lower() in KEPT_HEADERS}
    content = response.content
    if len(content) >= MIN_COMPRESSED_LENGTH:
        # mtime=0: the same content always gives the same bytes.
        compressed = gzip.compress(content, compresslevel=COMPRESS_LEVEL, mtime=0)
        if len(compressed) < len(content):
            return compressed, headers, True
    return content, headers, False


def _serve(response, body: bytes, headers: dict, gzipped: bool, request) -> None:
    """Give ``response`` the entry's body: as stored to a client that accepts gzip, else
    decompressed."""
    if gzipped and accepts_gzip(request):
        response.content = body
        response["Content-Encoding"] = "gzip"
        etag = headers.get("ETag")
        if etag and not etag.startswith("W/"):
            response["ETag"] = f"W/{etag}"  # as GZipMiddleware: another representation
    else:
        response.content = gzip.decompress(body) if gzipped else body


def hit_response(entry, request) -> HttpResponse:
    """The response of a hit: the cached ``entry`` served to ``request``."""
    body, headers, gzipped = entry
    response = HttpResponse(headers=headers)
    _serve(response, body, headers, gzipped, request)
    response[HEADER] = "hit"
    return response


def _store_when_rendered(response, key: str, seconds: int, request):
    """Cache ``response`` once it has its content (a TemplateResponse renders after the view),
    and serve it gzipped, as the entry is, to a client that accepts gzip."""

    def store(rendered):
        if _cacheable(rendered) and not used_csp_nonce(request):
            body, headers, gzipped = entry = _entry(rendered)
            cache.set(key, entry, seconds)
            if gzipped and accepts_gzip(request):
                _serve(rendered, body, headers, gzipped, request)

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


def page_request_cacheable(request) -> bool:
    """Whether a page may be served from the cache to ``request``: a GET or HEAD without a
    session cookie."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def looked_up(request, key: str, token: str) -> None:
    """Record that the cache held no entry under ``key`` (of content version ``token``) when
    :mod:`core.pagecache_middleware` looked for ``request``'s page: the view renders it without
    reading the version and the cache a second time."""
    request._paradiplo_page_looked_up = (key, token)


def cached_response(request, respond, *variants: str):
    """``respond()``'s response, from the cache when an entry exists for ``request`` (see the
    module's rules); otherwise ``respond()`` is called and its response cached when it may be."""
    seconds = cache_seconds()
    if seconds <= 0:
        return respond()
    key_for = _key_for(request, variants)
    earlier = getattr(request, "_paradiplo_page_looked_up", None)
    if earlier is not None and earlier[0] == key_for(earlier[1]):  # the same key: a miss already
        token, entry = earlier[1], None
    else:
        token, entry = contentversion.current_and_cached(key_for)
    request._paradiplo_content_version = token
    if entry is not None:
        return hit_response(entry, request)
    _before_rendering_a_miss()
    response = respond()
    if request.method != "GET":
        return response
    return _store_when_rendered(response, key_for(token), seconds, request)


def cached_page(view=None, *, compress: bool = True):
    """Cache a public page view's responses per content version (see the module). Every entry
    is gzipped once, when stored (``compress`` is kept for the callers that ask for it: it is
    what every cached page does now)."""
    if view is None:
        return functools.partial(cached_page, compress=compress)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if not page_request_cacheable(request):
            return view(request, *args, **kwargs)
        return cached_response(request, lambda: view(request, *args, **kwargs))

    return wrapped


class CachedPageMixin:
    """A class-based public page whose responses are cached per content version; a view
    answers False from :meth:`page_cacheable` for requests it never caches."""

    def page_cacheable(self) -> bool:
        return True

    def dispatch(self, request, *args, **kwargs):
        parent = super().dispatch
        if not (page_request_cacheable(request) and self.page_cacheable()):
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
