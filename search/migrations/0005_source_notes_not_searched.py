import importlib

from django.db import migrations

#: the frozen-SQL runner of 0003 (its files are read from search/migrations/sql/)
FROZEN = importlib.import_module("search.migrations.0003_prominence_and_exact_names")


class Migration(migrations.Migration):
    """A source's notes are the curators' own (internal notes are never public): the search index
    no longer holds them, so no search, snippet or ``?q=`` matches them. The triggers without them
    (sql/0005_triggers) and the index rewritten (0005_fill); backwards, those of 0003."""

    dependencies = [
        ("search", "0004_reinstall_sqlite_triggers"),
    ]

    operations = [
        migrations.RunPython(
            FROZEN.run("0005_triggers.{vendor}.sql", "0005_fill.{vendor}.sql"),
            FROZEN.run("0003_triggers.{vendor}.sql", "0003_fill.{vendor}.sql"),
            elidable=False,
        ),
    ]
