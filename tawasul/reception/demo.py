"""Demo data of the reception program (loaded by `manage.py seed_demo`).

- Reception sites on real demo facilities (tawasul/facilities/data/real_facilities.csv) of the
  administrations that have demo staff, with their checklist; three of them are model sites.
- The program's activities: the four of seed 003 (OGP commitment MO0009, "تحسين فضاءات الاستقبال
  عبر تعميم منظومة إدارتي على المواقع النموذجية", January 2018 – December 2019, all done, 100 %),
  then a few current ones so that the progress pages show every status.
- A few hundred survey answers over the last six months (seeded random: deterministic).

Runs in well under a second; a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tawasul.facilities.models import Facility
from tawasul.registry.models import Administration

from .models import Activity, ActivityStatus, ChecklistItem, CheckState, ReceptionSite, SiteCheck, SurveyAnswer
from .rules import QUESTION_FIELDS

#: (facility code, model-site label date or None, items not yet in place)
SITES = (
    ("real-wilaya-rabat-sale-kenitra", dt.date(2019, 12, 16), ()),
    ("real-chu-ibn-sina", dt.date(2019, 11, 28), ()),
    ("real-cnss-siege", dt.date(2025, 6, 30), ()),
    ("real-wilaya-casablanca-settat", None, (ChecklistItem.STAFF_BADGES,)),
    ("real-chu-ibn-rochd", None, (ChecklistItem.WAITING_AREA, ChecklistItem.ACCESSIBILITY)),
    ("real-dgi-siege", None, (ChecklistItem.CHIKAYA_LINK,)),
    ("real-poste-rabat", None, (ChecklistItem.DISPLAYED_PROCEDURES,)),
    ("real-mahkama-casablanca", None, (ChecklistItem.SIGNAGE, ChecklistItem.DISPLAYED_HOURS)),
)

_JAN_2018, _DEC_2019 = dt.date(2018, 1, 1), dt.date(2019, 12, 31)

#: Seed 003, "برنامج الإنجاز": (owner administration code, Arabic title, French title).
SEED_ACTIVITIES = (
    (
        "transport",
        'تأهيل الموقع النموذجي "مركز تسجيل السيارات بالرباط"',
        "Mise à niveau du site modèle « Centre d'immatriculation des véhicules de Rabat »",
    ),
    (
        "sante",
        'تأهيل الموقع النموذجي "المستشفى الإقليمي محمد الخامس بالجديدة"',
        "Mise à niveau du site modèle « Hôpital provincial Mohammed V d'El Jadida »",
    ),
    (
        "affaires-consulaires",
        'تأهيل الموقع النموذجي "القنصلية العامة للمملكة المغربية بالجزيرة الخضراء"',
        "Mise à niveau du site modèle « Consulat général du Royaume du Maroc à Algésiras »",
    ),
    (
        "dgapr",
        'تقديم الدعم التقني لتأهيل الموقع النموذجي ل "سجن عكاشة" بعين السبع، الدار البيضاء',
        "Appui technique à la mise à niveau du site modèle de la « prison d'Oukacha », Aïn Sebaâ, Casablanca",
    ),
)

#: Current activities (demo, not from a seed): owner, site's facility, titles, status, %, planned dates.
CURRENT_ACTIVITIES = (
    {
        "owner": "cnss",
        "site": "real-cnss-siege",
        "ar": "تأهيل فضاء الاستقبال بالمقر المركزي",
        "fr": "Mise à niveau de l'accueil du siège",
        "status": ActivityStatus.DONE,
        "completion": 100,
        "start": dt.date(2025, 1, 1),
        "end": dt.date(2025, 6, 30),
    },
    {
        "owner": "sante",
        "site": "real-chu-ibn-rochd",
        "ar": "تهيئة فضاء الانتظار وولوجيات الأشخاص في وضعية إعاقة",
        "fr": "Aménagement de la salle d'attente et de l'accessibilité PMR",
        "status": ActivityStatus.IN_PROGRESS,
        "completion": 60,
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
    },
    {
        "owner": "interieur",
        "site": "real-wilaya-casablanca-settat",
        "ar": "تزويد موظفي الاستقبال بشارات الاسم",
        "fr": "Badges nominatifs pour le personnel d'accueil",
        "status": ActivityStatus.IN_PROGRESS,
        "completion": 40,
        "start": dt.date(2026, 3, 1),
        "end": dt.date(2026, 9, 30),
    },
    {
        "owner": "dgi",
        "site": "real-dgi-siege",
        "ar": "إدراج رمز الاستجابة السريعة لبوابة الشكايات",
        "fr": "Affichage du code QR du portail des réclamations",
        "status": ActivityStatus.PLANNED,
        "completion": 0,
        "start": dt.date(2027, 1, 1),
        "end": dt.date(2027, 3, 31),
    },
)

ANSWERS = 480
_COMMENTS = (
    "استقبال جيد وموظفون متعاونون",
    "مدة الانتظار طويلة",
    "Accueil correct, mais l'affichage des pièces à fournir manque.",
    "Personnel aimable.",
    "يجب توفير كراسي إضافية في قاعة الانتظار",
)


def _sites(stdout) -> dict[str, ReceptionSite]:
    facilities = {f.code: f for f in Facility.objects.filter(code__in=[c for c, _d, _m in SITES])}
    sites = {}
    for code, labelled_on, missing in SITES:
        facility = facilities.get(code)
        if facility is None or facility.administration_id is None:
            continue
        site, _created = ReceptionSite.objects.get_or_create(
            facility=facility,
            defaults={
                "administration_id": facility.administration_id,
                "code": code.removeprefix("real-"),
                "is_model_site": labelled_on is not None,
                "labelled_on": labelled_on,
            },
        )
        checked_on = labelled_on or dt.date(2026, 10, 15)
        for item in ChecklistItem.values:
            state = CheckState.PARTIAL if item in missing else CheckState.COMPLIANT
            SiteCheck.objects.get_or_create(site=site, item=item, defaults={"state": state, "checked_on": checked_on})
        sites[code] = site
    return sites


def _activities(sites: dict[str, ReceptionSite]) -> None:
    if Activity.objects.exists():
        return
    admins = {a.code: a for a in Administration.objects.all()}
    fallback = admins.get("transition-numerique")
    rows = []
    for code, title_ar, title_fr in SEED_ACTIVITIES:
        owner = admins.get(code) or fallback
        if owner is None:
            continue
        rows.append(
            Activity(
                title_ar=title_ar,
                title_fr=title_fr,
                administration=owner,
                planned_start=_JAN_2018,
                planned_end=_DEC_2019,
                started_on=_JAN_2018,
                ended_on=_DEC_2019,
                status=ActivityStatus.DONE,
                completion=100,
            )
        )
    for line in CURRENT_ACTIVITIES:
        owner = admins.get(line["owner"])
        if owner is None:
            continue
        site = sites.get(line["site"])
        status = line["status"]
        rows.append(
            Activity(
                title_ar=line["ar"],
                title_fr=line["fr"],
                administration=owner,
                site=site if site and site.administration_id == owner.pk else None,
                planned_start=line["start"],
                planned_end=line["end"],
                started_on=line["start"] if status != ActivityStatus.PLANNED else None,
                ended_on=line["end"] if status == ActivityStatus.DONE else None,
                status=status,
                completion=line["completion"],
            )
        )
    Activity.objects.bulk_create(rows)


def _answers(sites: dict[str, ReceptionSite]) -> int:
    if not sites or SurveyAnswer.objects.exists():
        return 0
    rng = random.Random(2026)  # noqa: S311 - demo data, not a secret
    today = timezone.localdate()
    ordered = list(sites.values())
    # Model sites get more and better answers; the others a little less.
    weights = [3 if s.is_model_site else 2 for s in ordered]
    rows = []
    for i in range(ANSWERS):
        site = rng.choices(ordered, weights)[0]
        base = 4 if site.is_model_site else 3
        scores = {name: max(1, min(5, base + rng.choice((-2, -1, 0, 0, 1, 1)))) for name in QUESTION_FIELDS}
        rows.append(
            SurveyAnswer(
                site=site,
                answered_on=today - dt.timedelta(days=rng.randrange(0, 180)),
                channel=rng.choice(("qr", "qr", "desk", "web")),
                language=rng.choice(("ar", "ar", "ar", "fr", "zgh")),
                comment=rng.choice(_COMMENTS) if rng.random() < 0.15 else "",
                nonce=f"demo-{i}",
                **scores,
            )
        )
    SurveyAnswer.objects.bulk_create(rows)
    return len(rows)


def load(stdout) -> None:
    sites = _sites(stdout)
    _activities(sites)
    answers = _answers(sites)
    stdout.write(f"reception: {len(sites)} sites, {Activity.objects.count()} activities, {answers} new survey answers")
