"""Existing records get the key the API gave them until now, stored (core.records.KeyedRecord)."""

from django.db import migrations

from core import migration_keys


class Migration(migrations.Migration):
    dependencies = [("projects", "0006_stored_keys")]

    operations = [
        migrations.RunPython(migration_keys.filler("projects", "ProjectCity", ('project__slug', 'city__slug', 'role')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("projects", "ProjectOrganization", ('project__slug', 'organization__slug', 'role')), migration_keys.noop),
    ]
