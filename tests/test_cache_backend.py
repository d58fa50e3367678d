"""core.cache_backends.FailOpenRedisCache: Django's Redis cache, which carries on without the
cache when Redis is refused, hangs or goes away, and works as Django's when Redis answers."""

import logging
import socket
import threading
import time
import uuid

import pytest

from core.cache_backends import FailOpenRedisCache

from .servers import closed_redis_url, own_redis_server, require_shared_redis

OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25}


def backend(location, **options):
    return FailOpenRedisCache(location, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}", "OPTIONS": {**OPTIONS, **options}})


@pytest.fixture
def hung_redis():
    """A server that accepts connections and never answers (a Redis stopped with SIGSTOP)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    accepted = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0"
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    listener.close()


def test_a_refused_redis_reads_as_misses_and_ignores_writes():
    cache = backend(closed_redis_url(), PAUSE_AFTER_FAILURE=0)
    assert cache.get("key") is None
    assert cache.get("key", "fallback") == "fallback"
    assert cache.set("key", "value", 60) is None
    assert cache.add("key", "value") is False
    assert cache.delete("key") is False
    assert cache.touch("key") is False
    assert cache.has_key("key") is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False
    # What the caller computes is served, uncached.
    assert cache.get_or_set("key", lambda: "computed") == "computed"


def test_incr_on_a_refused_redis_is_a_missing_key():
    cache = backend(closed_redis_url(), PAUSE_AFTER_FAILURE=0)
    with pytest.raises(ValueError):
        cache.incr("counter")
    with pytest.raises(ValueError):
        cache.decr("counter")


def test_a_refused_redis_costs_well_under_a_millisecond_per_call():
    cache = backend(closed_redis_url(), PAUSE_AFTER_FAILURE=0)
    started = time.perf_counter()
    for number in range(100):
        cache.get(f"key{number}")
        cache.set(f"key{number}", number)
    assert time.perf_counter() - started < 2  # 200 refused connections; about 0.1 s here


def test_a_hung_redis_costs_one_timeout_then_is_skipped(hung_redis):
    cache = backend(hung_redis, PAUSE_AFTER_FAILURE=30)
    started = time.perf_counter()
    assert cache.get("key", "miss") == "miss"
    first = time.perf_counter() - started
    assert 0.2 <= first < 2  # the read timeout (0.25 s), not a hang
    started = time.perf_counter()
    for number in range(50):
        assert cache.get(f"key{number}", "miss") == "miss"
        cache.set(f"key{number}", number)
    assert time.perf_counter() - started < 0.1  # paused: Redis is not called again


def test_failures_are_logged_as_one_warning_per_interval(caplog):
    cache = backend(closed_redis_url(), PAUSE_AFTER_FAILURE=0, WARNING_INTERVAL=3600)
    with caplog.at_level(logging.WARNING, logger="core.cache_backends"):
        for number in range(20):
            cache.get(f"key{number}")
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "unavailable" in warnings[0].getMessage()
    assert "ConnectionError" in warnings[0].getMessage()
    assert all(record.exc_info is None for record in caplog.records)  # no traceback


def test_one_redis_client_serves_every_call_of_a_backend():
    """Django builds a redis.Redis per cache call, which costs more CPU than the round trip to a
    local Redis; the backend keeps one per connection pool (building one does not connect)."""
    cache = backend(closed_redis_url())
    reads, writes = cache._cache.get_client("a"), cache._cache.get_client("b", write=True)
    assert reads is writes is cache._cache.get_client(None)  # one server: one pool
    two = backend(f"{closed_redis_url()},{closed_redis_url()}")
    assert two._cache.get_client(write=True) is two._cache.get_client(write=True)
    assert two._cache.get_client(write=True) is not two._cache.get_client()  # the replica's own


def test_the_shared_redis_works_as_djangos_cache():
    cache = backend(require_shared_redis())
    try:
        assert cache.get("record") is None
        cache.set("record", {"name": "Montevideo", "members": [1, 2]}, 30)
        assert cache.get("record") == {"name": "Montevideo", "members": [1, 2]}
        assert cache.add("record", "other") is False
        cache.set("counter", 1, 30)
        assert cache.incr("counter", 5) == 6
        with pytest.raises(ValueError):
            cache.incr("absent")
        assert cache.get_many(["record", "counter", "absent"]) == {
            "record": {"name": "Montevideo", "members": [1, 2]},
            "counter": 6,
        }
        assert cache.delete("record") is True
        assert cache.get("record", "gone") == "gone"
    finally:
        cache.delete_many(["record", "counter"])


def test_redis_stopped_then_restarted_fails_open_then_recovers(caplog):
    with own_redis_server() as (url, stop):
        cache = backend(url, PAUSE_AFTER_FAILURE=0.2)
        cache.set("page", "cached html", 60)
        assert cache.get("page") == "cached html"
        stop()
        with caplog.at_level(logging.WARNING, logger="core.cache_backends"):
            assert cache.get("page", "miss") == "miss"
            cache.set("page", "new html", 60)
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    # The same address again, empty (nothing was saved): the backend reconnects by itself.
    with own_redis_server(port):
        time.sleep(0.25)  # the pause after the failure
        with caplog.at_level(logging.WARNING, logger="core.cache_backends"):
            cache.set("page", "fresh html", 60)
            assert cache.get("page") == "fresh html"
    assert "answers again" in caplog.text
