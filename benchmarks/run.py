#!/usr/bin/env python3
"""Run the benchmark suite and print every measure beside its floor, in one table (``make bench``).

    benchmarks/run.py                  # every benchmarks/bench_*.py, on both databases
    benchmarks/run.py --quick          # shorter runs (fewer rounds, smaller exports)
    benchmarks/run.py --only search    # one module (bench_search.py); repeatable
    benchmarks/run.py --create         # make the missing scale databases first (minutes)

**Databases.** Two PostgreSQL databases written by ``manage.py generate_scale_data``: the big
one (``BENCH_DATABASE_URL``, default ``SCALE_DATABASE_URL`` or
postgres://postgres@127.0.0.1:5432/paradiplo_scale: 200,000 places, 100,000 synthetic
memberships) and the small one (``BENCH_SMALL_DATABASE_URL``, default …/paradiplo_scale_10k:
10,000 places, 5,000 memberships). A missing one is reported with the command that makes it
(or made with ``--create``). The benchmarks only read them (and the cache): a database that
lacks a migration of the code is reported (exit status 1) with the ``manage.py migrate``
command that brings it up to date, and nothing is measured on it.

**How.** For each database, this script runs itself again in a subprocess whose Django is set up
against that database, with the benchmark settings (:mod:`benchmarks.settings`: production
settings plus a bare view; a random secret key, ``DJANGO_SECURE_SSL_REDIRECT=0``), the Redis
cache of ``BENCH_REDIS_URL`` (default ``REDIS_URL``, else redis://127.0.0.1:6379/0) under the
key prefix ``paradiplo-bench``, and no read replica. There it imports each module and calls
``run(quick=…)``, which returns rows (dicts) with the keys ``name``, ``value``, ``unit``,
``floor_name``, ``floor_value``, ``ratio`` and ``target``. A module runs on both databases
unless it names its own in ``SIZES`` (``("big",)``: it compares the sizes itself, as the
search benchmark does with ``BENCH_SMALL_DATABASE_URL``).

**Targets.** A row's ``target`` is checked when it reads ``<op> N`` followed by ``x`` (the
ratio against N), ``%`` (the ratio in percent) or anything else (the value, in the row's unit),
with ``<op>`` one of ``<=``, ``<``, ``>=``, ``>`` (e.g. ``<= 3x floor``, ``>= 50% of the bare
view``, ``>= 10,000 rows/s``); a row may also say ``met`` itself. Any other target is shown
as it is. The benchmarks time; the tests (tests/) never assert a duration.

Exit status: 0 when every module ran (missed targets are reported, not failed), 1 when one
failed, 2 when a database is missing.
"""

from __future__ import annotations

import argparse
import importlib
import json
import operator
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
DEFAULT_BIG = "postgres://postgres@127.0.0.1:5432/paradiplo_scale"
DEFAULT_SMALL = "postgres://postgres@127.0.0.1:5432/paradiplo_scale_10k"
#: generate_scale_data's arguments for each database
SCALE_ARGUMENTS = {
    "big": ["--places", "200000", "--memberships", "100000"],
    "small": ["--places", "10000", "--memberships", "5000"],
}
SYNTHETIC_SOURCE = "synthetic-scale-data"
TARGET = re.compile(r"^\s*(<=|>=|<|>)\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(x|%)?")
OPERATORS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", default=[], help="a module, e.g. api or bench_api (repeatable)")
    parser.add_argument("--quick", action="store_true", help="shorter runs (fewer rounds, smaller exports)")
    parser.add_argument("--create", action="store_true", help="make the missing scale databases (generate_scale_data)")
    parser.add_argument("--json", metavar="FILE", help="also write every row as JSON")
    parser.add_argument("--markdown", metavar="FILE", help="also write the table as Markdown (docs/benchmarks.md)")
    parser.add_argument("--worker", choices=("big", "small"), help=argparse.SUPPRESS)
    parser.add_argument("--results", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(args)

    modules = discover(args.only)
    if not modules:
        parser.error(f"no benchmark module matches {args.only}; there are: {', '.join(discover([]))}")
    urls = database_urls()
    places = {}
    for size, url in urls.items():
        places[size] = scale_places(url)
        if places[size] is None and args.create:
            create(size, url)
            places[size] = scale_places(url)
    missing = [size for size in urls if places[size] is None]
    if missing:
        print("The benchmarks read two databases of SYNTHETIC scale data; missing:", file=sys.stderr)
        for size in missing:
            print(f"  {size}: {redact(urls[size])}. Make it with:", file=sys.stderr)
            print(f"    {' '.join(scale_command(size, urls[size]))}", file=sys.stderr)
        print("(or run benchmarks/run.py --create; `make scale-data` makes the big one)", file=sys.stderr)
        return 2

    print(f"Benchmarks{' (quick)' if args.quick else ''}: {', '.join(modules)}")
    for size, url in urls.items():
        print(f"  {size} database: {redact(url)} ({places[size]:,} GeoNames places)")
    rows, failed = [], []
    for size in urls:
        wanted = [name for name in modules if size in sizes_of(name)]
        if not wanted:
            continue
        print(f"\n--- {size} database ---", flush=True)
        outcome = run_worker(size, urls, wanted, args.quick)
        for row in outcome["rows"]:
            rows.append({**row, "size": size})
        failed += [f"{name} ({size}): {error}" for name, error in outcome["errors"].items()]
    print()
    print(table(rows, places))
    checked = [row for row in rows if row.get("met") is not None]
    print(f"\n{sum(row['met'] for row in checked)} of {len(checked)} targets met.")
    for failure in failed:
        print(f"FAILED {failure}", file=sys.stderr)
    if args.json:
        Path(args.json).write_text(json.dumps({"places": places, "rows": rows}, indent=2), encoding="utf-8")
    if args.markdown:
        Path(args.markdown).write_text(table(rows, places, markdown=True) + "\n", encoding="utf-8")
    return 1 if failed else 0


# Modules and databases ----------------------------------------------------------------------------


def discover(only: list[str]) -> list[str]:
    """The benchmark modules' short names (``api`` for bench_api.py), filtered by ``only``."""
    names = sorted(path.stem.removeprefix("bench_") for path in BENCH_DIR.glob("bench_*.py"))
    if not only:
        return names
    wanted = {name.removeprefix("bench_").removesuffix(".py") for name in only}
    return [name for name in names if name in wanted]


def sizes_of(name: str) -> tuple[str, ...]:
    """The databases a module runs on: its ``SIZES``, read without importing it (importing needs
    Django), else both."""
    source = (BENCH_DIR / f"bench_{name}.py").read_text(encoding="utf-8")
    declared = re.search(r"^SIZES\s*=\s*\(([^)]*)\)", source, re.MULTILINE)
    if declared:
        return tuple(re.findall(r"[\"'](big|small)[\"']", declared.group(1)))
    return ("big", "small")


def database_urls() -> dict[str, str]:
    big = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("SCALE_DATABASE_URL") or DEFAULT_BIG
    return {"big": big, "small": os.environ.get("BENCH_SMALL_DATABASE_URL") or DEFAULT_SMALL}


def redact(url: str) -> str:
    return re.sub(r"//([^:/@]+):[^@]*@", r"//\1:***@", url)


def scale_places(url: str) -> int | None:
    """The number of GeoNames places in a scale database; None when it is missing or holds no
    scale data."""
    import dj_database_url
    import psycopg2

    config = dj_database_url.parse(url)
    try:
        database = psycopg2.connect(
            dbname=config["NAME"],
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
            connect_timeout=5,
        )
    except psycopg2.OperationalError:
        return None
    try:
        with database.cursor() as cursor:
            cursor.execute("SELECT to_regclass('sources_source') IS NOT NULL")
            if not cursor.fetchone()[0]:
                return None
            cursor.execute("SELECT 1 FROM sources_source WHERE key = %s", [SYNTHETIC_SOURCE])
            if cursor.fetchone() is None:
                return None
            cursor.execute("SELECT count(*) FROM cities_city WHERE geonames_id IS NOT NULL")
            return cursor.fetchone()[0]
    finally:
        database.close()


def python_command() -> str:
    """This Python, as a command run from the project's folder."""
    return os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable


def scale_command(size: str, url: str) -> list[str]:
    return [python_command(), "manage.py", "generate_scale_data", "--database-url", url, *SCALE_ARGUMENTS[size]]


def create(size: str, url: str) -> None:
    print(f"Making the {size} scale database ({redact(url)}); this takes minutes…", flush=True)
    subprocess.run(scale_command(size, url), cwd=ROOT, check=True)


# The worker: Django against one database ----------------------------------------------------------


def worker_environment(size: str, urls: dict[str, str]) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_REPLICA_URL"}
    env.update(
        {
            "DATABASE_URL": urls[size],
            "BENCH_DATABASE_URL": urls["big"],
            "BENCH_SMALL_DATABASE_URL": urls["small"],
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "DJANGO_SECURE_SSL_REDIRECT": "0",
            "DJANGO_STATIC_ROOT": str(Path(tempfile.gettempdir()) / "paradiplo-bench-static"),
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL") or os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
            "PARADIPLO_CACHE_PREFIX": "paradiplo-bench",
            "DJANGO_LOG_LEVEL": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"),
        }
    )
    return env


def run_worker(size: str, urls: dict[str, str], modules: list[str], quick: bool) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as results:
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", size, "--results", results.name]
        command += [argument for name in modules for argument in ("--only", name)]
        command += ["--quick"] if quick else []
        completed = subprocess.run(command, cwd=ROOT, env=worker_environment(size, urls), check=False)
        text = Path(results.name).read_text(encoding="utf-8")
    if not text:
        return {"rows": [], "errors": {"worker": f"exit status {completed.returncode}"}}
    return json.loads(text)


def worker(args) -> int:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    rows, errors = [], {}
    pending = unapplied_migrations()
    if pending:  # the benchmarks only read: they never migrate the scale databases themselves
        shown = ", ".join(pending[:5]) + (", …" if len(pending) > 5 else "")
        errors["migrations"] = (
            f"{len(pending)} migration(s) not applied to {redact(os.environ['DATABASE_URL'])} ({shown}); run "
            f"DATABASE_URL={redact(os.environ['DATABASE_URL'])} {python_command()} manage.py migrate"
        )
        Path(args.results).write_text(json.dumps({"rows": rows, "errors": errors}), encoding="utf-8")
        return 0
    for name in discover(args.only):
        started = time.monotonic()
        print(f"{name}…", flush=True)
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            produced = module.run(quick=args.quick)
        except Exception as error:  # one module's failure is reported; the others still run
            traceback.print_exc()
            errors[name] = f"{type(error).__name__}: {error}"
            continue
        for row in produced:
            rows.append({**row, "module": name, "met": row.get("met", target_met(row))})
        print(f"{name}: {len(produced)} measures in {time.monotonic() - started:.0f} s", flush=True)
    Path(args.results).write_text(json.dumps({"rows": rows, "errors": errors}), encoding="utf-8")
    return 0


def unapplied_migrations() -> list[str]:
    """The migrations the worker's database lacks (``app.name``), in the order they would run."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


# The table ----------------------------------------------------------------------------------------


def target_met(row: dict) -> bool | None:
    """Whether the row meets its target (see the module's docstring); None when it cannot tell."""
    match = TARGET.match(row.get("target") or "")
    if not match:
        return None
    comparison, number, kind = match.groups()
    threshold = float(number.replace(",", ""))
    ratio = row.get("ratio")
    measured = {"x": ratio, "%": ratio * 100 if ratio is not None else None}.get(kind, row.get("value"))
    if measured is None:
        return None
    return OPERATORS[comparison](measured, threshold)


def quantity(value, unit: str | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, float) and not value.is_integer():
        shown = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    else:
        shown = f"{int(value):,}"
    return f"{shown} {unit}" if unit else shown


def table(rows: list[dict], places: dict, *, markdown: bool = False) -> str:
    """One table: data size, measure, measured, floor, ratio, target, met, and what the floor is
    (plain text for the terminal, or Markdown)."""
    header = ("data", "benchmark", "measured", "floor", "ratio", "target", "met", "floor is")
    lines = []
    for row in rows:
        ratio = row.get("ratio")
        lines.append(
            (
                f"{round(places.get(row['size'], 0) / 1000)}k",
                row["name"],
                quantity(row.get("value"), row.get("unit")),
                quantity(row.get("floor_value"), row.get("unit")),
                "—" if ratio is None else f"{ratio:g}",
                row.get("target") or "—",
                {True: "yes", False: "NO", None: "—"}[row.get("met")],
                row.get("floor_name") or "—",
            )
        )
    if markdown:
        escape = str.maketrans({"|": "\\|"})
        return "\n".join(
            "| " + " | ".join(str(cell).translate(escape) for cell in cells) + " |"
            for cells in [header, ["---"] * len(header), *lines]
        )
    widths = [max(len(str(cells[i])) for cells in [header, *lines]) for i in range(len(header))]
    widths[1] = min(widths[1], 90)

    def render(cells) -> str:
        return "  ".join(str(cell)[: widths[i]].ljust(widths[i]) for i, cell in enumerate(cells)).rstrip()

    return "\n".join([render(header), render(["-" * width for width in widths]), *map(render, lines)])


if __name__ == "__main__":
    sys.exit(main())
