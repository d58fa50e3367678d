"""Cached public pages answered before the rest of the middleware stack.

A hit of the page cache (:mod:`core.pagecache`) served from inside its view still went through
every middleware (sessions, locale, CSRF, authentication, the admin's language, the page
throttle, messages, history, django-axes…) and the URL resolver before it read the cache: a
bare Django view on the same server did the same work without the read, so a cached page could
not get near the bare view's throughput. :class:`CachedPageHitMiddleware`, placed right after the
middleware that set headers on every response (security, CSP, CORS) and before the session,
answers an anonymous hit itself, as Django's ``FetchFromCacheMiddleware`` does, and hands
everything else on to the stack unchanged.

Which requests it answers: with the content version kept in the cache
(:func:`core.contentversion.cache_holds_version`: Redis, shared by every process), a GET or
HEAD without a session cookie, whose path has a language prefix (every cached page lives under
one: the key needs the language, and the prefix gives it), when the cache holds an entry under
the key the page's view would use
(:func:`core.pagecache.page_key_for`: the content version, the language, today's date, the
absolute URL). Only a cached view ever stores an entry, and only for a request it may answer
from the cache (:func:`core.pagecache.cached_response`), so an entry found under that key is
what the view would have served; any other request (a miss, a signed-in visitor, the API) goes
on through the stack, where the view looks the cache up as before.

What a hit still gets from the stack:

- **the page throttle** (:mod:`core.throttle_middleware`) counts it. With Redis the counter's
  INCR and EXPIRE, the content version's copy and the page's entry travel in **one pipeline**:
  one round trip for the whole hit. Over the limit, the request goes on to the stack and the
  throttle middleware answers the 429 (in the page's language) without counting it again;
- the response headers of the middleware it skips that a hit would have got from them: the
  ``Content-Language`` of ``LocaleMiddleware``, the ``X-Frame-Options`` of
  ``XFrameOptionsMiddleware``, the ETag and 304 of ``ConditionalGetMiddleware`` and the
  ``Content-Length`` of ``CommonMiddleware`` (their ``process_response``, applied in the stack's
  order); ``CommonMiddleware``'s checks of the request (disallowed user agents, the host,
  ``PREPEND_WWW``) run first. The middleware placed before this one (security headers, CSP,
  WhiteNoise, CORS) see the hit as any response. Sessions, CSRF, messages and authentication
  add nothing to an anonymous hit (no session read, no token used, no message shown), history
  and django-axes nothing to a GET;
- the CSP header, from ``CSPMiddleware`` outside: a page whose rendering used the request's CSP
  nonce is never stored (:func:`core.pagecache.cacheable`), so a hit never carries an old nonce.

It never reads the database: a cache without the version's copy (expired, or Redis restarted)
means the request goes on to the view, which reads the row and puts the copy back. A cache that
does not answer counts nothing and finds nothing: the request goes on, rendered uncached, never
a 500. With a cache of each process's own (local memory: the version is read from the row), it
steps aside and the view looks the cache up as before. A page it looked up and did not find is
rendered by the view without a second look (:func:`core.pagecache.looked_up`). A page that is
never cached (or a download) costs one MGET, in the same round trip as its throttle count.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.module_loading import import_string
from redis.exceptions import RedisError

from . import contentversion, pagecache, throttle_middleware
from .clientip import client_ip

#: The middleware whose response headers a hit gets although it skips them (see the module).
HIT_RESPONSE_MIDDLEWARE = (LocaleMiddleware, CommonMiddleware, ConditionalGetMiddleware, XFrameOptionsMiddleware)


class CachedPageHitMiddleware:
    """Answers an anonymous GET/HEAD of a cached public page from the page cache before the rest
    of the stack (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.common = CommonMiddleware(get_response)
        self.after = self._response_middleware_after_this_one(get_response)

    @staticmethod
    def _response_middleware_after_this_one(get_response) -> list:
        """The instances of :data:`HIT_RESPONSE_MIDDLEWARE` listed after this middleware, innermost
        first (the order in which their ``process_response`` runs)."""
        names = list(settings.MIDDLEWARE)
        here = f"{__name__}.{CachedPageHitMiddleware.__name__}"
        later = names[names.index(here) + 1 :] if here in names else names
        classes = [import_string(name) for name in later]
        return [cls(get_response) for cls in reversed(classes) if cls in HIT_RESPONSE_MIDDLEWARE]

    def __call__(self, request):
        response = self.hit(request)
        if response is None:
            response = self.get_response(request)
        return response

    def hit(self, request):
        """The cached page's response, or None to go on through the stack."""
        if pagecache.cache_seconds() <= 0 or not contentversion.cache_holds_version():
            return None
        if not pagecache.page_request_cacheable(request):
            return None
        language = translation.get_language_from_path(request.path_info)
        if not language or self.common.process_request(request) is not None:
            return None
        scope = throttle_middleware.scope_of(request)
        rate = throttle_middleware.parse_rate(settings.PARADIPLO_THROTTLE_RATES.get(scope)) if scope else None
        counter = throttle_middleware.Counter(scope, client_ip(request), *rate, time.time()) if rate else None
        key_for = pagecache.page_key_for(request, language)
        wait, token, entry = lookup(counter, key_for)
        if counter is not None:
            setattr(request, throttle_middleware.COUNTED, wait)
        if wait is not None:
            return None
        if entry is None:
            if token is not None:  # the view need not look again (core.pagecache.cached_response)
                pagecache.looked_up(request, key_for(token), token)
            return None
        with translation.override(language):
            response = pagecache.hit_response(entry, request)
            for middleware in self.after:
                response = middleware.process_response(request, response)
        return response


def lookup(counter, key_for) -> tuple[int | None, str | None, object]:
    """``(wait, token, entry)``: the seconds to wait when ``counter`` (counted here) is over its
    limit, else None; the current content version, from the cache's copy (None when the cache
    has none: never read from the database here); and the page cache's entry under
    ``key_for(token)``, or None.

    The entry is read under the version this process saw last, with the version's copy (a second
    read only when the version changed since). With Redis, the counter's INCR and EXPIRE go in
    the same pipeline: one round trip."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    guess = contentversion.last_seen()
    keys = [contentversion.cache_key()] + ([key_for(guess)] if guess else [])
    if isinstance(backend, RedisCache):
        wait, values = _redis_round_trip(backend, counter, keys)
    else:
        wait = counter.count() if counter is not None else None
        values = [] if wait is not None else list(map(backend.get_many(keys).get, keys))
    token = values[0] if values else None
    if wait is not None or token is None:
        return wait, None, None
    contentversion.saw(token)
    if token == guess:
        return None, token, values[1]
    return None, token, backend.get(key_for(token))


def _redis_round_trip(backend: RedisCache, counter, keys: list[str]) -> tuple[int | None, list]:
    """``(wait, the values of keys)`` in one pipeline (``([], None)`` when Redis does not answer:
    nothing counted, fail open)."""
    full_keys = [backend.make_and_validate_key(key) for key in keys]
    counter_key = backend.make_and_validate_key(counter.key) if counter is not None else None

    def round_trip():
        client = backend._cache.get_client(None, write=True)
        if counter_key is None:  # no limit to count: the MGET alone (a pipeline costs more CPU)
            return [client.mget(full_keys)]
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(counter_key)
        pipeline.expire(counter_key, counter.seconds)
        pipeline.mget(full_keys)
        return pipeline.execute()

    results = _guarded(backend, "pipeline", round_trip)
    if results is None:
        return None, []
    wait = counter.wait(results[0]) if counter_key is not None else None
    loads = backend._cache._serializer.loads
    return wait, [None if value is None else loads(value) for value in results[-1]]


def _guarded(backend, operation: str, call):
    guarded = getattr(backend, "_guarded", None)  # core.cache_backends.FailOpenRedisCache
    if guarded is not None:
        return guarded(operation, None, call)
    try:
        return call()
    except RedisError:
        return None
