"""Law 31-13's ladder, not the complaints one: an unassigned request's reminders and its first
escalation reach the information officer, then the head of the body (DOMAIN.md §1.6, §1.8)."""

import pytest

from tawasul.accounts.roles import Role
from tawasul.cases.services import case_staff_recipients
from tawasul.cases.workflow import get_workflow

from .factories import make_request

pytestmark = pytest.mark.django_db


def test_an_unassigned_request_goes_to_the_information_officer_not_the_complaints_officer():
    from tawasul.cases.tests.factories import make_staff

    case = make_request()
    complaints_officer = make_staff(case.administration, role=Role.OFFICER)
    information_officer = make_staff(case.administration, role=Role.INFORMATION_OFFICER)
    recipients = case_staff_recipients(case)
    assert information_officer in recipients and complaints_officer not in recipients


def test_the_head_of_the_body_is_the_second_level():
    assert Role.BODY_HEAD in get_workflow("information").roles_at(2)
    assert get_workflow("complaints").roles_at(2) == frozenset({Role.HEAD_OF_UNIT})
