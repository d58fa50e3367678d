#!/usr/bin/env python3
"""Load and fault runs against a running Paradiplo server (e.g. ``make serve``).

N clients (threads) request the given paths in turn for T seconds, each request on a connection
of its own (keep-alive with --keep-alive), and the script prints requests/s, latency percentiles
(p50/p95/p99/max), the count of each HTTP status and of each error (refused, reset, timed out…),
and the responses whose body holds a Python traceback. With --timeline it also prints, second by
second, what came back: run it while restarting PostgreSQL or stopping Redis to see how long the
503s lasted and that 200s came back without restarting the app. Only the standard library.

    python benchmarks/load.py http://127.0.0.1:8000 /en/ /en/networks/ /api/v1/networks/ \
        --clients 50 --duration 60

Exit status: 0 when every response was a 2xx/3xx (or a status allowed by --ok), else 1.
Every client comes from one address: raise the API's anonymous rate limit for the run
(PARADIPLO_API_ANON_RATE), or its 429s are counted as failures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import sys
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

TRACEBACK_MARKERS = (b"Traceback (most recent call last)", b"Exception Value:")


@dataclass
class Result:
    started: float  # seconds since the run began
    path: str
    seconds: float
    status: int | None = None  # None: no HTTP answer
    error: str | None = None
    traceback: bool = False


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


def error_name(error: BaseException) -> str:
    if isinstance(error, socket.timeout | TimeoutError):
        return "timeout"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    if isinstance(error, ConnectionResetError):
        return "connection reset"
    if isinstance(error, http.client.RemoteDisconnected):
        return "closed without answer"
    return type(error).__name__


def client(number: int, args, target, run: Run, begin: float, deadline: float) -> None:
    paths = args.paths
    position = number % len(paths)
    connection = None
    headers = {"User-Agent": "paradiplo-load/1", "Accept-Encoding": "gzip"}
    if args.host_header:
        headers["Host"] = args.host_header
    for header in args.header:
        name, _, value = header.partition(":")
        headers[name.strip()] = value.strip()
    while time.monotonic() < deadline:
        path = paths[position]
        position = (position + 1) % len(paths)
        started = time.monotonic()
        result = Result(started=started - begin, path=path, seconds=0.0)
        try:
            if connection is None:
                connection = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=args.timeout)
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            result.status = response.status
            result.traceback = any(marker in body for marker in TRACEBACK_MARKERS)
            if not args.keep_alive or response.will_close:
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as error:
            result.error = error_name(error)
            if connection is not None:
                connection.close()
                connection = None
        result.seconds = time.monotonic() - started
        run.add(result)
        if result.error and args.pause_after_error:
            time.sleep(args.pause_after_error)
    if connection is not None:
        connection.close()


def percentile(sorted_values: list[float], fraction: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def outcome(result: Result) -> str:
    return str(result.status) if result.status is not None else result.error


def summarize(run: Run, args, elapsed: float) -> dict:
    results = run.results
    latencies = sorted(r.seconds for r in results if r.status is not None)
    by_path = defaultdict(list)
    for r in results:
        by_path[r.path].append(r)
    ok = set(args.ok)
    failures = [r for r in results if r.status is None or not (200 <= r.status < 400 or r.status in ok)]
    return {
        "clients": args.clients,
        "duration_s": round(elapsed, 1),
        "requests": len(results),
        "requests_per_s": round(len(results) / elapsed, 1) if elapsed else 0,
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 1),
            "p95": round(percentile(latencies, 0.95) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
        },
        "status": dict(sorted(Counter(r.status for r in results if r.status is not None).items())),
        "errors": dict(Counter(r.error for r in results if r.error)),
        "tracebacks": sum(r.traceback for r in results),
        "failures": len(failures),
        "paths": {
            path: {
                "requests": len(items),
                "p50_ms": round(percentile(sorted(r.seconds for r in items), 0.5) * 1000, 1),
                "outcomes": dict(Counter(outcome(r) for r in items)),
            }
            for path, items in by_path.items()
        },
    }


def timeline(run: Run, elapsed: float) -> list[str]:
    buckets: dict[int, Counter] = defaultdict(Counter)
    for r in run.results:
        buckets[int(r.started)][outcome(r)] += 1
    lines = []
    for second in range(int(elapsed) + 1):
        counts = buckets.get(second, Counter())
        shown = "  ".join(f"{name}×{count}" for name, count in sorted(counts.items()))
        lines.append(f"  t={second:>3}s  {shown or '-'}")
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("base_url", help="the server, e.g. http://127.0.0.1:8000")
    parser.add_argument("paths", nargs="+", help="paths requested in turn, e.g. /en/ /api/v1/networks/")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    parser.add_argument("--duration", type=float, default=60, help="seconds (default 60)")
    parser.add_argument("--timeout", type=float, default=30, help="seconds per request (default 30)")
    parser.add_argument("--keep-alive", action="store_true", help="reuse connections when the server allows")
    parser.add_argument("--host-header", help="Host header to send (default: from the URL)")
    parser.add_argument("--header", action="append", default=[], help="extra header 'Name: value' (repeatable)")
    parser.add_argument("--ok", type=int, action="append", default=[], help="a status that is not a failure")
    parser.add_argument(
        "--pause-after-error", type=float, default=0.05, help="seconds a client waits after a refused connection"
    )
    parser.add_argument("--timeline", action="store_true", help="print what came back second by second")
    parser.add_argument("--json", metavar="FILE", help="also write the summary as JSON")
    args = parser.parse_args(argv)

    target = urlsplit(args.base_url)
    if target.scheme != "http":
        parser.error("only http:// (put the load generator inside the TLS proxy)")
    run = Run()
    begin = time.monotonic()
    deadline = begin + args.duration
    threads = [
        threading.Thread(target=client, args=(number, args, target, run, begin, deadline), daemon=True)
        for number in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - begin

    summary = summarize(run, args, elapsed)
    print(f"{summary['requests']} requests in {summary['duration_s']} s from {args.clients} clients")
    print(f"  {summary['requests_per_s']} requests/s")
    latency = summary["latency_ms"]
    print(f"  latency ms: p50 {latency['p50']}  p95 {latency['p95']}  p99 {latency['p99']}  max {latency['max']}")
    print(f"  status: {summary['status']}")
    print(f"  errors: {summary['errors'] or 'none'}")
    print(f"  responses with a traceback: {summary['tracebacks']}")
    print(f"  failures (not 2xx/3xx{', ' + str(args.ok) if args.ok else ''}): {summary['failures']}")
    print("  per path:")
    for path, numbers in summary["paths"].items():
        print(f"    {path}: {numbers['requests']} requests, p50 {numbers['p50_ms']} ms, {numbers['outcomes']}")
    if args.timeline:
        print("  timeline:")
        print("\n".join(timeline(run, elapsed)))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as stream:
            json.dump(summary, stream, indent=2)
    return 0 if summary["failures"] == 0 and summary["tracebacks"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
