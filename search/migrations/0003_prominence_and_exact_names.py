from pathlib import Path

from django.db import migrations, models

#: this migration's SQL, frozen as search/database.py generated it from search/kinds.py when the
#: migration was written (0003_*.sql); its backward steps are the files of 0002
SQL = Path(__file__).with_name("sql")
HEADER = "-- Frozen SQL of a migration: never edit it; change the database with a new migration.\n"
EXACT_NAMES_INDEX = "searchentry_names_exact"


def statements(name: str) -> list[str]:
    text = (SQL / name).read_text(encoding="utf-8").removeprefix(HEADER)
    return [statement.removesuffix(";") for statement in text.strip().split(";\n\n")]


def run(*names, postgresql_only=False):
    """A migration function running the frozen files ``names`` (``{vendor}`` filled in)."""

    def execute(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if postgresql_only and vendor != "postgresql":
            return
        for name in names:
            path = name.format(vendor=vendor)
            if not (SQL / path).exists():
                raise NotImplementedError(f"Search has no triggers for the {vendor} database.")
            for statement in statements(path):
                # params=None: the statements contain % (modulo), which must not be read as placeholders.
                schema_editor.execute(statement, params=None)

    return execute


def drop_setup(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {EXACT_NAMES_INDEX}", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS paradiplo_tsquery(text)", params=None)


class Migration(migrations.Migration):
    """Search at scale (issue #10): each entry's ``prominence`` (places by population, the site's
    own records above them) with a B-tree listing entries from the most prominent, so that a
    very common word ranks a bounded set of candidates; on PostgreSQL a GIN index of the exact
    plain names, so that an exact name is found by one lookup, and paradiplo_tsquery(), the
    query in the four configurations without repeating a lexeme (sql/0003_setup). The triggers
    write the new column (sql/0003_triggers) and the index is rewritten with it (0003_fill);
    the triggers are dropped first (0002_drop_triggers), since SQLite rebuilds the table to add
    the column. Backwards: no triggers, the indexes and the column go, the triggers of 0002."""

    dependencies = [
        ("cities", "0002_historicalblocparticipation_and_more"),
        ("networks", "0004_historicalgoverningbody_and_more"),
        ("search", "0002_index_triggers"),
    ]

    operations = [
        # SQLite rebuilds the table to add the column, which it refuses while triggers write to it.
        migrations.RunPython(
            run("0002_drop_triggers.{vendor}.sql"), run("0002_triggers.{vendor}.sql"), elidable=False
        ),
        migrations.AddField(
            model_name="searchentry",
            name="prominence",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["-prominence", "id"], name="searchentry_prominence"),
        ),
        migrations.RunPython(
            run("0003_setup.{vendor}.sql", postgresql_only=True), drop_setup, elidable=False
        ),
        migrations.RunPython(
            run("0003_triggers.{vendor}.sql", "0003_fill.{vendor}.sql"),
            run("0002_drop_triggers.{vendor}.sql"),
            elidable=False,
        ),
    ]
