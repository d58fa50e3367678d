"""A test database's whole content, saved once and put back in a moment.

Transactional tests (the browser tests: the live server reads what the test committed) empty the
database after each test, so each of them used to load the real data again with
``load_real_data`` (about 25 s of CPU each). The first such test of a session (of an xdist worker)
still loads it with the command; its result is saved here and the next tests put it back:

* SQLite: a page-for-page copy with SQLite's backup API (the schema, the rows, the sequences);
* PostgreSQL: every table (but ``django_migrations``) copied out with ``COPY``; to put it back,
  the tables are emptied in one ``TRUNCATE`` and copied in with triggers off (the rows are the
  ones the triggers and constraints accepted when the command wrote them), then the sequences
  are moved past the ids copied in.

The copy is taken and put back through the test's own connection, so the live server (same
connection on SQLite's in-memory database, committed rows on PostgreSQL) sees it."""

from __future__ import annotations

import io
import sqlite3
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management.color import no_style
from django.db import transaction

KEPT_TABLES = {"django_migrations"}


@dataclass
class Snapshot:
    vendor: str
    sqlite: sqlite3.Connection | None = None
    tables: dict[str, str] = field(default_factory=dict)


def supported(connection) -> bool:
    """Whether this database can be saved and put back here (else: load the data again)."""
    if connection.vendor == "sqlite":
        return True
    if connection.vendor != "postgresql":
        return False
    # Turning the triggers off (session_replication_role) takes a superuser.
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        row = cursor.fetchone()
    return bool(row and row[0])


def take(connection) -> Snapshot:
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        return Snapshot("sqlite", sqlite=copy)
    snapshot = Snapshot("postgresql")
    with connection.cursor() as cursor:
        for table in _tables(connection):
            buffer = io.StringIO()
            cursor.cursor.copy_expert(f"COPY {connection.ops.quote_name(table)} TO STDOUT", buffer)
            snapshot.tables[table] = buffer.getvalue()
    return snapshot


def restore(connection, snapshot: Snapshot) -> None:
    connection.ensure_connection()
    if snapshot.vendor == "sqlite":
        snapshot.sqlite.backup(connection.connection)
        return
    quote = connection.ops.quote_name
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        tables = [table for table in _tables(connection) if table in snapshot.tables]
        cursor.execute(f"TRUNCATE {', '.join(quote(table) for table in tables)}")
        for table in tables:
            cursor.cursor.copy_expert(f"COPY {quote(table)} FROM STDIN", io.StringIO(snapshot.tables[table]))
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(statement)


def _tables(connection) -> list[str]:
    return [table for table in connection.introspection.table_names(include_views=False) if table not in KEPT_TABLES]
