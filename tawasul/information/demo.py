"""Demo data of the access-to-information portal (issue 5): the CDAI, information officers and
deputies of a few bodies, a body head, a CDAI agent, a few hundred requests in every status
(filed and decided through the services), complaints to the head and to the CDAI, and
proactive-publication registers.

`load(stdout)` runs after the registry's and the accounts' loaders, inside the transaction of
`manage.py seed_demo`; it adds requests only when the portal has none. Demo accounts share the
password of `tawasul.accounts.demo` (DEMO_PASSWORD).
"""

from __future__ import annotations

import contextlib
import random
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from tawasul.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Case
from tawasul.cases.services import CaseActionRefused, case_transition
from tawasul.registry.models import Administration
from tawasul.registry.selectors import administrations_joined

from .loading import load_categories
from .models import ExtensionReason, InfoRequest, ProactiveCategory, ProactiveEntry, RefusalGround
from .recourse import can_file_head_complaint
from .services import (
    info_complaint_to_cdai_file,
    info_complaint_to_head_file,
    info_request_already_published,
    info_request_answer,
    info_request_ask_costs,
    info_request_extend,
    info_request_not_held,
    info_request_publish,
    info_request_refuse,
    info_request_submit,
)
from .workflow import PORTAL

SEED = 3113  # law 31-13
REQUESTS = 300
#: Bodies with an information officer and a deputy (codes of registry/data/administrations.csv).
BODIES = ("sante", "interieur", "cnss", "commune-rabat", "commune-casablanca")

#: (email local part, first name, last name, role, body code)
ACCOUNTS = (
    ("info.officer", "Salma", "Berrada", Role.INFORMATION_OFFICER, "sante"),
    ("info.deputy", "Omar", "Chraibi", Role.INFORMATION_OFFICER, "sante"),
    ("body.head", "Imane", "El Fassi", Role.BODY_HEAD, "sante"),
    ("cdai.agent", "Karim", "Amrani", Role.CDAI_AGENT, "cdai"),
    *(
        (f"info.officer.{code}", "Hamza", "Ouazzani", Role.INFORMATION_OFFICER, code)
        for code in BODIES
        if code != "sante"
    ),
    *(
        (f"info.deputy.{code}", "Fatima Zahra", "Alaoui", Role.INFORMATION_OFFICER, code)
        for code in BODIES
        if code != "sante"
    ),
    *((f"body.head.{code}", "Youssef", "Bennani", Role.BODY_HEAD, code) for code in BODIES if code != "sante"),
)

SUBJECTS = {
    "ar": [
        "ميزانية الجماعة المصادق عليها",
        "لائحة الصفقات العمومية",
        "تقرير التدقيق السنوي",
        "عدد المستفيدين من البرنامج",
        "محضر دورة المجلس",
        "دراسة الأثر البيئي للمشروع",
    ],
    "fr": [
        "Budget voté de l'établissement",
        "Liste des marchés publics attribués",
        "Rapport d'audit annuel",
        "Nombre de bénéficiaires du programme",
        "Procès-verbal de la session du conseil",
        "Étude d'impact environnemental du projet",
    ],
}
DESCRIPTION = {
    "ar": "أطلب الحصول على {subject} برسم السنة الماضية، في نسخة إلكترونية إن أمكن.",
    "fr": "Je demande à recevoir : {subject}, pour l'année écoulée, en copie électronique si possible.",
}
ANSWER = {
    "ar": "تجدون رفقته المعلومات المطلوبة.",
    "fr": "Vous trouverez ci-joint les informations demandées.",
}
FIRST = ("Amina", "Youssef", "Khadija", "Mohamed", "Salma", "Hamza", "Imane", "Omar")
LAST = ("Benali", "El Idrissi", "Alaoui", "Tazi", "Berrada", "Amrani", "Bennani", "Chraibi")
#: Final situation of a demo request, with its weight.
OUTCOMES = (
    ("submitted", 10),
    ("acknowledged", 6),
    ("in_progress", 12),
    ("extended", 6),
    ("costs", 3),
    ("answered_full", 25),
    ("answered_partial", 8),
    ("refused", 8),
    ("already_published", 5),
    ("not_held", 4),
    ("closed", 13),
)


def _accounts(stdout) -> dict[str, object]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from tawasul.accounts.models import User
    from tawasul.accounts.services import membership_grant

    codes = {code for *_, code in ACCOUNTS}
    bodies = Administration.objects.in_bulk(codes, field_name="code")
    password = make_password(DEMO_PASSWORD)
    users = {}
    for local, first, last, role, code in ACCOUNTS:
        if code not in bodies:
            continue
        email = f"{local}@{DEMO_DOMAIN}"
        user, _ = User.objects.update_or_create(
            username=email,
            defaults={"email": email, "first_name": first, "last_name": last, "is_active": True, "password": password},
        )
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if not user.memberships.filter(administration=bodies[code], role=role).exists():
            membership_grant(actor=None, user=user, administration=bodies[code], role=role)
        users[local] = user
    stdout.write(f"  {len(users)} access-to-information staff accounts (e.g. info.officer@{DEMO_DOMAIN})")
    return users


def _registers(rng: random.Random, bodies: list[Administration]) -> int:
    categories = list(ProactiveCategory.objects.all())
    created = 0
    for body in bodies:
        if ProactiveEntry.objects.filter(administration=body).exists():
            continue
        site = body.website or f"https://{body.code}.gov.ma"
        for category in rng.sample(categories, k=min(5, len(categories))):
            for year in (2024, 2025):
                ProactiveEntry.objects.create(
                    administration=body,
                    category=category,
                    title=f"{category.name('fr')} {year}",
                    url=f"{site.rstrip('/')}/publications/{category.code}-{year}.pdf",
                    published_on=date(year, rng.randint(1, 12), rng.randint(1, 28)),
                )
                created += 1
    return created


def _staff(case, users: dict, role_local: str):
    user = users.get(role_local)
    if user is None:
        return None
    actor = actor_for(user, case)
    return actor if actor.roles else None


def _officer_for(case, users):
    code = case.administration.code
    return _staff(case, users, "info.officer" if code == "sante" else f"info.officer.{code}")


def _head_for(case, users):
    code = case.administration.code
    return _staff(case, users, "body.head" if code == "sante" else f"body.head.{code}")


def ground_of(case) -> str:
    return InfoRequest.objects.get(case=case).refusal_ground or RefusalGround.PRIVATE_LIFE


def _decide(rng, case, outcome: str, officer, lang: str) -> Case:
    if outcome == "submitted":
        return case
    case = case_transition(case=case, action="acknowledge", actor=officer)
    if outcome == "acknowledged":
        return case
    case = case_transition(case=case, action="start", actor=officer)
    if outcome in ("extended", "costs"):
        if case.kind == "request" and timezone.now() <= case.answer_due_at:
            reason = rng.choice(ExtensionReason.values)
            case = info_request_extend(case=case, actor=officer, reason=reason)
        if outcome == "costs":
            case = info_request_ask_costs(
                case=case, actor=officer, amount=rng.choice([10, 25, 40]), purpose="Photocopies"
            )
        return case
    if outcome == "in_progress":
        return case
    if outcome in ("answered_full", "closed"):
        case = info_request_answer(case=case, actor=officer, outcome="full", note=ANSWER[lang])
    elif outcome == "answered_partial":
        ground = rng.choice([RefusalGround.PRIVATE_LIFE, RefusalGround.ECONOMIC_POLICY])
        case = info_request_answer(case=case, actor=officer, outcome="partial", ground=ground, note=ANSWER[lang])
    elif outcome == "refused":
        ground = rng.choice(RefusalGround.values[:8])
        case = info_request_refuse(case=case, actor=officer, ground=ground, note=str(RefusalGround(ground).label))
    elif outcome == "already_published":
        entry = ProactiveEntry.objects.filter(administration=case.administration).first()
        url = "" if entry else f"https://{case.administration.code}.gov.ma/publications/"
        case = info_request_already_published(case=case, actor=officer, entry=entry, url=url)
    elif outcome == "not_held":
        elsewhere = administrations_joined().exclude(pk=case.administration_id).order_by("?").first()
        case = info_request_not_held(case=case, actor=officer, note="—", redirect_to=elsewhere)
    if outcome == "closed":
        case = case_transition(case=case, action="close", actor=officer)
    return case


def load(stdout) -> None:
    load_categories()
    users = _accounts(stdout)
    rng = random.Random(SEED)  # noqa: S311 - demo data, not secrets
    bodies = list(administrations_joined().filter(code__in=BODIES).order_by("code"))
    if Administration.objects.filter(code=settings.INFORMATION_CDAI_CODE).exists() is False:
        stdout.write("  no CDAI administration in the registry: complaints to the CDAI cannot be filed")
    entries = _registers(rng, bodies)
    stdout.write(f"  {entries} proactive-publication entries")
    if Case.objects.filter(portal=PORTAL).exists():
        stdout.write("  information requests already present: none added")
        return
    if not bodies:
        stdout.write("  no body: no information request added")
        return
    requester = Actor(user=None, roles=frozenset({"requester"}))
    cdai_user = users.get("cdai.agent")
    names, weights = zip(*OUTCOMES, strict=True)
    now = timezone.now()
    counts: dict[str, int] = {}
    for n in range(REQUESTS):
        lang = "ar" if rng.random() < 0.6 else "fr"
        body = rng.choice(bodies)
        outcome = rng.choices(names, weights=weights)[0]
        urgent = rng.random() < 0.05
        # Open requests are recent (a few are overdue: implicit refusals); decided ones older.
        age = rng.randint(0, 12) if outcome in ("submitted", "acknowledged") else rng.randint(2, 26)
        if rng.random() < 0.08:
            age = rng.randint(35, 60)
        subject = rng.choice(SUBJECTS[lang])
        case = info_request_submit(
            actor=requester,
            administration=body,
            requester_type="ma_citizen" if rng.random() < 0.93 else "foreign_resident",
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            id_number=f"{rng.choice(['AB', 'BK', 'CD', 'EE', 'G'])}{rng.randint(10000, 999999)}",
            address="Rabat",
            email=f"demo.requester{n}@example.ma",
            subject=subject,
            description=DESCRIPTION[lang].format(subject=subject),
            delivery_mode=rng.choice(["email", "email", "onsite_consult", "onsite_paper", "post"]),
            is_urgent=urgent,
            urgency_reason="Protection de la santé d'une personne" if urgent else "",
            publish_consent=rng.random() < 0.4,
            language=lang,
            received_at=now - timedelta(days=age, hours=rng.randint(0, 8)),
        )
        officer = _officer_for(case, users)
        if officer is None:
            continue
        with contextlib.suppress(CaseActionRefused, ValueError):  # e.g. an extension past its deadline
            case = _decide(rng, case, outcome, officer, lang)
        counts[case.status] = counts.get(case.status, 0) + 1
        info = InfoRequest.objects.get(case=case)
        if info.publish_consent and info.outcome == "full" and rng.random() < 0.5:
            info_request_publish(case=case, actor=officer, redacted_text=f"{subject}. {ANSWER[lang]}")
        if case.status == "refused" and can_file_head_complaint(case) and rng.random() < 0.5:
            head = info_complaint_to_head_file(
                parent=case, actor=Actor.requester(case), description=DESCRIPTION[lang].format(subject=subject)
            )
            head_actor = _head_for(head, users)
            if head_actor is not None and rng.random() < 0.6:
                head = info_request_answer(
                    case=head, actor=head_actor, outcome="partial", ground=ground_of(case), note=ANSWER[lang]
                )
                if cdai_user is not None and rng.random() < 0.6:
                    complaint = info_complaint_to_cdai_file(
                        parent=head, actor=Actor.requester(head), description=DESCRIPTION[lang].format(subject=subject)
                    )
                    if rng.random() < 0.5:
                        info_request_answer(
                            case=complaint, actor=actor_for(cdai_user, complaint), outcome="full", note=ANSWER[lang]
                        )
    summary = ", ".join(f"{status} {count}" for status, count in sorted(counts.items()))
    stdout.write(f"  {REQUESTS} information requests ({summary})")
