"""Information requests for tests, filed through the real services (never written around them)."""

from __future__ import annotations

import itertools

from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.tests.factories import make_staff
from tawasul.information.services import info_request_submit
from tawasul.registry.tests.factories import AdministrationFactory

_numbers = itertools.count(1)

REQUESTER = Actor(user=None, roles=frozenset({"requester"}))


def make_request(administration=None, **fields):
    administration = administration or AdministrationFactory()
    defaults = {
        "requester_type": "ma_citizen",
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "id_number": "AB123456",
        "address": "12 rue Allal Ben Abdellah, Rabat",
        "email": f"requester{next(_numbers)}@example.ma",
        "phone": "0612345678",
        "subject": "Budget de la commune 2025",
        "description": "Je demande le budget voté de la commune pour l'année 2025 et son exécution.",
        "delivery_mode": "email",
        "language": "fr",
    }
    defaults.update(fields)
    return info_request_submit(actor=REQUESTER, administration=administration, **defaults)


def staff_actor(case, role="information_officer", administration=None):
    user = make_staff(administration or case.administration, role=role)
    return actor_for(user, case)


def cdai(**fields):
    from tawasul.registry.models import Administration

    existing = Administration.objects.filter(code="cdai").first()
    return existing or AdministrationFactory(
        code="cdai", name_ar="لجنة الحق في الحصول على المعلومات", name_fr="CDAI", **fields
    )
