from django.db import migrations


def seed(apps, schema_editor):
    from tawasul.information.loading import load_categories

    load_categories(apps)


class Migration(migrations.Migration):
    dependencies = [("information", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
