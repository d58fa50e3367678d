import importlib

from django.db import migrations

#: the migration whose frozen triggers (sql/0003_triggers.*.sql) are the latest; this one installs
#: them again, unchanged
LATEST_TRIGGERS = importlib.import_module("search.migrations.0003_prominence_and_exact_names")


def reinstall_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilt sources_source, cities_country, cities_city and networks_network to add
    columns and constraints (the migrations this one depends on), and a rebuilt table loses its
    triggers: install the latest frozen triggers again (each drops the one of its name first).
    PostgreSQL alters tables in place and keeps them."""
    if schema_editor.connection.vendor == "sqlite":
        LATEST_TRIGGERS.run("0003_triggers.sqlite.sql")(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_prominence_and_exact_names"),
        ("sources", "0003_source_archived_url_title_supplied"),
        ("cities", "0003_wikidata_certainty_twinning_kinds"),
        ("networks", "0005_certainty_took_office_at"),
        ("projects", "0003_programme_sdgs"),
    ]

    operations = [
        migrations.RunPython(reinstall_sqlite_triggers, reinstall_sqlite_triggers, elidable=False),
    ]
