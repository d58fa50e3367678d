"""Existing cities get the name of their first-level area from its GeoNames code (or keep the
name the field already held, e.g. "Santa Fe"); codes without a known name stay unnamed."""

from django.db import migrations

from cities.admin_areas import admin_area_name


def fill(apps, schema_editor):
    City = apps.get_model("cities", "City")
    alias = schema_editor.connection.alias
    rows = (
        City.objects.using(alias)
        .exclude(admin_area="")
        .filter(admin_area_name="")
        .values_list("pk", "admin_area", "country__code")
    )
    changed = []
    for pk, area, country in rows.iterator(chunk_size=5000):
        name = admin_area_name(country, area)
        if name:
            changed.append(City(pk=pk, admin_area_name=name))
    City.objects.using(alias).bulk_update(changed, ["admin_area_name"], batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [("cities", "0005_city_admin_area_name")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
