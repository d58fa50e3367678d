"""Rate limits of the public pages, their downloads and the search suggestions.

The API has REST framework's throttles (``core.api.throttling``); the pages, their CSV, GeoJSON
and bibliography downloads, the dataset's releases (``/data/``: its pages as pages, its files as
downloads) and the header's typeahead (``/search/suggest/``) are limited here,
in a middleware that runs before any view, and so before the page cache (``core.pagecache``):
a cached page costs a client as much of its allowance as a rendered one.

- A cached page's hit is answered before this middleware (``core.pagecache_middleware``), which
  counts it the same way in its own round trip and leaves the count on the request.
- Clients are counted by address (:func:`core.clientip.client_ip`: ``X-Forwarded-For`` only from
  a trusted proxy), in fixed windows of the rate's period, in the default cache: Redis when
  ``REDIS_URL`` is set, so the count is shared by every worker and server. With Redis a request
  costs one round trip (INCR and EXPIRE in a pipeline); other caches, an increment (and an add
  for the first request of a window).
- The rates are the setting ``PARADIPLO_THROTTLE_RATES`` (``{"page": "240/minute", …}``, from
  ``PARADIPLO_PAGE_RATE``, ``PARADIPLO_DOWNLOAD_RATE``, ``PARADIPLO_SUGGEST_RATE``); a rate that
  is empty, ``0`` or None turns its limit off.
- Over the limit: 429 with ``Retry-After`` (seconds to the end of the window): a short
  translated page, or JSON for the suggestions.
- Signed-in users are not limited: a request with a session cookie is checked against its
  session (a request without one costs no query).
- A cache that does not answer counts nothing and lets the request through (fail open).
"""

from __future__ import annotations

import functools
import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from redis.exceptions import RedisError

from .clientip import client_ip

PERIODS = {"s": 1, "m": 60, "h": 60 * 60, "d": 24 * 60 * 60}
SUGGEST_PREFIX = "/search/suggest/"
DATA_PREFIX = "/data/"
DOWNLOAD_SUFFIXES = (".csv", ".geojson", ".bib", ".json")
DOWNLOAD_FORMATS = {"csv", "geojson", "json", "bibtex"}
KEY_PREFIX = "paradiplo.throttle"
#: Set on a request that ``core.pagecache_middleware`` has counted already (in the round trip that
#: looked the page up): None under the limit (or not counted: fail open), else the seconds to wait.
COUNTED = "_paradiplo_throttle_wait"


@functools.cache
def parse_rate(rate: str | None) -> tuple[int, int] | None:
    """``"240/minute"`` -> (240, 60); None when the limit is off (empty, 0 or None). DRF's
    syntax: the period's first letter counts (``s``, ``m``, ``h``, ``d``)."""
    if not rate or not str(rate).strip():
        return None
    number, _slash, period = str(rate).strip().partition("/")
    requests = int(number)
    if requests <= 0:
        return None
    return requests, PERIODS[period.strip()[0].lower()]


def language_prefixes() -> tuple[str, ...]:
    return tuple(f"/{code}/" for code, _name in settings.LANGUAGES)


def scope_of(request) -> str | None:
    """Which limit counts this request: "suggest", "download", "page", or None (not limited
    here: the API, the admin, static files, health checks, sitemaps)."""
    path = request.path_info
    if path.startswith(SUGGEST_PREFIX):
        return "suggest"
    if path.startswith(DATA_PREFIX):
        return "page" if path.endswith("/") else "download"
    if not path.startswith(language_prefixes()):
        return None
    if path.endswith(DOWNLOAD_SUFFIXES) or request.GET.get("format") in DOWNLOAD_FORMATS:
        return "download"
    return "page"


def _redis_increment(backend: RedisCache, key: str, seconds: int) -> int | None:
    """INCR and EXPIRE in one round trip (Django's ``incr`` takes two: EXISTS, then INCRBY); None
    when Redis does not answer (``FailOpenRedisCache`` also pauses its use for a few seconds)."""
    full_key = backend.make_and_validate_key(key)

    def increment():
        pipeline = backend._cache.get_client(full_key, write=True).pipeline(transaction=False)
        pipeline.incr(full_key)
        pipeline.expire(full_key, seconds)
        return pipeline.execute()[0]

    guarded = getattr(backend, "_guarded", None)
    if guarded is not None:
        return guarded("incr", None, increment)
    try:
        return increment()
    except RedisError:
        return None


def _increment(key: str, seconds: int) -> int | None:
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache):
        return _redis_increment(backend, key, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # the window's first request (or a cache that does not answer)
        if cache.add(key, 1, seconds):
            return 1
        try:
            return cache.incr(key)
        except ValueError:
            return None


class Counter:
    """One request of ``ident`` to count against ``limit`` requests per ``period`` seconds, in the
    fixed window that ``now`` falls in: its cache ``key`` and how long that key lives
    (``seconds``). :meth:`count` counts it; :meth:`wait` reads a count made elsewhere (the page
    cache's middleware counts in its own round trip to Redis: ``core.pagecache_middleware``)."""

    def __init__(self, scope: str, ident: str, limit: int, period: int, now: float):
        self.limit = limit
        self.period = period
        self.now = now
        self.window = int(now // period)
        self.key = f"{KEY_PREFIX}:{scope}:{ident}:{period}:{self.window}"
        self.seconds = period + 1

    def count(self) -> int | None:
        """Count the request; the seconds to wait when it is over the limit, else None (also when
        the cache does not answer: fail open)."""
        return self.wait(_increment(self.key, self.seconds))

    def wait(self, count: int | None) -> int | None:
        """The seconds to wait when ``count`` (the window's count with this request) is over the
        limit, else None."""
        if count is None or count <= self.limit:
            return None
        return max(1, int((self.window + 1) * self.period - self.now + 0.999))


def hit(scope: str, ident: str, limit: int, period: int, now: float) -> int | None:
    """Count one request of ``ident`` in the current window; the seconds to wait when it is one
    over the limit, else None (also when the cache does not answer: fail open)."""
    return Counter(scope, ident, limit, period, now).count()


def signed_in(request) -> bool:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def too_many_requests(request, scope: str, wait: int) -> HttpResponse:
    message = _("Too many requests from your address. Please wait %(seconds)s seconds and try again.") % {
        "seconds": wait
    }
    if scope == "suggest":
        response = JsonResponse({"detail": message, "results": []}, status=429)
    else:
        response = HttpResponse(
            render_to_string("429.html", {"message": message, "wait": wait}, request=request), status=429
        )
    response["Retry-After"] = str(wait)
    add_never_cache_headers(response)
    return response


class PublicThrottleMiddleware:
    """Answers 429 to a client over the rate of its request's kind (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scope = scope_of(request)
        if scope is not None:
            if hasattr(request, COUNTED):  # counted by core.pagecache_middleware, never twice
                wait = getattr(request, COUNTED)
            else:
                rate = parse_rate(settings.PARADIPLO_THROTTLE_RATES.get(scope))
                counted = rate is not None and not signed_in(request)
                wait = hit(scope, client_ip(request), *rate, time.time()) if counted else None
            if wait is not None:
                return too_many_requests(request, scope, wait)
        return self.get_response(request)
