"""Offices and orders for tests, placed through the real services (never written around them)."""

from __future__ import annotations

import datetime
import itertools

from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.tests.factories import make_staff
from tawasul.documents.models import CivilStatusOffice, OfficeKind
from tawasul.documents.services import order_submit, payment_confirm, payment_start
from tawasul.registry.tests.factories import AdministrationFactory

_numbers = itertools.count(1)

REQUESTER = Actor(user=None, roles=frozenset({"requester"}))


def make_office(administration=None, *, joined=True, **fields) -> CivilStatusOffice:
    n = next(_numbers)
    defaults = {
        "code": f"bec-test-{n}",
        "kind": OfficeKind.BEC,
        "name_ar": f"مكتب الحالة المدنية {n}",
        "name_fr": f"Bureau d'état civil {n}",
        "joined": joined,
    }
    defaults.update(fields)
    return CivilStatusOffice.objects.create(
        administration=administration or AdministrationFactory(kind="commune"), **defaults
    )


def order_fields(**overrides) -> dict:
    fields = {
        "doc_type": "birth_extract",
        "copies": 1,
        "holder_first_name_ar": "أمينة",
        "holder_last_name_ar": "العلوي",
        "holder_first_name_latin": "Amina",
        "holder_last_name_latin": "Alaoui",
        "holder_birth_date": datetime.date(1990, 5, 17),
        "holder_sex": "f",
        "act_year": 1990,
        "act_number": "1234",
        "father_first_name": "أحمد",
        "mother_first_name": "فاطمة",
        "orderer_relation": "self",
        "recipient_name": "Amina Alaoui",
        "address": "12 avenue Mohammed V",
        "city": "Rabat",
        "postal_code": "10000",
        "country": "MA",
        "email": f"orderer{next(_numbers)}@example.ma",
        "phone": "0612345678",
        "language": "fr",
    }
    fields.update(overrides)
    return fields


def make_order(office=None, **overrides):
    return order_submit(actor=REQUESTER, office=office or make_office(), **order_fields(**overrides))


def pay(case):
    payment = payment_start(case=case)
    return payment_confirm(token=payment.token, provider_reference="test", amount=payment.amount)


def civil_status_officer(case_or_administration):
    administration = getattr(case_or_administration, "administration", case_or_administration)
    return make_staff(administration, role=Role.CIVIL_STATUS_OFFICER)


def officer_actor(case):
    return actor_for(civil_status_officer(case), case)
