from pathlib import Path

from django.db import migrations

#: this migration's SQL, one file per part and database, frozen as search/database.py generated it
#: from search/kinds.py when the migration was written
SQL = Path(__file__).with_name("sql")
HEADER = "-- Frozen SQL of a migration: never edit it; change the database with a new migration.\n"


def run(*parts):
    """A migration function running the frozen files of ``parts`` for the connection's database."""

    def execute(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for part in parts:
            path = SQL / f"0002_{part}.{vendor}.sql"
            if not path.exists():
                raise NotImplementedError(f"Search has no triggers for the {vendor} database.")
            text = path.read_text(encoding="utf-8").removeprefix(HEADER)
            for statement in text.strip().split(";\n\n"):
                # params=None: the statements contain % (modulo), which must not be read as placeholders.
                schema_editor.execute(statement.removesuffix(";"), params=None)

    return execute


class Migration(migrations.Migration):
    """The triggers that keep the search index current (see search/database.py), from frozen SQL
    (sql/0002_*.sql): each drops the trigger of the same name first, which replaces the ones that
    earlier code re-installed after every migrate; then the index of the records already there
    is written. Later changes to the triggers are new migrations."""

    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(run("triggers", "fill"), run("drop_triggers"), elidable=False)]
