"""Load the national subject taxonomy and the FAQ (data/*.json), so a fresh install can file."""

from django.db import migrations


def load(apps, schema_editor):
    from tawasul.complaints.loading import load_faq, load_subjects

    load_subjects(apps.get_model("complaints", "Subject"))
    load_faq(apps.get_model("complaints", "FaqEntry"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
