"""Demo data of the jobs portal (loaded by `manage.py seed_demo`): recruiters of two ministries,
a dozen notices of every kind (some open, some closed with their published lists), demo
candidates and their applications.

Login of the recruiting unit: `recruiter.sante@demo.tawasul.ma` (and
`recruiter.economie-finances@demo.tawasul.ma`), password `DEMO_PASSWORD` of `tawasul.accounts.demo`.
Adds nothing when the portal already has notices. Deterministic (fixed seed, dates from today).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from tawasul.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tawasul.accounts.roles import Role
from tawasul.core.references import next_reference

from .models import REFERENCE_PREFIX, Application, CandidateProfile, ListKind, Notice
from .services import LineData, TestData, applications_preselect, list_publish, list_record_withdrawal, notice_save

SEED = 2012  # emploi-public.ma opened in July 2012
RECRUITER_ADMINISTRATIONS = ("sante", "economie-finances")
CANDIDATES = 60
FIRST = ("Amina", "Youssef", "Fatima Zahra", "Mohamed", "Khadija", "Hamza", "Salma", "Omar", "Imane", "Karim")
LAST = ("Benali", "El Idrissi", "Alaoui", "Bennani", "Tazi", "Berrada", "Chraibi", "El Fassi", "Amrani", "Ouazzani")
DOCUMENTS = [
    "طلب خطي موقع / Demande manuscrite signée",
    "نسخة من الشهادة / Copie du diplôme",
    "CV",
    "نسخة من البطاقة الوطنية / Copie de la CIN",
]

#: (administration, kind, title_ar, title_fr, grade, scale, lines, days to the deadline: < 0 closed)
NOTICES = (
    (
        "sante",
        "recruitment_competition",
        "مباراة لتوظيف ممرضين مجازين من الدرجة الأولى",
        "Concours de recrutement d'infirmiers diplômés d'État, 1er grade",
        "Infirmier de 1er grade",
        10,
        [("Soins infirmiers polyvalents", "Rabat", 20), ("Sage-femme", "Marrakech", 12)],
        14,
    ),
    (
        "sante",
        "recruitment_competition",
        "مباراة لتوظيف أطباء عامين",
        "Concours de recrutement de médecins généralistes",
        "Médecin de 1er grade",
        11,
        [("Médecine générale", "Oujda", 8), ("Médecine générale", "Laâyoune", 5)],
        -40,
    ),
    (
        "sante",
        "professional_aptitude_exam",
        "امتحان الكفاءة المهنية لولوج درجة متصرف من الدرجة الثانية",
        "Examen d'aptitude professionnelle: administrateur de 2e grade",
        "Administrateur de 2e grade",
        11,
        [("Gestion administrative", "Rabat", 15)],
        25,
    ),
    (
        "sante",
        "responsibility_post",
        "إعلان عن فتح باب الترشيح لشغل منصب رئيس قسم الموارد البشرية",
        "Appel à candidatures: chef de la division des ressources humaines",
        "Chef de division",
        None,
        [("Ressources humaines", "Rabat", 1)],
        -20,
    ),
    (
        "economie-finances",
        "recruitment_competition",
        "مباراة لتوظيف متصرفين من الدرجة الثانية تخصص اقتصاد",
        "Concours de recrutement d'administrateurs de 2e grade, économie",
        "Administrateur de 2e grade",
        11,
        [("Économie", "Rabat", 10), ("Finance", "Casablanca", 6)],
        -60,
    ),
    (
        "economie-finances",
        "recruitment_competition",
        "مباراة لتوظيف مهندسي الدولة تخصص معلوميات",
        "Concours de recrutement d'ingénieurs d'État en informatique",
        "Ingénieur d'État 1er grade",
        11,
        [("Informatique", "Rabat", 7)],
        9,
    ),
    (
        "economie-finances",
        "recruitment_competition",
        "مباراة لتوظيف تقنيين من الدرجة الثالثة",
        "Concours de recrutement de techniciens de 3e grade",
        "Technicien de 3e grade",
        9,
        [("Comptabilité", "Fès", 12), ("Statistique", "Agadir", 4)],
        30,
    ),
    (
        "economie-finances",
        "professional_aptitude_exam",
        "امتحان الكفاءة المهنية لولوج درجة مفتش مالية",
        "Examen d'aptitude professionnelle: inspecteur des finances",
        "Inspecteur des finances",
        11,
        [("Contrôle", "Rabat", 5)],
        -15,
    ),
    (
        "economie-finances",
        "responsibility_post",
        "فتح باب الترشيح لشغل منصب رئيس مصلحة الميزانية",
        "Appel à candidatures: chef du service du budget",
        "Chef de service",
        None,
        [("Budget", "Rabat", 1)],
        18,
    ),
    (
        "sante",
        "senior_post_art92",
        "فتح باب الترشيح لشغل منصب مدير المستشفيات (الفصل 92)",
        "Appel à candidatures: directeur des hôpitaux (art. 92)",
        "Directeur",
        None,
        [("Direction des hôpitaux", "Rabat", 1)],
        21,
    ),
    (
        "economie-finances",
        "senior_post_art92",
        "فتح باب الترشيح لشغل منصب مدير الميزانية (الفصل 92)",
        "Appel à candidatures: directeur du budget (art. 92)",
        "Directeur",
        None,
        [("Direction du budget", "Rabat", 1)],
        -30,
    ),
    (
        "sante",
        "senior_post_art49",
        "تعيين المدير العام لمؤسسة عمومية (الفصل 49)",
        "Nomination du directeur général d'un établissement public (art. 49, pour information)",
        "Directeur général",
        None,
        [("Direction générale", "Rabat", 1)],
        10,
    ),
)


def _recruiters(password_hash: str) -> dict[str, object]:
    from allauth.account.models import EmailAddress

    from tawasul.accounts.models import Membership, User
    from tawasul.registry.models import Administration

    recruiters = {}
    for code in RECRUITER_ADMINISTRATIONS:
        email = f"recruiter.{code}@{DEMO_DOMAIN}"
        user, _created = User.objects.update_or_create(
            username=email,
            defaults={"email": email, "first_name": "Nadia", "last_name": "Lahlou", "password": password_hash},
        )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        administration = Administration.objects.get(code=code)
        Membership.objects.get_or_create(
            user=user,
            administration=administration,
            role=Role.RECRUITER,
            defaults={"starts_on": dt.date(2024, 1, 1)},
        )
        recruiters[code] = (user, administration)
    return recruiters


def _candidates(password_hash: str, rng: random.Random) -> list:
    from tawasul.accounts.models import User

    users = [
        User(
            username=f"candidate{i}@{DEMO_DOMAIN}",
            email=f"candidate{i}@{DEMO_DOMAIN}",
            first_name=FIRST[i % len(FIRST)],
            last_name=LAST[(i * 7) % len(LAST)],
            password=password_hash,
            cin=f"{'ABJKX'[i % 5]}{100000 + i}",
            phone=f"+2126{10000000 + i:08d}",
        )
        for i in range(1, CANDIDATES + 1)
    ]
    User.objects.bulk_create(users, batch_size=200)
    users = list(User.objects.filter(username__in=[u.username for u in users]).order_by("pk"))
    CandidateProfile.objects.bulk_create(
        CandidateProfile(
            user=u,
            birth_date=dt.date(rng.randint(1988, 2003), rng.randint(1, 12), rng.randint(1, 28)),
            diplomas="Master, Université Mohammed V, 2021",
            experience="",
        )
        for u in users
    )
    return users


def _publish_lists(notice: Notice, recruiter, applications: list[Application]) -> None:
    ids = [a.pk for a in applications]
    applications_preselect(actor=recruiter, notice=notice, selected_ids=ids[: int(len(ids) * 0.8)])
    preselected = ids[: int(len(ids) * 0.8)]
    list_publish(actor=recruiter, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=preselected)
    oral = preselected[: max(3, len(preselected) // 2)]
    list_publish(actor=recruiter, notice=notice, kind=ListKind.CONVOKED_ORAL, application_ids=oral)
    main = oral[: min(notice.posts_total, max(1, len(oral) // 2))]
    list_publish(actor=recruiter, notice=notice, kind=ListKind.FINAL_MAIN, application_ids=main)
    list_publish(actor=recruiter, notice=notice, kind=ListKind.FINAL_WAITING, application_ids=oral[len(main) :])
    list_record_withdrawal(actor=recruiter, notice=notice, application=Application.objects.get(pk=main[0]))


def load(stdout) -> None:
    from django.contrib.auth.hashers import make_password

    if Notice.objects.exists():
        stdout.write("  jobs: notices already present, nothing added")
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    password_hash = make_password(DEMO_PASSWORD)
    recruiters = _recruiters(password_hash)
    candidates = _candidates(password_hash, rng)
    now = timezone.now().replace(second=0, microsecond=0)
    counts = {"notices": 0, "applications": 0}
    for code, kind, title_ar, title_fr, grade, scale, lines, days in NOTICES:
        recruiter, administration = recruiters[code]
        deadline = timezone.localtime(now + dt.timedelta(days=days)).replace(hour=16, minute=30)
        notice = notice_save(
            actor=recruiter,
            administration=administration,
            fields={
                "kind": kind,
                "title_ar": title_ar,
                "title_fr": title_fr,
                "grade": grade,
                "scale": scale,
                "age_max": 40 if kind == "recruitment_competition" else None,
                "deadline_at": deadline,
                "exam_date": (deadline + dt.timedelta(days=30)).date(),
                "diplomas": "Licence ou diplôme équivalent",
                "application_channel": "portal" if kind != "senior_post_art49" else "email",
                "application_target": "" if kind != "senior_post_art49" else f"rh@{code}.gov.ma",
            },
            lines=[LineData(s, p, n) for s, p, n in lines],
            centres=sorted({p for _s, p, _n in lines}),
            tests=[TestData("written", 180, 3), TestData("oral", 30, 3)] if "post" not in kind else [],
            documents=DOCUMENTS,
        )
        # Back-dated publication (a service refuses to publish a notice whose deadline is past).
        published_at = min(now, deadline) - dt.timedelta(days=30)
        Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.PUBLISHED, published_at=published_at)
        notice.refresh_from_db()
        counts["notices"] += 1
        if not notice.takes_portal_applications:
            continue
        chosen = rng.sample(candidates, rng.randint(8, 20))
        line_ids = list(notice.lines.values_list("pk", flat=True))
        applications = Application.objects.bulk_create(
            Application(
                reference=next_reference(REFERENCE_PREFIX),
                notice=notice,
                line_id=line_ids[i % len(line_ids)],
                centre=notice.centres.first(),
                candidate=user,
                full_name=user.get_full_name(),
                submitted_at=published_at + dt.timedelta(days=1, minutes=i),
            )
            for i, user in enumerate(chosen)
        )
        counts["applications"] += len(applications)
        if days < 0 and kind == "senior_post_art92":
            # Decree 2-12-412: the minister proposes three, the Head of Government chooses one.
            shortlist = [a.pk for a in applications[:3]]
            list_publish(actor=recruiter, notice=notice, kind=ListKind.SHORTLIST, application_ids=shortlist)
            list_publish(actor=recruiter, notice=notice, kind=ListKind.APPOINTED, application_ids=shortlist[1:2])
        elif days < 0:
            _publish_lists(notice, recruiter, applications)
    stdout.write(
        f"  jobs: {counts['notices']} notices, {counts['applications']} applications, "
        f"{len(candidates)} candidates; recruiter login recruiter.sante@{DEMO_DOMAIN}"
    )
