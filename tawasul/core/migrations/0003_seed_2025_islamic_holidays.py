"""Seed the official 2025 Islamic holidays of Morocco (DOMAIN.md §8.2, R8).

The `holidays` package (0.109) estimates them one day early: Eid al-Fitr Mar 30-31, Eid al-Adha
Jun 6-7, 1 Muharram Jun 26, Mawlid Sep 4-5. The dates observed in Morocco were Mar 31-Apr 1,
Jun 7-8, Jun 27 and Sep 5-6. The "add" rows on Mar 31, Jun 7 and Sep 5 (which the package also
has) confirm those dates, so that 2025 deadlines are no longer provisional.
"""

import datetime

from django.db import migrations

SOURCE = (
    "Ministry of Habous and Islamic Affairs, moon-sighting announcements for 2025; "
    "CSE circular AV-2025-078 as cited by holiday-calendar/holiday-calendar-java "
    "(holiday-calendar-mena, *-ma.csv) and its PR #189."
)

EID_AL_FITR = ("عيد الفطر", "Fête de la rupture du jeûne", "Eid al-Fitr")
EID_AL_ADHA = ("عيد الأضحى", "Fête du sacrifice", "Eid al-Adha")
NEW_YEAR = ("رأس السنة الهجرية", "Nouvel an musulman", "Islamic New Year")
MAWLID = ("عيد المولد النبوي", "Anniversaire du prophète", "Prophet's Birthday")

ADD = [
    (datetime.date(2025, 3, 31), EID_AL_FITR),
    (datetime.date(2025, 4, 1), EID_AL_FITR),
    (datetime.date(2025, 6, 7), EID_AL_ADHA),
    (datetime.date(2025, 6, 8), EID_AL_ADHA),
    (datetime.date(2025, 6, 27), NEW_YEAR),
    (datetime.date(2025, 9, 5), MAWLID),
    (datetime.date(2025, 9, 6), MAWLID),
]
REMOVE = [
    (datetime.date(2025, 3, 30), EID_AL_FITR),
    (datetime.date(2025, 6, 6), EID_AL_ADHA),
    (datetime.date(2025, 6, 26), NEW_YEAR),
    (datetime.date(2025, 9, 4), MAWLID),
]


def seed(apps, schema_editor):
    HolidayOverride = apps.get_model("core", "HolidayOverride")
    for kind, rows in (("add", ADD), ("remove", REMOVE)):
        for day, (name_ar, name_fr, name_en) in rows:
            HolidayOverride.objects.update_or_create(
                date=day,
                defaults={
                    "kind": kind,
                    "name_ar": name_ar if kind == "add" else "",
                    "name_fr": name_fr if kind == "add" else "",
                    "name_en": name_en if kind == "add" else "",
                    "source": SOURCE if kind == "add" else "Estimated date, not observed in Morocco. " + SOURCE,
                },
            )


def unseed(apps, schema_editor):
    HolidayOverride = apps.get_model("core", "HolidayOverride")
    HolidayOverride.objects.filter(date__in=[day for day, _ in ADD + REMOVE]).delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_holidays_and_references")]

    operations = [migrations.RunPython(seed, unseed)]
