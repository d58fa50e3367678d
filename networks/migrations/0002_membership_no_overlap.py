from django.db import migrations

from networks import constraints


class Migration(migrations.Migration):
    """One city, one membership of a network at a time: see networks/constraints.py."""

    dependencies = [("networks", "0001_initial")]

    operations = [migrations.RunPython(constraints.install, constraints.uninstall, elidable=False)]
