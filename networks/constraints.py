"""Database rule: one city holds at most one membership of a network at any time.

A partial date stands for its whole period (see :mod:`core.periods`), so a membership runs
from its start's first day to its end's last day, inclusive, open where unknown. Stored values
are ``YYYYMMDD`` integers with ``00`` for unknown parts; the last day an end may stand for is
reached by adding 1299 to a year (``YYYY1299``) or 99 to a month (``YYYYMM99``): those are not
real days, but they sort after every day of that year or month, which is all a range needs.

Django has no portable constraint for this, so it is written per database: an exclusion
constraint (GiST, ``btree_gist``) on PostgreSQL, and triggers on SQLite. Both raise an
IntegrityError naming ``membership_no_overlap``.

Migration 0002 installed this SQL, frozen in the migration; ``tests/test_migrations_sql.py``
fails when the database's rule differs from the one written here. To change the rule, change
it here and in a new migration (also when a migration rebuilds ``networks_membership`` on
SQLite, which drops its triggers).
"""

TABLE = "networks_membership"
NAME = "membership_no_overlap"


def end_upper(column: str) -> str:
    return f"({column} + CASE WHEN {column} % 10000 = 0 THEN 1299 WHEN {column} % 100 = 0 THEN 99 ELSE 0 END)"


POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"ALTER TABLE {TABLE} ADD CONSTRAINT {NAME} EXCLUDE USING gist ("
    f"city_id WITH =, network_id WITH =, int4range(start, {end_upper(chr(34) + 'end' + chr(34))}, '[]') WITH &&)",
]
POSTGRESQL_BACKWARD = [f"ALTER TABLE {TABLE} DROP CONSTRAINT IF EXISTS {NAME}"]


def _sqlite_trigger(event: str) -> str:
    same_row = " AND m.id <> NEW.id" if event == "UPDATE" else ""
    return f"""
CREATE TRIGGER {NAME}_{event.lower()} BEFORE {event} ON {TABLE}
WHEN EXISTS (
    SELECT 1 FROM {TABLE} AS m
    WHERE m.city_id = NEW.city_id AND m.network_id = NEW.network_id{same_row}
      AND (m.start IS NULL OR NEW."end" IS NULL OR m.start <= {end_upper('NEW."end"')})
      AND (NEW.start IS NULL OR m."end" IS NULL OR NEW.start <= {end_upper('m."end"')})
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: {NAME}');
END"""


SQLITE_FORWARD = [_sqlite_trigger("INSERT"), _sqlite_trigger("UPDATE")]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {NAME}_insert", f"DROP TRIGGER IF EXISTS {NAME}_update"]
