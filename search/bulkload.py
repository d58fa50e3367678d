"""The search index during a bulk load (:mod:`core.bulkload`): the triggers of the loaded table
are suspended, and the index catches up set-wise when the load ends.

The triggers keep ``search_searchentry`` current statement by statement; during a load of
hundreds of thousands of cities that is most of the load's time, almost all of it in the GIN
indexes (``docs/benchmarks.md``). So, for a bulk load of a model whose table has index
triggers:

- **start**: the table's insert and update triggers are suspended (PostgreSQL: ``ALTER TABLE …
  DISABLE TRIGGER``, committed at once; SQLite: the two triggers dropped). The delete trigger
  stays. Other sessions' writes to the table are not indexed meanwhile either, and are caught
  up with the load's;
- **end** (also when the load failed half way, for what it had committed): in one transaction,
  the triggers are put back (PostgreSQL: enabled; SQLite: re-created as the latest search
  migration froze them), then the entries of every row changed since the load started
  (``updated_at``, with a minute's margin; the whole table for a model without it), and of the
  records that show those rows (a network's secretariat city…), are written by one
  ``INSERT … SELECT … ON CONFLICT`` per kind: the statement the triggers run, on all the rows at
  once. On PostgreSQL, when that is :data:`LARGE_LOAD` entries or more, the three GIN indexes of
  ``search_searchentry`` are dropped before and built again after, in the same transaction
  (searches wait for it: about 40 s for 235,000 cities here). If that transaction fails, the
  triggers are still put back, in a transaction of their own, before the error is passed on.

A load killed outright (the process gone, no ``finally``) leaves the triggers suspended until
the next bulk load of the table ends, or ``manage.py rebuild_search_index`` (which re-creates
every trigger and rewrites the index).
"""

from __future__ import annotations

import contextlib
import datetime

from django.db import connections, transaction
from django.utils import timezone

from . import database

#: Entries to catch up from which PostgreSQL's GIN indexes are dropped and built again.
LARGE_LOAD = 20_000
#: Rows changed this long before the load started are caught up too (clocks, a slow start).
MARGIN = datetime.timedelta(minutes=1)
INDEXES = (database.DOCUMENT_INDEX, database.TRIGRAM_INDEX, database.EXACT_NAMES_INDEX)


@contextlib.contextmanager
def suspended_index_triggers(load):
    """The :mod:`core.bulkload` handler (see the module)."""
    connection = connections[load.using]
    table = load.model._meta.db_table
    spec = database._tables().get(table)
    if spec is None or connection.vendor not in ("postgresql", "sqlite"):
        yield
        return
    started = timezone.now() - MARGIN
    with transaction.atomic(using=load.using):
        database._execute(connection, _suspend_statements(connection.vendor, table))
    try:
        yield
    except BaseException:
        _finish(load, connection, table, spec, started)
        raise
    _finish(load, connection, table, spec, started)


def _finish(load, connection, table: str, spec: dict, started) -> None:
    try:
        with transaction.atomic(using=load.using):
            database._execute(connection, _resume_statements(connection.vendor, table))
            catch_up(connection, load.model, spec, started)
    except BaseException:
        with transaction.atomic(using=load.using):
            database._execute(connection, _resume_statements(connection.vendor, table))
        raise


def _trigger_names(table: str) -> list[str]:
    names = database._names(table)
    return [names["insert"], names["update"]]


def _altered(table: str, action: str) -> list[str]:
    # PostgreSQL refuses to alter a table with deferred checks pending in the transaction (none
    # in autocommit, as the gazetteer runs; some inside a caller's transaction): run them first.
    alter = [f"ALTER TABLE {table} {action} TRIGGER {name}" for name in _trigger_names(table)]
    return ["SET CONSTRAINTS ALL IMMEDIATE", *alter, "SET CONSTRAINTS ALL DEFERRED"]


def _suspend_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return _altered(table, "DISABLE")
    return [f"DROP TRIGGER IF EXISTS {name}" for name in _trigger_names(table)]


def _resume_statements(vendor: str, table: str) -> list[str]:
    if vendor == "postgresql":
        return _altered(table, "ENABLE")
    # SQLite: the latest frozen triggers of these two names (each drops its own first).
    names = _trigger_names(table)
    return [
        statement
        for statement in database.frozen_statements("triggers", vendor)
        if any(f"TRIGGER IF EXISTS {name}" in statement or f"TRIGGER {name} " in statement for name in names)
    ]


def catch_up(connection, model, spec: dict, since) -> int:
    """Write the entries of the rows of ``model`` changed since ``since`` and of the records
    showing them, set-wise; returns how many rows of ``model`` that covered."""
    dialect = database.Dialect(connection.vendor)
    table = model._meta.db_table
    if any(field.name == "updated_at" for field in model._meta.concrete_fields):
        changed = f"updated_at >= {_timestamp(connection, since)}"
    else:
        changed = "1 = 1"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {changed}")  # noqa: S608 - no user input
        (count,) = cursor.fetchone()
    if not count:
        return 0
    statements = []
    if spec["own"] is not None:
        statements.append(database.upsert_sql(spec["own"], f"t.{changed}", dialect))
    statements += [
        database.upsert_sql(kind, f"{column} IN (SELECT id FROM {table} WHERE {changed})", dialect)
        for kind, column in spec["dependents"]
    ]
    rebuild = dialect.pg and count >= LARGE_LOAD
    if rebuild:
        create = [
            statement
            for statement in database.frozen_statements("setup", "postgresql")
            if any(statement.startswith(f"CREATE INDEX IF NOT EXISTS {name} ") for name in INDEXES)
        ]
        statements = [f"DROP INDEX IF EXISTS {name}" for name in INDEXES] + statements + create
    database._execute(connection, statements)
    return count


def _timestamp(connection, moment: datetime.datetime) -> str:
    """``moment`` as an SQL literal the database compares with its datetime column."""
    if connection.vendor == "postgresql":
        return f"'{moment.isoformat()}'::timestamptz"
    value = connection.ops.adapt_datetimefield_value(moment)
    return f"'{value}'"
