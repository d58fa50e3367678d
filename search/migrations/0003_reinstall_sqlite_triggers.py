import importlib

from django.db import migrations

#: the frozen SQL of migration 0002 (its triggers are unchanged; this migration installs them again)
INDEX_TRIGGERS = importlib.import_module("search.migrations.0002_index_triggers")


def reinstall_sqlite_triggers(apps, schema_editor):
    """SQLite rebuilt sources_source, cities_country, cities_city and networks_network to add
    columns and constraints (the migrations this one depends on), and a rebuilt table loses its
    triggers: install 0002's triggers again (each drops the one of its name first). PostgreSQL
    alters tables in place and keeps them."""
    if schema_editor.connection.vendor == "sqlite":
        INDEX_TRIGGERS.run("triggers")(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_index_triggers"),
        ("sources", "0003_source_archived_url_title_supplied"),
        ("cities", "0003_wikidata_certainty_twinning_kinds"),
        ("networks", "0005_certainty_took_office_at"),
        ("projects", "0003_programme_sdgs"),
    ]

    operations = [
        migrations.RunPython(reinstall_sqlite_triggers, reinstall_sqlite_triggers, elidable=False),
    ]
