"""Network profile throughput under a production server vs a bare Django view on the same server.

gunicorn (``paradiplo/gunicorn.conf.py``) with 4 workers serves the benchmark database under
the benchmark settings (:mod:`benchmarks.settings`: production settings, plus ``/bench/bare/``)
with the Redis cache of ``REDIS_URL``. After a warm-up (the cache warm, every worker started),
``benchmarks/load.py`` sends 32 concurrent clients (threads, keep-alive when the server allows,
``Accept-Encoding: gzip`` as browsers send it) for ``DURATION`` seconds at the bare view and as
long at the Mercociudades profile (``/en/networks/mercociudades/``), the two in turn in
``ROUNDS`` slices each, so that a change of the machine's load during the run meets both.
Target: the profile serves at least half the bare view's requests per second; the row says
whether the profile came from the page cache after the warm-up (``X-Paradiplo-Cache: hit``).
Reported beside it: each one's median latency, and the size of the largest synthetic network's
profile (``synthetic-001``, 20,000 members in the 200,000-place database; target under 300 KB).

Workers are not recycled during the run (``GUNICORN_MAX_REQUESTS=0``): replacing a worker
every thousand requests would stall the fast bare view more than the profile and flatter the
ratio. Static files are collected once into a folder of the benchmarks' own (the production
storage needs its manifest). The server, its log and the collected files stay on this machine;
the server is stopped at the end, even after an error.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.urls import BARE_PATH

ROOT = Path(__file__).resolve().parent.parent
PROFILE_PATH = "/en/networks/mercociudades/"
LARGE_PROFILE_PATH = "/en/networks/synthetic-001/"
WORKERS = 4
CLIENTS = 32
DURATION = {False: 20.0, True: 5.0}  # seconds per measured path, by ``quick``
ROUNDS = {False: 4, True: 2}  # the paths measured in turn, this many slices of the duration each
WARM_UP = 3.0
TARGET_SHARE = 50  # percent of the bare view's requests/s
TARGET_HTML_KB = 300
CACHE_HEADER = "X-Paradiplo-Cache"  # core.pagecache marks its responses
STATIC_ROOT = Path(tempfile.gettempdir()) / "paradiplo-bench-static"


def run(*, quick: bool = False) -> list[dict]:
    collect_static()
    with Server() as server:
        for path in (BARE_PATH, PROFILE_PATH):
            server.check(path)
            load(server.url, path, clients=8, duration=WARM_UP)  # every worker warm, the cache full
        cache = server.cache_state(PROFILE_PATH)  # "hit" once the page cache holds the profile
        # The two in turn, a slice of the time each, ROUNDS times: a machine whose load moves
        # during the run moves both alike (one after the other, a change of load between the
        # two measures alone decided the ratio).
        slices = {BARE_PATH: [], PROFILE_PATH: []}
        for _ in range(ROUNDS[quick]):
            for path, measured in slices.items():
                measured.append(load(server.url, path, clients=CLIENTS, duration=DURATION[quick] / ROUNDS[quick]))
        bare, profile = combined(slices[BARE_PATH]), combined(slices[PROFILE_PATH])
        large = server.size(LARGE_PROFILE_PATH)
    for name, summary in (("bare view", bare), ("profile", profile)):
        if summary["failures"] or summary["tracebacks"]:
            raise AssertionError(f"{name}: {summary['failures']} failed requests, {summary['tracebacks']} tracebacks")
    share = profile["requests_per_s"] / bare["requests_per_s"]
    warm = "cache warm" if cache == "hit" else f"cache NOT warm: {CACHE_HEADER} {cache or 'absent'}"
    setting = f"{CLIENTS} clients, {WORKERS} gunicorn workers, {warm}"
    rows = [
        {
            "name": f"network profile {PROFILE_PATH} ({setting})",
            "value": profile["requests_per_s"],
            "unit": "req/s",
            "floor_name": f"bare Django JSON view {BARE_PATH}, same server",
            "floor_value": bare["requests_per_s"],
            "ratio": round(share, 3),
            "target": f">= {TARGET_SHARE}% of the bare view",
        },
        {
            "name": f"network profile {PROFILE_PATH}, median latency ({setting})",
            "value": profile["latency_ms"]["p50"],
            "unit": "ms",
            "floor_name": f"bare view {BARE_PATH}, median latency",
            "floor_value": bare["latency_ms"]["p50"],
            "ratio": round(profile["latency_ms"]["p50"] / bare["latency_ms"]["p50"], 2),
            "target": "",
        },
    ]
    if large is not None:
        kilobytes, members = large
        rows.append(
            {
                "name": f"network profile HTML {LARGE_PROFILE_PATH} ({members:,} synthetic members)",
                "value": round(kilobytes, 1),
                "unit": "KB",
                "floor_name": None,
                "floor_value": None,
                "ratio": None,
                "target": f"< {TARGET_HTML_KB} KB",
            }
        )
    return rows


def combined(summaries: list[dict]) -> dict:
    """One summary of several runs of ``load``: requests/s over their total time, the median of
    their median latencies, their failures and tracebacks added up."""
    seconds = sum(summary["duration_s"] for summary in summaries)
    medians = sorted(summary["latency_ms"]["p50"] for summary in summaries)
    return {
        "requests_per_s": round(sum(summary["requests"] for summary in summaries) / seconds, 1),
        "latency_ms": {"p50": medians[len(medians) // 2]},
        "failures": sum(summary["failures"] for summary in summaries),
        "tracebacks": sum(summary["tracebacks"] for summary in summaries),
    }


# The server -----------------------------------------------------------------------------------


def collect_static() -> None:
    from django.conf import settings
    from django.core.management import call_command

    if Path(settings.STATIC_ROOT) != STATIC_ROOT:
        raise RuntimeError(f"STATIC_ROOT is {settings.STATIC_ROOT}: run through benchmarks/run.py")
    call_command("collectstatic", interactive=False, verbosity=0)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the production configuration, on a free local port, for one ``with``."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = Path(tempfile.gettempdir()) / f"paradiplo-bench-gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = {
            **os.environ,
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "WEB_CONCURRENCY": str(WORKERS),
            "GUNICORN_MAX_REQUESTS": "0",
            "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(50),
        }
        config = ROOT / "paradiplo" / "gunicorn.conf.py"
        if config.exists():
            command = [sys.executable, "-m", "gunicorn", "-c", str(config), "paradiplo.wsgi:application"]
        else:  # before paradiplo/gunicorn.conf.py existed: the same settings on the command line
            command = [
                sys.executable, "-m", "gunicorn", "paradiplo.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                "--workers", str(WORKERS), "--timeout", "120", "--access-logfile", "-",
            ]  # fmt: skip
        self.log = open(self.log_path, "w", encoding="utf-8")  # noqa: SIM115 (closed in __exit__)
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.wait_until_ready()
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful stop
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def wait_until_ready(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped (exit {self.process.returncode}); see {self.log_path}")
            try:
                if self.get("/healthz")[0] in (200, 503):
                    return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s; see {self.log_path}")

    def get(self, path: str) -> tuple[int, bytes]:
        status, body, _headers = self.request(path)
        return status, body

    def request(self, path: str):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read(), response.headers
        finally:
            connection.close()

    def cache_state(self, path: str) -> str | None:
        """The page cache's verdict on ``path`` (``hit``/``miss``; None without a page cache)."""
        return self.request(path)[2].get(CACHE_HEADER)

    def check(self, path: str) -> None:
        status, body = self.get(path)
        if status != 200:
            raise AssertionError(f"{path} answered {status}; see {self.log_path}")

    def size(self, path: str) -> tuple[float, int] | None:
        """(kilobytes, members) of a page that lists a network's members; None when the
        database has no such network."""
        from networks.models import Membership

        members = Membership.objects.filter(network__slug=path.rstrip("/").rsplit("/", 1)[-1]).count()
        if not members:
            return None
        status, body = self.get(path)
        if status != 200:
            raise AssertionError(f"{path} answered {status}; see {self.log_path}")
        return len(body) / 1000, members


# The clients ----------------------------------------------------------------------------------


def load(base_url: str, path: str, *, clients: int, duration: float) -> dict:
    """benchmarks/load.py against ``path``: its summary (requests/s, latency, statuses)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as summary:
        command = [
            sys.executable, str(ROOT / "benchmarks" / "load.py"), base_url, path, "--clients", str(clients),
            "--duration", str(duration), "--keep-alive", "--json", summary.name,
        ]  # fmt: skip
        # Its own process: the clients' threads do not share a GIL with this one.
        subprocess.run(command, check=False, stdout=subprocess.DEVNULL)
        return json.loads(Path(summary.name).read_text(encoding="utf-8"))
