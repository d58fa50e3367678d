from django.db import migrations

# The rule's SQL as networks/constraints.py wrote it when this migration was written, frozen here
# so that a later change to that module does not change what this migration did. A membership
# runs from its start's first day to its end's last day: an end of YYYY0000 or YYYYMM00 is
# read as YYYY1299 or YYYYMM99, which sort after every day of that year or month.
POSTGRESQL_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    'ALTER TABLE networks_membership ADD CONSTRAINT membership_no_overlap EXCLUDE USING gist ('
    'city_id WITH =, network_id WITH =, int4range(start, ("end" + CASE WHEN "end" % 10000 = 0 THEN 1299 '
    "WHEN \"end\" % 100 = 0 THEN 99 ELSE 0 END), '[]') WITH &&)",
]
POSTGRESQL_BACKWARD = ["ALTER TABLE networks_membership DROP CONSTRAINT IF EXISTS membership_no_overlap"]
SQLITE_FORWARD = [
    """
CREATE TRIGGER membership_no_overlap_insert BEFORE INSERT ON networks_membership
WHEN EXISTS (
    SELECT 1 FROM networks_membership AS m
    WHERE m.city_id = NEW.city_id AND m.network_id = NEW.network_id
      AND (m.start IS NULL OR NEW."end" IS NULL OR m.start <= (NEW."end" + CASE WHEN NEW."end" % 10000 = 0 THEN 1299 WHEN NEW."end" % 100 = 0 THEN 99 ELSE 0 END))
      AND (NEW.start IS NULL OR m."end" IS NULL OR NEW.start <= (m."end" + CASE WHEN m."end" % 10000 = 0 THEN 1299 WHEN m."end" % 100 = 0 THEN 99 ELSE 0 END))
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: membership_no_overlap');
END""",
    """
CREATE TRIGGER membership_no_overlap_update BEFORE UPDATE ON networks_membership
WHEN EXISTS (
    SELECT 1 FROM networks_membership AS m
    WHERE m.city_id = NEW.city_id AND m.network_id = NEW.network_id AND m.id <> NEW.id
      AND (m.start IS NULL OR NEW."end" IS NULL OR m.start <= (NEW."end" + CASE WHEN NEW."end" % 10000 = 0 THEN 1299 WHEN NEW."end" % 100 = 0 THEN 99 ELSE 0 END))
      AND (NEW.start IS NULL OR m."end" IS NULL OR NEW.start <= (m."end" + CASE WHEN m."end" % 10000 = 0 THEN 1299 WHEN m."end" % 100 = 0 THEN 99 ELSE 0 END))
)
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: membership_no_overlap');
END""",
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS membership_no_overlap_insert", "DROP TRIGGER IF EXISTS membership_no_overlap_update"]


def run(statements_by_vendor):
    """A migration function running the statements written for the connection's database."""

    def execute(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise NotImplementedError(f"No membership overlap rule for the {schema_editor.connection.vendor} database.")
        for statement in statements:
            # params=None: the statements contain % (modulo), which must not be read as placeholders.
            schema_editor.execute(statement, params=None)

    return execute


class Migration(migrations.Migration):
    """One city, one membership of a network at a time: an exclusion constraint (GiST, btree_gist)
    on PostgreSQL, triggers on SQLite; both raise an IntegrityError naming membership_no_overlap.
    See networks/constraints.py."""

    dependencies = [("networks", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": POSTGRESQL_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": POSTGRESQL_BACKWARD, "sqlite": SQLITE_BACKWARD}),
            elidable=False,
        )
    ]
