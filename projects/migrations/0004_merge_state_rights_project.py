from django.db import migrations

#: The project the research data recorded twice: "Estado+Derechos" is the "Human Rights, State
#: and Civil Society: Construction of Citizenship" project ("known as State + Rights project",
#: case study). The fixtures now merge it into dh-estado-sociedad-civil; load_real_data never
#: deletes, so a database loaded before keeps the duplicate unless it is removed here.
DUPLICATE = "estado-mas-derechos"


def remove_duplicate(apps, schema_editor):
    Project = apps.get_model("projects", "Project")
    Project.objects.filter(slug=DUPLICATE).delete()  # its citations and participants go with it


class Migration(migrations.Migration):
    dependencies = [("projects", "0003_programme_sdgs")]

    operations = [migrations.RunPython(remove_duplicate, migrations.RunPython.noop, elidable=True)]
