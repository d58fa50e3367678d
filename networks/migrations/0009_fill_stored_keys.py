"""Existing records get the key the API gave them until now, stored (core.records.KeyedRecord)."""

from django.db import migrations

from core import migration_keys


class Migration(migrations.Migration):
    dependencies = [("networks", "0008_stored_keys")]

    operations = [
        migrations.RunPython(migration_keys.filler("networks", "GoverningBody", ('network__slug', 'slug')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("networks", "ThematicUnit", ('network__slug', 'slug')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("networks", "Summit", ('network__slug', 'slug')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("networks", "Membership", ('network__slug', 'city__slug', 'start')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("networks", "Office", ('network__slug', 'role', 'city__slug', 'thematic_unit__slug', 'start')), migration_keys.noop),
        migrations.RunPython(migration_keys.filler("networks", "MembershipFigure", ('network__slug', 'date', 'members')), migration_keys.noop),
    ]
