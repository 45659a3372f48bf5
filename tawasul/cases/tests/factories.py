"""Cases for tests are filed through the real service, never written around it."""

from __future__ import annotations

import datetime
import itertools

from tawasul.accounts.tests.factories import MembershipFactory, UserFactory, make_administration
from tawasul.cases.actors import Actor
from tawasul.cases.services import case_create

_numbers = itertools.count(1)


def make_case(administration=None, *, actor=None, **fields):
    defaults = {
        "portal": "test_complaints",
        "kind": "complaint",
        "channel": "web",
        "subject": "Retard de délivrance",
        "description": "لم أتوصل بالوثيقة منذ شهرين",
        "first_name": "Amina",
        "last_name": "El Idrissi",
        "id_type": "cin",
        "id_number": "AB123456",
        "email": f"Citizen{next(_numbers)}@Example.MA",
        "phone": "0612345678",
    }
    defaults.update(fields)
    return case_create(
        administration=administration or make_administration(),
        actor=actor or Actor(user=None, roles=frozenset({"requester"})),
        **defaults,
    )


#: Memberships of test staff start well before the 2026 dates the tests travel to.
STAFF_SINCE = datetime.date(2020, 1, 1)


def make_staff(administration, role="officer"):
    return MembershipFactory(administration=administration, role=role, user=UserFactory(), starts_on=STAFF_SINCE).user


__all__ = ["UserFactory", "make_administration", "make_case", "make_staff"]
