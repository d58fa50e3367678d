"""The database side of search: text-search configurations, the search table's document trigger
and indexes (PostgreSQL), and the triggers that keep ``search_searchentry`` current from the
records' tables (PostgreSQL and SQLite), generated from :data:`search.kinds.KINDS`.

Why triggers: every write path then updates the index in the same transaction, including
the ones that send no Django signals (``bulk_create``/``bulk_update`` in the GeoNames import,
``QuerySet.update()``, raw SQL), and fixtures loaded with raw saves. On PostgreSQL the triggers
are statement-level with transition tables (one ``INSERT … SELECT`` per statement, so a bulk
import of 2,000 cities indexes them in one go); on SQLite they are row-level.

SQLite has no ``unaccent``: its triggers call ``paradiplo_plain()``, a Python function
(:func:`search.text.sqlite_plain`) that the search app registers on every connection Django
opens. Writing to the SQLite database from outside Django (the ``sqlite3`` shell) therefore
fails on searchable tables with "no such function: paradiplo_plain".

Migrations install this SQL, frozen as text in ``search/migrations/sql/NNNN_<part>.<vendor>.sql``
(parts: ``setup``/``teardown`` on PostgreSQL, ``triggers``, ``drop_triggers`` and ``fill``), so
what a migration did never changes with this module. ``tests/test_migrations_sql.py`` fails when
the statements generated here differ from the latest frozen ones, or the database's triggers
from them. To change the triggers (a new kind, a renamed column): change :mod:`search.kinds`,
write the new files with ``manage.py shell -c "from search.database import freeze;
freeze('NNNN')"`` and a migration ``NNNN`` that runs them as ``0002_index_triggers`` does
(backwards: its ``drop_triggers``, then the previous migration's ``triggers``). A migration that
makes SQLite rebuild a searchable table drops that table's triggers: it must run the latest
``triggers`` file again after its own operations.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from django.apps import apps

from .kinds import KINDS, Kind

TABLE = "search_searchentry"
CONFIGS = {"en": "english", "es": "spanish", "pt": "portuguese", "fr": "french"}
#: the text-search configuration of each interface language
CONFIG_OF_LANGUAGE = {code: f"paradiplo_{code}" for code in CONFIGS}
DOCUMENT_INDEX = "searchentry_document_gin"
TRIGRAM_INDEX = "searchentry_names_trgm"
#: exact names: the GIN index of :data:`NAMES_ARRAY`, so that "a name is exactly the query" is
#: one index lookup however common the words (the trigram index would recheck every name
#: containing them)
EXACT_NAMES_INDEX = "searchentry_names_exact"


def names_array(column: str = "names_plain") -> str:
    """The entry's plain names and identifiers as an array (``names_plain`` is "| a | b |"). The
    search compares it with ``@>`` in exactly this form, the one the index is built on."""
    return f"string_to_array(btrim({column}, '| '), ' | ')"


NAMES_ARRAY = names_array()
#: the B-tree that lists entries from the most prominent (see ``Kind.prominence``)
PROMINENCE_INDEX = "searchentry_prominence"
COLUMNS = (
    "kind",
    "object_id",
    "key",
    "name_en",
    "name_es",
    "name_pt",
    "name_fr",
    "detail",
    "names",
    "names_plain",
    "body",
    "body_plain",
    "network_id",
    "country_id",
    "year",
    "prominence",
)


class Dialect:
    def __init__(self, vendor: str):
        if vendor not in ("postgresql", "sqlite"):
            raise NotImplementedError(f"Search has no triggers for the {vendor} database.")
        self.vendor = vendor
        self.pg = vendor == "postgresql"

    def plain(self, expression: str) -> str:
        return f"paradiplo_plain({expression})"

    @property
    def newline(self) -> str:
        return "chr(10)" if self.pg else "char(10)"

    @property
    def differs(self) -> str:
        return "IS DISTINCT FROM" if self.pg else "IS NOT"


def _joined(parts: tuple[str, ...], before: str = "''", after: str = "''") -> str:
    """SQL concatenating the non-empty, distinct values of ``parts``, each as
    ``before || value || after``."""
    if not parts:
        return "''"
    pieces = []
    for index, part in enumerate(parts):
        condition = f"COALESCE({part}, '') <> ''"
        if index:
            earlier = ", ".join(f"COALESCE({p}, '')" for p in parts[:index])
            condition += f" AND {part} NOT IN ({earlier})"
        pieces.append(f"CASE WHEN {condition} THEN {before} || {part} || {after} ELSE '' END")
    return " || ".join(pieces)


def select_sql(kind: Kind, condition: str, dialect: Dialect) -> str:
    """A SELECT producing the entries (in :data:`COLUMNS` order) of the records of ``kind``
    that satisfy ``condition``."""
    if kind.display:
        shown = [f"COALESCE(t.{kind.display}_{code}, '')" for code in ("en", "es", "pt", "fr")]
    else:
        shown = [f"COALESCE(t.{kind.title}, '')", "''", "''", "''"]
    space = "' '"
    names = f"TRIM({_joined(kind.names, after=space)})"
    names_plain = dialect.plain("'|' || " + _joined((*kind.names, *kind.identifiers), before="' '", after="' |'"))
    body = _joined(kind.body, after=dialect.newline)
    body_plain = dialect.plain(body) if not dialect.pg else "''"
    values = [
        f"'{kind.code}'",
        "t.id",
        kind.key,
        *shown,
        f"COALESCE({kind.detail}, '')",
        names,
        names_plain,
        body,
        body_plain,
        kind.network,
        kind.country,
        kind.year,
        kind.prominence,
    ]
    joins = " ".join(kind.joins)
    return f"SELECT {', '.join(values)} FROM {kind.table} t {joins} WHERE {condition}"


def upsert_sql(kind: Kind, condition: str, dialect: Dialect) -> str:
    columns = ", ".join(f'"{column}"' for column in COLUMNS)
    updated = [column for column in COLUMNS if column not in ("kind", "object_id")]
    assignments = ", ".join(f'"{column}" = excluded."{column}"' for column in updated)
    changed = " OR ".join(f'{TABLE}."{column}" {dialect.differs} excluded."{column}"' for column in updated)
    return (
        f"INSERT INTO {TABLE} ({columns}) {select_sql(kind, condition, dialect)} "
        f"ON CONFLICT (kind, object_id) DO UPDATE SET {assignments} WHERE {changed}"
    )


def _tables() -> dict[str, dict]:
    """For each table with triggers: its own kind and the kinds depending on it."""
    tables: dict[str, dict] = defaultdict(lambda: {"own": None, "dependents": []})
    for kind in KINDS:
        tables[kind.table]["own"] = kind
        for model_label, column in kind.depends:
            tables[apps.get_model(model_label)._meta.db_table]["dependents"].append((kind, column))
    return dict(tables)


def _names(table: str) -> dict[str, str]:
    return {
        "insert": f"search_{table}_ins",
        "update": f"search_{table}_upd",
        "delete": f"search_{table}_del",
        "upsert_function": f"search_{table}_upsert",
        "delete_function": f"search_{table}_delete",
    }


def trigger_statements(vendor: str) -> list[str]:
    dialect = Dialect(vendor)
    statements = []
    for table, spec in _tables().items():
        names = _names(table)
        own, dependents = spec["own"], spec["dependents"]
        if dialect.pg:
            upserts = []
            if own is not None:
                upserts.append(upsert_sql(own, "t.id IN (SELECT id FROM new_rows)", dialect))
            upserts += [
                upsert_sql(kind, f"{column} IN (SELECT id FROM new_rows)", dialect) for kind, column in dependents
            ]
            body = ";\n  ".join(upserts)
            statements.append(
                f"CREATE OR REPLACE FUNCTION {names['upsert_function']}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                f"BEGIN\n  {body};\n  RETURN NULL;\nEND $$"
            )
            for event in ("insert", "update", "delete"):
                statements.append(f"DROP TRIGGER IF EXISTS {names[event]} ON {table}")
            statements.append(
                f"CREATE TRIGGER {names['insert']} AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {names['upsert_function']}()"
            )
            statements.append(
                f"CREATE TRIGGER {names['update']} AFTER UPDATE ON {table} REFERENCING NEW TABLE AS new_rows "
                f"FOR EACH STATEMENT EXECUTE FUNCTION {names['upsert_function']}()"
            )
            if own is not None:
                statements.append(
                    f"CREATE OR REPLACE FUNCTION {names['delete_function']}() RETURNS trigger LANGUAGE plpgsql AS $$\n"
                    f"BEGIN\n  DELETE FROM {TABLE} WHERE kind = '{own.code}' "
                    f"AND object_id IN (SELECT id FROM old_rows);\n  RETURN NULL;\nEND $$"
                )
                statements.append(
                    f"CREATE TRIGGER {names['delete']} AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {names['delete_function']}()"
                )
        else:
            upserts = []
            if own is not None:
                upserts.append(upsert_sql(own, "t.id = NEW.id", dialect))
            upserts += [upsert_sql(kind, f"{column} = NEW.id", dialect) for kind, column in dependents]
            body = ";\n  ".join(upserts)
            for event in ("insert", "update", "delete"):
                statements.append(f"DROP TRIGGER IF EXISTS {names[event]}")
            for event in ("insert", "update"):
                statements.append(
                    f"CREATE TRIGGER {names[event]} AFTER {event.upper()} ON {table}\nBEGIN\n  {body};\nEND"
                )
            if own is not None:
                statements.append(
                    f"CREATE TRIGGER {names['delete']} AFTER DELETE ON {table}\nBEGIN\n  DELETE FROM {TABLE} "
                    f"WHERE kind = '{own.code}' AND object_id = OLD.id;\nEND"
                )
    return statements


def drop_trigger_statements(vendor: str) -> list[str]:
    dialect = Dialect(vendor)
    statements = []
    for table, spec in _tables().items():
        names = _names(table)
        for event in ("insert", "update", "delete"):
            statements.append(
                f"DROP TRIGGER IF EXISTS {names[event]} ON {table}"
                if dialect.pg
                else f"DROP TRIGGER IF EXISTS {names[event]}"
            )
        if dialect.pg:
            statements.append(f"DROP FUNCTION IF EXISTS {names['upsert_function']}()")
            if spec["own"] is not None:
                statements.append(f"DROP FUNCTION IF EXISTS {names['delete_function']}()")
    return statements


def rebuild_statements(vendor: str, kinds=KINDS) -> list[str]:
    dialect = Dialect(vendor)
    codes = ", ".join(f"'{kind.code}'" for kind in kinds)
    return [f"DELETE FROM {TABLE} WHERE kind IN ({codes})"] + [upsert_sql(kind, "1 = 1", dialect) for kind in kinds]


# PostgreSQL: configurations, the document, indexes --------------------------------------------


def _document_expression() -> str:
    parts = []
    for column, weight in (("names", "A"), ("body", "B")):
        for code in CONFIGS:
            parts.append(
                f"setweight(to_tsvector('{CONFIG_OF_LANGUAGE[code]}', COALESCE(NEW.{column}, '')), '{weight}')"
            )
    return "\n    || ".join(parts)


#: The plain form of a text (unaccented, lowercase, single-spaced), as SQLite's Python
#: ``paradiplo_plain()``. Declared IMMUTABLE (unaccent itself is only STABLE because its rules
#: file could change) so that the planner folds ``paradiplo_plain('query')`` into a constant and
#: estimates the trigram index scans from the query's real trigrams.
PLAIN_FUNCTION = (
    "CREATE OR REPLACE FUNCTION paradiplo_plain(text) RETURNS text "
    "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
    "$$ SELECT btrim(regexp_replace(lower(unaccent('unaccent'::regdictionary, $1)), '\\s+', ' ', 'g')) $$"
)


def _tsquery_function() -> str:
    queries = ", ".join(f"websearch_to_tsquery('{name}'::regconfig, $1)" for name in CONFIG_OF_LANGUAGE.values())
    return (
        "CREATE OR REPLACE FUNCTION paradiplo_tsquery(text) RETURNS tsquery "
        "LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS "
        "$$ SELECT COALESCE(string_agg(DISTINCT '(' || q::text || ')', ' | '), '')::tsquery "
        f"FROM unnest(ARRAY[{queries}]) AS q WHERE numnode(q) > 0 $$"
    )


#: The query in the four languages' configurations (web-search syntax), OR-ed without repeating
#: the same query: "san" is one lexeme in all four, and four copies of it made every test of a
#: document four times slower and PostgreSQL's estimate of the matches four times too high (so
#: that it read a common word's matches from the whole table instead of the index). IMMUTABLE
#: for the same reason as :data:`PLAIN_FUNCTION`: the planner folds it into the constant query.
TSQUERY_FUNCTION = _tsquery_function()


def postgres_statements() -> list[str]:
    statements = [PLAIN_FUNCTION]
    for code, base in CONFIGS.items():
        name = CONFIG_OF_LANGUAGE[code]
        statements.append(
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = "
            f"'{name}' AND cfgnamespace = current_schema()::regnamespace) THEN "
            f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {base}); END IF; END $$"
        )
        statements.append(
            f"ALTER TEXT SEARCH CONFIGURATION {name} ALTER MAPPING FOR hword, hword_part, word "
            f"WITH unaccent, {base}_stem"
        )
    statements.append(TSQUERY_FUNCTION)
    statements += [
        "CREATE OR REPLACE FUNCTION search_entry_document() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n  NEW.document := {_document_expression()};\n  RETURN NEW;\nEND $$",
        f"DROP TRIGGER IF EXISTS search_entry_document ON {TABLE}",
        f"CREATE TRIGGER search_entry_document BEFORE INSERT OR UPDATE OF names, body ON {TABLE} "
        "FOR EACH ROW EXECUTE FUNCTION search_entry_document()",
        # fastupdate off: writes go straight into the index instead of a pending list that
        # every search would have to scan (and that makes the planner prefer a sequential scan
        # until the next vacuum). Writes are a little slower; searches stay predictable.
        f"CREATE INDEX IF NOT EXISTS {DOCUMENT_INDEX} ON {TABLE} USING gin (document) WITH (fastupdate = off)",
        f"CREATE INDEX IF NOT EXISTS {TRIGRAM_INDEX} ON {TABLE} USING gin (names_plain gin_trgm_ops) "
        "WITH (fastupdate = off)",
        f"CREATE INDEX IF NOT EXISTS {EXACT_NAMES_INDEX} ON {TABLE} USING gin (({NAMES_ARRAY})) "
        "WITH (fastupdate = off)",
    ]
    return statements


def postgres_drop_statements() -> list[str]:
    return [
        f"DROP INDEX IF EXISTS {EXACT_NAMES_INDEX}",
        f"DROP INDEX IF EXISTS {TRIGRAM_INDEX}",
        f"DROP INDEX IF EXISTS {DOCUMENT_INDEX}",
        f"DROP TRIGGER IF EXISTS search_entry_document ON {TABLE}",
        "DROP FUNCTION IF EXISTS search_entry_document()",
        "DROP FUNCTION IF EXISTS paradiplo_tsquery(text)",
        "DROP FUNCTION IF EXISTS paradiplo_plain(text)",
        *[f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}" for name in CONFIG_OF_LANGUAGE.values()],
    ]


# Frozen SQL (the migrations' files) and the rebuild command --------------------------------------

#: where the migrations keep their SQL, one file per migration, part and database
MIGRATION_SQL = Path(__file__).resolve().parent / "migrations" / "sql"
#: the first lines of every frozen file
FROZEN_HEADER = "-- Frozen SQL of a migration: never edit it; change the database with a new migration.\n"


def generated_statements(part: str, vendor: str) -> list[str]:
    """The statements of ``part`` that the live declarations give today (``fill`` included)."""
    if part in ("setup", "teardown"):
        if vendor != "postgresql":
            return []
        return postgres_statements() if part == "setup" else postgres_drop_statements()
    generate = {"triggers": trigger_statements, "drop_triggers": drop_trigger_statements, "fill": rebuild_statements}
    return generate[part](vendor)


def read_sql(path: Path) -> list[str]:
    """The statements of a frozen file: separated by a blank line, each ending with ``;``."""
    text = path.read_text(encoding="utf-8").removeprefix(FROZEN_HEADER)
    return [statement.removesuffix(";") for statement in text.strip().split(";\n\n")]


def frozen_path(part: str, vendor: str) -> Path | None:
    """The latest migration's file of ``part`` for ``vendor`` (``None`` if none has one)."""
    paths = sorted(MIGRATION_SQL.glob(f"[0-9][0-9][0-9][0-9]_{part}.{vendor}.sql"))
    return paths[-1] if paths else None


def frozen_statements(part: str, vendor: str) -> list[str]:
    path = frozen_path(part, vendor)
    return read_sql(path) if path else []


def freeze(number: str) -> list[Path]:
    """Write the files of a new migration ``number`` for each part whose generated SQL differs
    from the latest frozen one (``fill`` goes with ``triggers``). Returns the files written."""
    written = []
    for vendor in ("postgresql", "sqlite"):
        parts = [
            part
            for part in ("setup", "teardown", "triggers", "drop_triggers")
            if generated_statements(part, vendor) != frozen_statements(part, vendor)
        ]
        if "triggers" in parts:
            parts.append("fill")
        for part in parts:
            path = MIGRATION_SQL / f"{number}_{part}.{vendor}.sql"
            statements = generated_statements(part, vendor)
            path.write_text(FROZEN_HEADER + "\n" + "\n\n".join(f"{s};" for s in statements) + "\n", encoding="utf-8")
            written.append(path)
    return written


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            # No parameters: the statements contain % (modulo) that must not be read as placeholders.
            cursor.execute(statement)


def install_triggers(connection) -> None:
    """Re-create the index triggers as the latest migration froze them (recovery only)."""
    _execute(connection, frozen_statements("triggers", connection.vendor))


def rebuild(connection, kinds=KINDS) -> None:
    """Rewrite the entries of ``kinds`` from the records (recovery only: the triggers keep the
    index current)."""
    _execute(connection, rebuild_statements(connection.vendor, kinds))
