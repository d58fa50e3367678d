"""A Redis cache that fails open: when Redis is down, slow or refuses a command, the site carries
on without the cache instead of answering 500 or hanging.

:class:`FailOpenRedisCache` is Django's own Redis backend
(``django.core.cache.backends.redis.RedisCache``) with every operation guarded:

- reads miss (``get`` returns the default, ``get_many`` an empty dict, ``has_key`` False);
- writes do nothing (``set``, ``delete``, ``touch``, ``clear``; ``add`` returns False,
  ``set_many`` reports every key as not stored);
- ``incr``/``decr`` raise ValueError, exactly as for a key that is not in the cache (callers
  already handle that: a cache may drop any key at any time).

After a failure the backend does not call Redis again for ``PAUSE_AFTER_FAILURE`` seconds (5 by
default), so a Redis that times out costs one timeout per pause and process, not one per cache
call. Failures are logged at WARNING at most once every ``WARNING_INTERVAL`` seconds (60) per
process, with the number of failures in between; the first success afterwards is logged too.
Both are read from OPTIONS, beside redis-py's own connection options (set the socket timeouts
there: ``socket_connect_timeout``, ``socket_timeout``).

The backend says it is ``shared_between_processes``: the content version keeps a copy of its
token in it, beside the cached pages (:mod:`core.contentversion`).

Django's client builds a new ``redis.Redis`` for every cache call, and building one (its table of
some 170 response callbacks) costs more CPU than the round trip itself to a Redis on the same
network; :class:`ReusingRedisCacheClient` keeps one per connection pool (a ``redis.Redis`` over a
pool is safe to share between threads).
"""

from __future__ import annotations

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

_UNAVAILABLE = object()


class _Breaker:
    """Whether a Redis server may be called now, shared by the threads of a process."""

    def __init__(self, name: str, *, pause: float, warning_interval: float):
        self.name = name
        self.pause = pause
        self.warning_interval = warning_interval
        self.down_until = 0.0
        self.failures_unreported = 0
        self.warned_at: float | None = None
        self.lock = threading.Lock()

    def allows(self) -> bool:
        return not self.down_until or time.monotonic() >= self.down_until

    def failed(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        with self.lock:
            self.down_until = now + self.pause
            self.failures_unreported += 1
            if self.warned_at is not None and now - self.warned_at < self.warning_interval:
                return
            count, self.failures_unreported, self.warned_at = self.failures_unreported, 0, now
        logger.warning(
            "Cache %s unavailable (%s during %s: %s): serving without the cache, next try in %gs "
            "[%d failure(s) since the last warning]",
            self.name,
            type(error).__name__,
            operation,
            error,
            self.pause,
            count,
        )

    def succeeded(self) -> None:
        if self.down_until:
            with self.lock:
                if not self.down_until:
                    return
                self.down_until = 0.0
                self.warned_at = None
                unreported, self.failures_unreported = self.failures_unreported, 0
            logger.warning("Cache %s answers again [%d failure(s) since the last warning]", self.name, unreported)


# One breaker per Redis location and process: Django builds a cache backend per thread.
_breakers: dict[str, _Breaker] = {}
_breakers_lock = threading.Lock()


def _breaker(name: str, *, pause: float, warning_interval: float) -> _Breaker:
    with _breakers_lock:
        if name not in _breakers:
            _breakers[name] = _Breaker(name, pause=pause, warning_interval=warning_interval)
        return _breakers[name]


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, building one ``redis.Redis`` per connection pool instead of one
    per call (see the module docstring)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            # The pools live as long as this object (self._pools), so their ids stay theirs.
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache, failing open (see the module docstring)."""

    pause_after_failure = 5.0
    warning_interval = 60.0
    #: Every process that names the same Redis sees the same entries: the content version may be
    #: kept here beside the pages (core.contentversion.cache_holds_version).
    shared_between_processes = True

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS") or {})
        pause = float(options.pop("PAUSE_AFTER_FAILURE", self.pause_after_failure))
        warning_interval = float(options.pop("WARNING_INTERVAL", self.warning_interval))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusingRedisCacheClient
        name = ",".join(self._servers)
        self._breaker = _breaker(name, pause=pause, warning_interval=warning_interval)

    def _guarded(self, operation: str, fallback, call, *args, **kwargs):
        if not self._breaker.allows():
            return fallback
        try:
            result = call(*args, **kwargs)
        except RedisError as error:
            self._breaker.failed(operation, error)
            return fallback
        self._breaker.succeeded()
        return result

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("add", False, super().add, key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._guarded("get", default, super().get, key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set", None, super().set, key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("touch", False, super().touch, key, timeout, version)

    def delete(self, key, version=None):
        return self._guarded("delete", False, super().delete, key, version)

    def get_many(self, keys, version=None):
        return self._guarded("get_many", {}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._guarded("has_key", False, super().has_key, key, version)

    def incr(self, key, delta=1, version=None):
        result = self._guarded("incr", _UNAVAILABLE, super().incr, key, delta, version)
        if result is _UNAVAILABLE:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guarded("set_many", list(data), super().set_many, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._guarded("delete_many", None, super().delete_many, keys, version)

    def clear(self):
        return self._guarded("clear", False, super().clear)
