"""Real servers for the production tests: free ports, a throwaway redis-server, gunicorn with the
project's configuration, and whether the shared Redis of the machine answers.

Tests that need Redis skip when none answers on 127.0.0.1:6379, unless PARADIPLO_REQUIRE_REDIS
is set (CI sets it, so there they fail instead)."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

SHARED_REDIS = ("127.0.0.1", 6379)
# A database number of the shared Redis that the site never uses; each test run keys under a
# prefix of its own there, so runs in parallel do not meet and nothing needs flushing.
TEST_REDIS_DB = 15


def free_port() -> int:
    """A TCP port nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_redis_url() -> str:
    """The address of a Redis that is not there: connections are refused at once."""
    return f"redis://127.0.0.1:{free_port()}/0"


def shared_redis_answers() -> bool:
    try:
        with socket.create_connection(SHARED_REDIS, timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def require_shared_redis() -> str:
    """The URL of the test database of the shared Redis, or skip (fail in CI) without one."""
    if not shared_redis_answers():
        message = "no Redis on 127.0.0.1:6379"
        if os.environ.get("PARADIPLO_REQUIRE_REDIS"):
            pytest.fail(message)
        pytest.skip(message)
    return f"redis://{SHARED_REDIS[0]}:{SHARED_REDIS[1]}/{TEST_REDIS_DB}"


@contextlib.contextmanager
def own_redis_server(port: int | None = None):
    """A redis-server of this test alone on ``port`` (a free one by default), keeping nothing on
    disk; yields (url, stop) where stop() shuts it down (as a crash or an operator would)."""
    binary = shutil.which("redis-server")
    if binary is None:
        if os.environ.get("PARADIPLO_REQUIRE_REDIS"):
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    port = port or free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port, process)

        def stop():
            process.terminate()
            process.wait(timeout=10)

        yield f"redis://127.0.0.1:{port}/0", stop
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """One GET on a new connection: (status, headers, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(env: dict, *, workers: int, log: Path, preload: bool = True):
    """gunicorn with paradiplo/gunicorn.conf.py on a free port, in a process group of its own;
    yields the port once /healthz answers. ``env`` is added to a clean environment (no
    DJANGO_SETTINGS_MODULE: paradiplo/wsgi.py picks the settings). With ``preload`` the master
    imports the app once before forking, so that four workers start in the time of one."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARADIPLO_", "GUNICORN_"))}
    for name in ["DATABASE_URL", "DATABASE_REPLICA_URL", "DATABASE_CONN_MAX_AGE", "REDIS_URL"]:
        environment.pop(name, None)
    environment.update({"HOST": "127.0.0.1", "PORT": str(port), "WEB_CONCURRENCY": str(workers), **env})
    command = [str(Path(sys.executable).with_name("gunicorn")), "-c", "paradiplo/gunicorn.conf.py"]
    if preload:
        command.append("--preload")
    with open(log, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_port(port, process)
        deadline = time.monotonic() + 60
        while get(port, "/healthz")[0] != 200:
            if time.monotonic() > deadline:
                raise RuntimeError("/healthz never answered 200:\n" + log.read_text())
            time.sleep(0.1)
        yield port
    finally:
        process.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown (TERM waits for workers)
        try:
            process.wait(timeout=1)
        except subprocess.TimeoutExpired:
            # The master lingers a few seconds after its workers have gone: end its group.
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def redis_caches(location: str) -> dict:
    """CACHES with the fail-open Redis cache at ``location``, under a key prefix of its own, with
    short timeouts (a stopped Redis answers at once)."""
    return {
        "default": {
            "BACKEND": "core.cache_backends.FailOpenRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"paradiplo-test-{uuid.uuid4().hex}",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25, "PAUSE_AFTER_FAILURE": 0},
        }
    }
