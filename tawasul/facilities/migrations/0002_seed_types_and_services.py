"""Seed the facility types and the services offered (tawasul.facilities.vocabulary)."""

from django.db import migrations

from tawasul.core.text import normalize


def _search_text(*names):
    lines = [normalize(n) for n in names if n]
    return "\n" + "\n".join(lines) + "\n" if lines else ""


def seed(apps, schema_editor):
    from tawasul.facilities.vocabulary import SERVICES, TYPES

    FacilityType = apps.get_model("facilities", "FacilityType")
    Service = apps.get_model("facilities", "Service")
    for position, (code, ar, fr, en, zgh) in enumerate(TYPES):
        FacilityType.objects.update_or_create(
            code=code,
            defaults={
                "position": position,
                "name_ar": ar,
                "name_fr": fr,
                "name_en": en,
                "name_zgh": zgh,
                "search_text": _search_text(ar, fr, en, zgh),
            },
        )
    for code, ar, fr, en, zgh in SERVICES:
        Service.objects.update_or_create(
            code=code,
            defaults={
                "name_ar": ar,
                "name_fr": fr,
                "name_en": en,
                "name_zgh": zgh,
                "search_text": _search_text(ar, fr, en, zgh),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("facilities", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
