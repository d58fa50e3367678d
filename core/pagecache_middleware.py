"""Cached public pages answered before the rest of the middleware stack.

A hit of the page cache (:mod:`core.pagecache`) served from inside its view still went through
every middleware (sessions, locale, CSRF, authentication, the admin's language, the page
throttle, messages, history, django-axes…) and the URL resolver before it read the cache: a
bare Django view on the same server did the same work without the read, so a cached page could
not get near the bare view's throughput. :class:`CachedPageHitMiddleware`, placed right after the
middleware that set headers on every response (security, CSP, CORS) and before the session,
answers an anonymous hit itself, as Django's ``FetchFromCacheMiddleware`` does, and hands
everything else on to the stack unchanged.

Which requests it answers: a GET or HEAD without a session cookie, whose path has a language
prefix (every cached page lives under one: the key needs the language, and the prefix gives
it), when the cache holds an entry under the key the page's view would use
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

A cache that does not answer counts nothing and finds nothing: the request goes on, rendered
uncached, never a 500. Without Redis (a local-memory cache, or the version not kept in the
cache) the same hit takes the throttle's increment and the version's query
(:func:`core.contentversion.current_and_cached`), as the view would.
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
        if pagecache.cache_seconds() <= 0 or not pagecache.page_request_cacheable(request):
            return None
        language = translation.get_language_from_path(request.path_info)
        if not language or self.common.process_request(request) is not None:
            return None
        scope = throttle_middleware.scope_of(request)
        rate = throttle_middleware.parse_rate(settings.PARADIPLO_THROTTLE_RATES.get(scope)) if scope else None
        counter = throttle_middleware.Counter(scope, client_ip(request), *rate, time.time()) if rate else None
        key_for = pagecache.page_key_for(request, language)
        wait, entry = lookup(counter, key_for)
        if counter is not None:
            setattr(request, throttle_middleware.COUNTED, wait)
        if wait is not None or entry is None:
            return None
        with translation.override(language):
            response = pagecache.hit_response(entry, request)
            for middleware in self.after:
                response = middleware.process_response(request, response)
        return response


def lookup(counter, key_for) -> tuple[int | None, object]:
    """``(wait, entry)``: the seconds to wait when ``counter`` (counted here) is over its limit,
    else None; and the page cache's entry under ``key_for(current version)``, or None."""
    backend = caches[DEFAULT_CACHE_ALIAS]
    if isinstance(backend, RedisCache) and contentversion.cache_holds_version():
        return _redis_lookup(backend, counter, key_for)
    wait = counter.count() if counter is not None else None
    if wait is not None:
        return wait, None
    _token, entry = contentversion.current_and_cached(key_for)
    return None, entry


def _redis_lookup(backend: RedisCache, counter, key_for) -> tuple[int | None, object]:
    """One pipeline: the throttle counter's INCR and EXPIRE, and the version's copy with the page
    entry under the version this process saw last; a second GET only when the version changed
    since. No copy of the version in the cache: no entry (the view reads the row and puts it
    back)."""
    guess = contentversion.last_seen()
    copy_key = backend.make_and_validate_key(contentversion.cache_key())
    keys = [copy_key] + ([backend.make_and_validate_key(key_for(guess))] if guess else [])
    counter_key = backend.make_and_validate_key(counter.key) if counter is not None else None

    def round_trip():
        client = backend._cache.get_client(None, write=True)
        if counter_key is None:  # no limit to count: the MGET alone (a pipeline costs more CPU)
            return [client.mget(keys)]
        pipeline = client.pipeline(transaction=False)
        pipeline.incr(counter_key)
        pipeline.expire(counter_key, counter.seconds)
        pipeline.mget(keys)
        return pipeline.execute()

    results = _guarded(backend, "pipeline", round_trip)
    if results is None:  # Redis does not answer: count nothing (fail open), find nothing
        return None, None
    wait = counter.wait(results[0]) if counter_key is not None else None
    loads = backend._cache._serializer.loads
    values = [None if value is None else loads(value) for value in results[-1]]
    token = values[0]
    if wait is not None or token is None:
        return wait, None
    contentversion.saw(token)
    if token == guess:
        return None, values[1]
    return None, backend.get(key_for(token))


def _guarded(backend, operation: str, call):
    guarded = getattr(backend, "_guarded", None)  # core.cache_backends.FailOpenRedisCache
    if guarded is not None:
        return guarded(operation, None, call)
    try:
        return call()
    except RedisError:
        return None
