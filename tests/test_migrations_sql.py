"""The database code that migrations froze agrees with the code that declares it: the search
triggers with :mod:`search.kinds` (through :mod:`search.database`), the membership overlap rule
with :mod:`networks.constraints`, and the migrated database with both (SQLite drops a table's
triggers when a migration rebuilds the table)."""

import re

import pytest
from django.db import connection

from networks import constraints
from search import database

NEW_MIGRATION = "write a new migration (see search/database.py): "
PG_FUNCTION = re.compile(r"CREATE OR REPLACE FUNCTION (\w+)\(.*?\$\$(.*)\$\$", re.DOTALL)
TRIGGER = re.compile(r"\s*CREATE TRIGGER (\w+) .*? ON (\w+)", re.DOTALL)


def frozen_search_sql(vendor: str) -> list[str]:
    return database.frozen_statements("setup", vendor) + database.frozen_statements("triggers", vendor)


@pytest.mark.parametrize("vendor", ["postgresql", "sqlite"])
@pytest.mark.parametrize("part", ["setup", "teardown", "triggers", "drop_triggers"])
def test_the_latest_search_migration_froze_what_search_kinds_declares(part, vendor):
    frozen = database.frozen_statements(part, vendor)
    generated = database.generated_statements(part, vendor)
    new = next((statement for statement in generated if statement not in frozen), "")
    assert frozen == generated, (
        f"{NEW_MIGRATION}the {part} SQL for {vendor} that search/kinds.py gives differs from "
        f"{database.frozen_path(part, vendor)}, e.g. {new[:300]!r}"
    )


def sqlite_triggers(prefix: str) -> dict[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s", [f"{prefix}%"])
        return dict(cursor.fetchall())


def created_triggers(statements: list[str]) -> dict[str, str]:
    """The triggers that ``statements`` create, by name: their statement."""
    return {match[1]: statement for statement in statements if (match := TRIGGER.match(statement))}


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps each trigger's text")
def test_the_sqlite_database_has_the_frozen_search_triggers():
    assert sqlite_triggers("search_") == created_triggers(frozen_search_sql("sqlite")), (
        f"{NEW_MIGRATION}the database's search triggers differ from the latest migration's "
        "(did a migration rebuild a searchable table?)"
    )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite form of the rule")
def test_the_sqlite_database_has_the_overlap_triggers_networks_constraints_declares():
    declared = {name: statement.strip() for name, statement in created_triggers(constraints.SQLITE_FORWARD).items()}
    assert sqlite_triggers(constraints.NAME) == declared, (
        f"{NEW_MIGRATION}the database's {constraints.NAME} triggers differ from networks/constraints.py "
        "(did a migration rebuild networks_membership?)"
    )


def postgres_rows(sql: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return set(cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL functions and triggers")
def test_the_postgres_database_has_the_frozen_search_functions_and_triggers():
    statements = frozen_search_sql("postgresql")
    functions = {match[1]: match[2] for statement in statements if (match := PG_FUNCTION.match(statement))}
    installed = postgres_rows(
        "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = current_schema()::regnamespace "
        "AND (proname LIKE 'search\\_%' OR proname LIKE 'paradiplo\\_%')"
    )
    assert installed == set(functions.items()), f"{NEW_MIGRATION}the database's search functions differ"
    triggers = {(name, TRIGGER.match(statement)[2]) for name, statement in created_triggers(statements).items()}
    installed = postgres_rows(
        "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
        "WHERE NOT t.tgisinternal AND t.tgname LIKE 'search\\_%'"
    )
    assert installed == triggers, f"{NEW_MIGRATION}the database's search triggers differ"
    configurations = postgres_rows("SELECT cfgname FROM pg_ts_config WHERE cfgname LIKE 'paradiplo\\_%'")
    assert configurations == {(name,) for name in database.CONFIG_OF_LANGUAGE.values()}
    indexes = postgres_rows(f"SELECT indexname FROM pg_indexes WHERE tablename = '{database.TABLE}'")
    expected = {database.DOCUMENT_INDEX, database.TRIGRAM_INDEX, database.EXACT_NAMES_INDEX, database.PROMINENCE_INDEX}
    assert {(name,) for name in expected} <= indexes


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL form of the rule")
def test_the_postgres_database_has_the_overlap_exclusion_constraint():
    installed = postgres_rows(f"SELECT conname, contype FROM pg_constraint WHERE conname = '{constraints.NAME}'")
    assert installed == {(constraints.NAME, "x")}, f"{NEW_MIGRATION}{constraints.NAME} is missing"
