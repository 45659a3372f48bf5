"""Demo data of the civil-status documents window (loaded by `manage.py seed_demo`).

- Offices: the civil-status bureaus (BEC) of the demo communes (those on the platform have joined
  the window, two have not) and four consulates served by the consular affairs directorate (three
  joined, one not).
- Staff: the civil-status officer of Rabat comes from `tawasul.accounts.demo`
  (`civil-status-officer.commune-rabat@demo.tawasul.ma`); this loader adds one at the consular
  affairs directorate (`civil-status.consulates@demo.tawasul.ma`), same demo password.
- Orders at the Rabat office in every resting status, placed, paid and worked through the
  services (the `paid` and `rejected` statuses are passed through: payment transmits at once,
  a rejection opens the refund at once). Loaded once: nothing is added when demo orders exist.
"""

from __future__ import annotations

from datetime import date

from tawasul.accounts.demo import DEMO_DOMAIN, DEMO_PASSWORD
from tawasul.accounts.models import User
from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.registry.models import Administration

from .models import CivilStatusOffice, OfficeKind
from .pricing import install_default_prices
from .services import (
    order_cancel,
    order_hand_to_post,
    order_refund_confirm,
    order_reject,
    order_submit,
    payment_confirm,
    payment_start,
)
from .workflow import PORTAL

#: Demo communes whose BEC has joined (codes of registry/data/administrations.csv) ...
JOINED_COMMUNES = (
    "commune-rabat",
    "commune-casablanca",
    "commune-fes",
    "commune-marrakech",
    "commune-tanger",
    "commune-agadir",
    "commune-oujda",
)
#: ... and two that have not (they do not appear in the picker).
NOT_JOINED_COMMUNES = ("commune-errachidia", "commune-guelmim")
CONSULAR_ADMINISTRATION = "affaires-consulaires"
#: (code, country, Arabic name, French name, joined)
CONSULATES = (
    ("consulat-paris", "FR", "القنصلية العامة للمملكة المغربية بباريس", "Consulat général du Maroc à Paris", True),
    (
        "consulat-bruxelles",
        "BE",
        "القنصلية العامة للمملكة المغربية ببروكسيل",
        "Consulat général du Maroc à Bruxelles",
        True,
    ),
    (
        "consulat-montreal",
        "CA",
        "القنصلية العامة للمملكة المغربية بمونتريال",
        "Consulat général du Maroc à Montréal",
        True,
    ),
    ("consulat-madrid", "ES", "القنصلية العامة للمملكة المغربية بمدريد", "Consulat général du Maroc à Madrid", False),
)
CONSULAR_OFFICER = f"civil-status.consulates@{DEMO_DOMAIN}"
DEMO_OFFICE = "bec-commune-rabat"
RABAT_OFFICER = f"civil-status-officer.commune-rabat@{DEMO_DOMAIN}"

#: Where each demo order stops, in order (`paid` and `rejected` are passed through).
STOPS = (
    "awaiting_payment",
    "cancelled",
    "transmitted",
    "in_process",
    "issued",
    "handed_to_post",
    "in_transit",
    "delivered",
    "returned",
    "refund_pending",
    "refunded",
)
HOLDERS = (
    ("أمينة", "العلوي", "Amina", "Alaoui", "f"),
    ("يوسف", "بناني", "Youssef", "Bennani", "m"),
    ("خديجة", "التازي", "Khadija", "Tazi", "f"),
    ("محمد", "الإدريسي", "Mohamed", "El Idrissi", "m"),
)


def _offices(stdout) -> int:
    admins = Administration.objects.in_bulk(
        [*JOINED_COMMUNES, *NOT_JOINED_COMMUNES, CONSULAR_ADMINISTRATION], field_name="code"
    )
    count = 0
    for code in (*JOINED_COMMUNES, *NOT_JOINED_COMMUNES):
        admin = admins.get(code)
        if admin is None:
            continue
        joined = code in JOINED_COMMUNES
        CivilStatusOffice.objects.update_or_create(
            code=f"bec-{code}",
            defaults={
                "kind": OfficeKind.BEC,
                "name_ar": f"مكتب الحالة المدنية - {admin.name_ar}",
                "name_fr": f"Bureau d'état civil - {admin.name_fr}",
                "name_en": f"Civil-status office - {admin.name_en or admin.name_fr}",
                "commune": admin.commune,
                "administration": admin,
                "joined": joined,
                "joined_on": date(2021, 12, 2) if joined else None,  # DGCL circular (DOMAIN.md §3)
            },
        )
        count += 1
    consular = admins.get(CONSULAR_ADMINISTRATION)
    if consular is not None:
        for code, country, name_ar, name_fr, joined in CONSULATES:
            CivilStatusOffice.objects.update_or_create(
                code=code,
                defaults={
                    "kind": OfficeKind.CONSULATE,
                    "name_ar": name_ar,
                    "name_fr": name_fr,
                    "country": country,
                    "administration": consular,
                    "joined": joined,
                    "joined_on": date(2022, 1, 1) if joined else None,
                },
            )
            count += 1
    return count


def _consular_officer(consular: Administration | None):
    if consular is None:
        return None
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from tawasul.accounts.services import membership_grant

    user, _created = User.objects.update_or_create(
        username=CONSULAR_OFFICER,
        defaults={
            "email": CONSULAR_OFFICER,
            "first_name": "Rachid",
            "last_name": "Ouazzani",
            "is_active": True,
            "password": make_password(DEMO_PASSWORD),
        },
    )
    EmailAddress.objects.update_or_create(
        user=user, email=CONSULAR_OFFICER, defaults={"verified": True, "primary": True}
    )
    if not user.memberships.filter(administration=consular, role=Role.CIVIL_STATUS_OFFICER).exists():
        membership_grant(actor=None, user=user, administration=consular, role=Role.CIVIL_STATUS_OFFICER)
    return user


def _place(office: CivilStatusOffice, index: int) -> Case:
    first_ar, last_ar, first_lat, last_lat, sex = HOLDERS[index % len(HOLDERS)]
    return order_submit(
        actor=Actor(user=None, roles=frozenset({"requester"})),
        office=office,
        doc_type="birth_full_copy" if index % 3 == 0 else "birth_extract",
        copies=1 + index % 3,
        holder_first_name_ar=first_ar,
        holder_last_name_ar=last_ar,
        holder_first_name_latin=first_lat,
        holder_last_name_latin=last_lat,
        holder_birth_date=date(1970 + index, 1 + index % 12, 1 + index % 28),
        holder_sex=sex,
        act_year=1970 + index,
        act_number=str(100 + index * 7),
        father_first_name="أحمد",
        mother_first_name="فاطمة",
        orderer_relation="self",
        recipient_name=f"{first_lat} {last_lat}",
        address=f"{10 + index} avenue Mohammed V",
        city="Rabat" if index % 4 else "Paris",
        postal_code="10000" if index % 4 else "75001",
        country="MA" if index % 4 else "FR",
        email=f"documents.demo{index}@example.ma",
        phone="0612345678",
        language="fr" if index % 2 else "ar",
        idempotency_key=f"demo-documents-{index}",
    )


def item_number(serial: int) -> str:
    """A well-formed UPU S10 registered item number for `serial` (8 digits), posted in Morocco."""
    digits = f"{serial % 10**8:08d}"
    check = 11 - sum(int(d) * w for d, w in zip(digits, (8, 6, 4, 2, 3, 5, 9, 7), strict=True)) % 11
    return f"RR{digits}{ {10: 0, 11: 5}.get(check, check) }MA"


def _walk(case: Case, stop: str, officer) -> None:
    """Move a placed order along the table up to `stop`, as the platform and the officer would."""
    if stop == "awaiting_payment":
        return
    if stop == "cancelled":
        order_cancel(case=case, actor=Actor.requester(case))
        return
    payment_confirm(token=payment_start(case=case).token, provider_reference=f"demo-{case.pk}")
    if stop == "transmitted":
        return
    staff = actor_for(officer, case)
    if stop in ("refund_pending", "refunded"):
        order_reject(case=case, actor=staff, reason="data_mismatch")
        if stop == "refunded":
            order_refund_confirm(case=case)
        return
    steps = ["start_check", "issue", "hand_to_post", "mark_in_transit"]
    targets = {"in_process": 1, "issued": 2, "handed_to_post": 3, "in_transit": 4, "delivered": 4, "returned": 4}
    for action in steps[: targets[stop]]:
        if action == "hand_to_post":
            order_hand_to_post(case=case, actor=staff, item_number=item_number(20260000 + case.pk))
        else:
            case_transition(case=case, action=action, actor=staff)
    if stop == "delivered":
        case_transition(case=case, action="mark_delivered", actor=staff)
    elif stop == "returned":
        case_transition(case=case, action="mark_returned", actor=staff)


def load(stdout) -> None:
    install_default_prices()
    offices = _offices(stdout)
    consular = Administration.objects.filter(code=CONSULAR_ADMINISTRATION).first()
    _consular_officer(consular)
    stdout.write(f"  {offices} civil-status offices; officers {RABAT_OFFICER} and {CONSULAR_OFFICER}")
    office = CivilStatusOffice.objects.filter(code=DEMO_OFFICE).first()
    officer = User.objects.filter(username=RABAT_OFFICER).first()
    if office is None or officer is None or Case.objects.filter(portal=PORTAL).exists():
        return
    for index, stop in enumerate(STOPS):
        _walk(_place(office, index), stop, officer)
    stdout.write(f"  {len(STOPS)} document orders, one in each status")
