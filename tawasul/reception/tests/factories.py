"""Test helpers of the reception program: a site (through the service), answers in bulk."""

from __future__ import annotations

import itertools

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.reception.models import ChecklistItem, CheckState, SurveyAnswer
from tawasul.reception.rules import QUESTION_FIELDS
from tawasul.reception.services import site_create, site_update_checklist
from tawasul.registry.tests.factories import AdministrationFactory

_nonces = itertools.count()


def make_site(administration=None, *, actor=None, compliant: bool = False, **facility_fields):
    administration = administration or AdministrationFactory()
    actor = actor or make_staff(administration, role=Role.HEAD_OF_UNIT)
    facility = FacilityFactory(administration=administration, **facility_fields)
    site = site_create(actor=actor, facility=facility)
    if compliant:
        site_update_checklist(
            actor=actor, site=site, items={item: {"state": CheckState.COMPLIANT} for item in ChecklistItem.values}
        )
    return site


def make_answers(site, count: int, *, score: int = 4, answered_on=None, **fields):
    import datetime as dt

    day = answered_on or dt.date(2026, 11, 16)
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(
            site=site,
            answered_on=day,
            nonce=f"test-{next(_nonces)}",
            **dict.fromkeys(QUESTION_FIELDS, score),
            **fields,
        )
        for _ in range(count)
    )
