"""Write SYNTHETIC scale-test data into a database of its own, for the benchmarks.

    manage.py generate_scale_data                                  # 200,000 places, 100,000 memberships
    manage.py generate_scale_data --places 10000 --memberships 5000 \\
        --database-url postgres://postgres@127.0.0.1:5432/paradiplo_scale_10k

The target is ``--database-url`` (default: ``SCALE_DATABASE_URL``, else
``postgres://postgres@127.0.0.1:5432/paradiplo_scale``; ``sqlite:////path/file.sqlite3`` works
too), never the configured database: the command refuses a URL that names a database Django is
configured with, creates the target if it is missing, then runs itself again in a subprocess
whose ``DATABASE_URL`` is the target (no replica, no shared cache) to migrate it, load the real
data, import the ``--places`` most populous GeoNames places and write the synthetic memberships
(:mod:`networks.services.scale_data`). Running it again with the same parameters writes nothing
new; places are added, never removed. See docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections

from cities.services.gazetteer import import_gazetteer
from networks.services.scale_data import ScaleSpec, write_scale_data

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/paradiplo_scale"
#: set by the parent process for the child: the URL it was asked to write to
TARGET_VARIABLE = "PARADIPLO_SCALE_TARGET"
#: variables that would point the child at other databases or a shared cache
CLEARED_VARIABLES = ("DATABASE_REPLICA_URL", "REDIS_URL")


def describe(config: dict) -> str:
    """A database as ``engine name@host:port``, without the password."""
    engine = config.get("ENGINE", "").rsplit(".", 1)[-1]
    port = f":{config['PORT']}" if config.get("PORT") else ""
    where = f"@{config.get('HOST') or 'local'}{port}" if "sqlite" not in engine else ""
    return f"{engine} {config.get('NAME')}{where}"


def same_database(a: dict, b: dict) -> bool:
    """Whether two Django database settings name the same database (hosts compared loosely:
    ``localhost``, ``127.0.0.1`` and a socket are one machine)."""
    if a.get("ENGINE") != b.get("ENGINE"):
        return False
    if "sqlite" in (a.get("ENGINE") or ""):
        name_a, name_b = str(a.get("NAME") or ""), str(b.get("NAME") or "")
        if ":memory:" in (name_a, name_b) or "mode=memory" in name_a + name_b:
            return name_a == name_b
        return Path(name_a).resolve() == Path(name_b).resolve()
    local = {"", "localhost", "127.0.0.1", "::1", None}

    def host(config):
        value = config.get("HOST")
        return "local" if value in local or str(value).startswith("/") else value

    return (
        a.get("NAME") == b.get("NAME")
        and host(a) == host(b)
        and str(a.get("PORT") or "5432") == str(b.get("PORT") or "5432")
    )


def create_database(config: dict) -> bool:
    """Create the target database if it is missing (PostgreSQL; a SQLite file's folder).
    Returns whether it was created."""
    engine = config.get("ENGINE") or ""
    if "sqlite" in engine:
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    if "postgresql" not in engine:
        raise CommandError(f"Scale data goes to PostgreSQL or SQLite, not {engine}.")
    import psycopg2  # the driver Django uses here; only this command needs it by name
    from psycopg2 import sql

    server = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    try:
        server.autocommit = True
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        server.close()


class Command(BaseCommand):
    help = (
        "Write SYNTHETIC scale-test data (the real data, the N most populous GeoNames places and invented "
        "memberships in invented networks) into a database of its own, for the benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-url",
            default=os.environ.get("SCALE_DATABASE_URL") or DEFAULT_URL,
            help=f"The scale database (default: SCALE_DATABASE_URL, else {DEFAULT_URL}). Created if missing.",
        )
        parser.add_argument("--places", type=int, default=200_000, help="GeoNames places, the most populous first.")
        parser.add_argument("--memberships", type=int, default=100_000, help="Synthetic memberships.")
        parser.add_argument("--networks", type=int, default=20, help="Synthetic networks (the first holds a fifth).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: the same seed, the same memberships.")
        parser.add_argument("--gazetteer-path", default=None, help=argparse.SUPPRESS)  # tests: a smaller file
        parser.add_argument("--in-target", action="store_true", help=argparse.SUPPRESS)  # the child process

    def handle(self, *args, **options):
        try:
            spec = ScaleSpec(memberships=options["memberships"], networks=options["networks"], seed=options["seed"])
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["places"] < 1:
            raise CommandError("--places must be at least 1.")
        if options["in_target"]:
            self.generate(spec, options)
        else:
            self.run_in_target(options)

    # The parent: check the target, create it, run the child against it --------------------------

    def run_in_target(self, options) -> None:
        url = options["database_url"]
        try:
            target = dj_database_url.parse(url)
        except ValueError as error:
            raise CommandError(f"--database-url: {error}") from None
        for alias in connections:
            if same_database(target, connections[alias].settings_dict):
                raise CommandError(
                    f"--database-url names the configured database '{alias}' ({describe(target)}): scale data "
                    "is synthetic and goes to a database of its own."
                )
        created = create_database(target)
        self.stdout.write(f"{'Created' if created else 'Using'} the scale database {describe(target)}.")
        env = {key: value for key, value in os.environ.items() if key not in CLEARED_VARIABLES}
        env.update({"DATABASE_URL": url, TARGET_VARIABLE: url, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE})
        command = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "generate_scale_data", "--in-target"]
        for name in ("places", "memberships", "networks", "seed", "gazetteer_path"):
            if options[name] is not None:
                command += [f"--{name.replace('_', '-')}", str(options[name])]
        command += ["--verbosity", str(options["verbosity"])]
        child = subprocess.Popen(
            command, env=env, cwd=settings.BASE_DIR, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for line in child.stdout:
            self.stdout.write(line.rstrip("\n"))
        if child.wait() != 0:
            raise CommandError(f"Generating the scale data failed (exit status {child.returncode}).")

    # The child: its default database is the target ----------------------------------------------

    def generate(self, spec: ScaleSpec, options) -> None:
        target = os.environ.get(TARGET_VARIABLE)
        if not target or not same_database(dj_database_url.parse(target), connection.settings_dict):
            raise CommandError("--in-target is internal: run generate_scale_data without it.")
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] >= 2 else None
        self.step(started, "Migrating…")
        call_command("migrate", interactive=False, verbosity=0)
        self.step(started, "Loading the real data…")
        loaded = io.StringIO()
        call_command("load_real_data", stdout=loaded)
        self.stdout.write("  " + (loaded.getvalue().strip().splitlines() or [""])[-1])
        self.step(started, f"Importing the {options['places']} most populous GeoNames places…")
        path = Path(options["gazetteer_path"]) if options["gazetteer_path"] else None
        gazetteer = import_gazetteer(limit=options["places"], log=log, path=path)
        self.stdout.write("  " + gazetteer.lines(max_skipped=0)[1])
        self.step(started, f"Writing SYNTHETIC memberships ({spec.label})…")
        try:
            report = write_scale_data(spec, log=log)
        except ValueError as error:
            raise CommandError(str(error)) from None
        for line in report.lines():
            self.stdout.write("  " + line)
        if connection.vendor == "postgresql":
            self.step(started, "VACUUM ANALYZE (plans as on a settled database)…")
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self.step(started, "Done.")

    def step(self, started: float, message: str) -> None:
        self.stdout.write(f"[{time.monotonic() - started:6.1f} s] {message}")
