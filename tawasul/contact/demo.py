"""Demo data of the contact center (loaded by `manage.py seed_demo`, after the catalog and the
complaints): a few hundred contacts over the last six months, in the proportions of the 3737
center's 2017 figures (DOMAIN.md §6), linked to the complaints demo's cases that came by phone
(both demos count the same complaints: no case is added), a few callbacks waiting, and the
center's head of unit (who reads the log and the statistics). The agent is the accounts demo's
`contact-agent.transition-numerique@demo.tawasul.ma`. Deterministic (seeded); a second run adds
nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from .models import CallbackStatus, Category, Channel, Contact, Language, RequesterCategory

SEED = 3737
TOTAL = 400
#: Contacts of category "complaint" linked to a complaint of the complaints demo filed by phone.
LINKED_COMPLAINTS = 40
HISTORY_DAYS = 182
CENTER = "transition-numerique"  # the 3737 center is the MTNRA's (accounts demo)
SUPERVISOR_EMAIL = f"head-of-unit.{CENTER}@demo.tawasul.ma"

#: DOMAIN.md §6, 2017: 13,554 questions; 8,927 by phone, 4,447 by email, 180 on social networks.
CHANNEL_WEIGHTS = {
    Channel.PHONE: 8927,
    Channel.EMAIL: 4447,
    Channel.SOCIAL: 180,
    Channel.COUNTER: 400,
    Channel.ASSISTANT: 1500,
}
#: The same year's categories (complaints are redirected to chikaya: a few hundred).
CATEGORY_WEIGHTS = {
    Category.GENERAL_GUIDANCE: 6608,
    Category.PROCEDURE_INFO: 2637,
    Category.OUT_OF_COMPETENCE: 367,
    Category.OTHER: 3759,
    Category.THANKS_REMARKS: 183,
    Category.COMPLAINT: 400,
}
#: Requesters: 11,473 residents, 1,592 MRE, 389 resident foreigners, 100 abroad.
REQUESTER_WEIGHTS = {
    RequesterCategory.RESIDENT_MOROCCAN: 11473,
    RequesterCategory.MRE: 1592,
    RequesterCategory.RESIDENT_FOREIGNER: 389,
    RequesterCategory.NONRESIDENT_FOREIGNER: 100,
}
LANGUAGE_WEIGHTS = {Language.AR: 70, Language.FR: 18, Language.ZGH: 10, Language.EN: 1, Language.OTHER: 1}

NOTES = {
    Category.GENERAL_GUIDANCE: ("توجيه نحو الملحقة الإدارية", "Orientation vers l'annexe administrative"),
    Category.PROCEDURE_INFO: ("الوثائق المطلوبة لجواز السفر", "Pièces du dossier de la carte nationale"),
    Category.OUT_OF_COMPETENCE: ("سؤال خارج اختصاص الإدارة", "Question hors compétence (banque)"),
    Category.OTHER: ("استفسار عام", "Demande de renseignement"),
    Category.THANKS_REMARKS: ("شكر على حسن الاستقبال", "Remerciements pour l'accueil"),
    Category.COMPLAINT: ("توجيه إلى بوابة الشكايات", "Orienté vers le portail des réclamations"),
}
CALLBACKS = (
    ("فاطمة الزهراء", "+212612000101", Language.AR, "أريد معرفة أجل تسليم شهادة السكنى"),
    ("Youssef", "+212661000202", Language.FR, "Question sur le renouvellement du passeport à l'étranger"),
    ("ⵎⵓⵃⵎⵎⴷ", "+212700000303", Language.ZGH, "ⴰⵙⵇⵙⵉ ⵅⴼ ⵜⴰⴽⴰⵔⴹⴰ ⵏ ⵜⵉⵏⵏⵓⵜ"),
    ("خديجة", "+212622000404", Language.AR, "تتبع شكاية قدمتها منذ شهرين"),
)


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _supervisor(stdout):
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from tawasul.accounts.demo import DEMO_PASSWORD
    from tawasul.accounts.models import User
    from tawasul.accounts.roles import Role
    from tawasul.accounts.services import membership_grant
    from tawasul.registry.models import Administration

    center = Administration.objects.filter(code=CENTER).first()
    if center is None:
        return None
    user, created = User.objects.get_or_create(
        username=SUPERVISOR_EMAIL,
        defaults={
            "email": SUPERVISOR_EMAIL,
            "first_name": "Salma",
            "last_name": "Berrada",
            "password": make_password(DEMO_PASSWORD),
        },
    )
    EmailAddress.objects.update_or_create(
        user=user, email=SUPERVISOR_EMAIL, defaults={"verified": True, "primary": True}
    )
    if created:
        membership_grant(actor=None, user=user, administration=center, role=Role.HEAD_OF_UNIT)
    return user


def _phoned_complaints() -> list:
    """The complaints demo's cases that came by phone (3737) or at a counter, oldest first: the
    contacts of category "complaint" are linked to them, so the figures of both demos agree."""
    from tawasul.cases.models import Case

    return list(
        Case.objects.filter(portal="complaints", channel__in=["phone_3737", "counter"])
        .order_by("pk")
        .values_list("pk", "channel", "administration_id", "received_at")[:LINKED_COMPLAINTS]
    )


def load(stdout) -> None:
    from tawasul.accounts.models import Membership
    from tawasul.accounts.roles import Role
    from tawasul.catalog.selectors import public_procedures
    from tawasul.facilities.models import Facility
    from tawasul.registry.selectors import administrations_joined

    supervisor = _supervisor(stdout)
    if Contact.objects.exists():
        stdout.write("  contact center demo data already there")
        return
    agents = [
        m.user
        for m in Membership.objects.active().filter(role=Role.CONTACT_AGENT).select_related("user").order_by("pk")
    ]
    if not agents:
        stdout.write("  no contact agent: contact center demo skipped")
        return
    rng = random.Random(SEED)  # noqa: S311 - demo data, deterministic on purpose
    procedures = list(public_procedures().order_by("pk").values_list("pk", flat=True)[:200])
    facilities = list(Facility.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True)[:300])
    administrations = list(administrations_joined().order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    phoned = _phoned_complaints()
    rows = []
    for pk, case_channel, administration_id, received_at in phoned:
        rows.append(
            Contact(
                channel=Channel.PHONE if case_channel == "phone_3737" else Channel.COUNTER,
                category=Category.COMPLAINT,
                language=_pick(rng, LANGUAGE_WEIGHTS),
                requester_category=_pick(rng, REQUESTER_WEIGHTS),
                administration_id=administration_id,
                note=NOTES[Category.COMPLAINT][0],
                complaint_id=pk,
                agent=rng.choice(agents),
                created_at=received_at,
                day=timezone.localdate(received_at),
            )
        )
    for _ in range(TOTAL):
        channel = _pick(rng, CHANNEL_WEIGHTS)
        category = _pick(rng, CATEGORY_WEIGHTS)
        language = _pick(rng, LANGUAGE_WEIGHTS)
        when = now - timedelta(days=rng.uniform(0, HISTORY_DAYS))
        # Working hours of the center (09:00-15:00, DOMAIN.md §6): noon ± 3 h, in UTC+1.
        when = when.replace(hour=rng.randint(8, 13), minute=rng.randint(0, 59))
        if when > now:
            when -= timedelta(days=1)
        if channel == Channel.ASSISTANT:
            rows.append(
                Contact(
                    channel=channel,
                    category=category,
                    language=language,
                    answered=rng.random() < 0.7,
                    created_at=when,
                    day=timezone.localdate(when),
                )
            )
            continue
        procedure = rng.choice(procedures) if procedures and category == Category.PROCEDURE_INFO else None
        facility = rng.choice(facilities) if facilities and rng.random() < 0.2 else None
        rows.append(
            Contact(
                channel=channel,
                category=category,
                language=language,
                requester_category=_pick(rng, REQUESTER_WEIGHTS),
                administration_id=rng.choice(administrations) if administrations and rng.random() < 0.6 else None,
                note=NOTES[category][0 if language != Language.FR else 1],
                procedure_id=procedure,
                facility_id=facility,
                agent=rng.choice(agents),
                created_at=when,
                day=timezone.localdate(when),
            )
        )
    for name, phone, language, note in CALLBACKS:
        rows.append(
            Contact(
                channel=Channel.ASSISTANT,
                category=Category.GENERAL_GUIDANCE,
                language=language,
                note=note,
                callback_status=CallbackStatus.WAITING,
                callback_name=name,
                callback_phone=phone,
                created_at=(asked := now - timedelta(hours=rng.randint(1, 30))),
                day=timezone.localdate(asked),
            )
        )
    Contact.objects.bulk_create(rows, batch_size=500)
    who = f", supervisor {SUPERVISOR_EMAIL}" if supervisor else ""
    stdout.write(
        f"  {len(rows)} contacts, {len(phoned)} linked to complaints filed by phone, "
        f"{len(CALLBACKS)} callbacks waiting (agent {agents[0].email}{who})"
    )
