"""Existing records get the key the API gave them until now, stored (core.records.KeyedRecord)."""

from django.db import migrations

from core import migration_keys


class Migration(migrations.Migration):
    dependencies = [("cities", "0007_stored_keys")]

    operations = [
        migrations.RunPython(migration_keys.filler("cities", "BlocParticipation", ('bloc__slug', 'country__code', 'status', 'start')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("cities", "Twinning", ('city_a__slug', 'city_b__slug', 'kind', 'start')), migration_keys.noop),
    ]
