"""Every refusal (explicit, partial or implicit) shows the recourse routes with their last dates,
and the complaints to the head and to the CDAI are filed on the platform, linked to the request
(DOMAIN.md §1.6, R1; issue 5 "Deadlines and recourse")."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tawasul.cases.models import CaseEvent
from tawasul.cases.services import CaseActionRefused
from tawasul.core.calendar import local_date
from tawasul.information.models import InfoRequest
from tawasul.information.recourse import recourse_for
from tawasul.information.services import (
    info_complaint_to_cdai_file,
    info_complaint_to_head_file,
    info_request_answer,
    info_request_refuse,
)

from .factories import REQUESTER, cdai, make_request, staff_actor

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


def _at(y, m, d, hour=10):
    return time_machine.travel(datetime(y, m, d, hour, tzinfo=CASA), tick=False)


def test_no_recourse_while_the_request_is_open_or_fully_answered():
    with _at(2026, 7, 20):
        case = make_request()
        assert recourse_for(case) is None
        case = info_request_answer(case=case, actor=staff_actor(case), outcome="full", note="Voici.")
        assert recourse_for(case) is None


def test_explicit_refusal_shows_the_head_complaint_deadline_in_working_days():
    with _at(2026, 7, 20):
        case = make_request()
    # Refused Friday 24 July; 30 July, 14, 20 and 21 August and Mawlid (25-26 August, estimated)
    # are holidays: the 20th working day is Monday 31 August.
    with _at(2026, 7, 24):
        case = info_request_refuse(case=case, actor=staff_actor(case), ground="state_security", note="Sécurité.")
        recourse = recourse_for(case)
    assert recourse.refusal == "refused"
    assert local_date(recourse.head_until) == date(2026, 8, 31)
    assert recourse.can_file_head and not recourse.can_file_cdai
    assert recourse.cdai_until is None and recourse.court_until is None


def test_implicit_refusal_opens_recourse_the_day_after_the_deadline():
    with _at(2026, 7, 20):
        case = make_request()
    with _at(2026, 8, 19, hour=23):
        assert recourse_for(case) is None  # still within the last day
    with _at(2026, 8, 20):
        recourse = recourse_for(case)
    assert recourse.refusal == "implicit"
    assert local_date(recourse.opened_at) == date(2026, 8, 19)
    # 20 working days after 19 August: 20, 21 August holidays; no other holiday until mid-September
    # except Mawlid (estimated), which the calendar knows.
    assert recourse.head_until > recourse.opened_at


def test_partial_answer_then_head_then_cdai_then_court_dates_chain():
    commission = cdai()
    with _at(2026, 3, 2):
        case = make_request()
    with _at(2026, 3, 10):
        case = info_request_answer(
            case=case, actor=staff_actor(case), outcome="partial", ground="private_life", note="En partie."
        )
        assert recourse_for(case).refusal == "partial"
        head = info_complaint_to_head_file(parent=case, actor=REQUESTER, description="La partie retenue est publique.")
    assert head.kind == "complaint_to_head" and head.administration == case.administration
    assert head.details["parent_reference"] == case.reference
    assert InfoRequest.objects.get(case=head).parent.case == case
    assert local_date(head.answer_due_at) == date(2026, 3, 25)  # 15 calendar days [M]
    assert CaseEvent.objects.filter(case=case, action="complaint_filed", is_public=True).exists()
    with _at(2026, 3, 11):
        with pytest.raises(CaseActionRefused):  # once only
            info_complaint_to_head_file(parent=case, actor=REQUESTER, description="Encore une fois, svp.")
        with pytest.raises(CaseActionRefused):  # the head has neither answered nor run out of time
            info_complaint_to_cdai_file(parent=head, actor=REQUESTER, description="Trop tôt pour la CDAI.")
    with _at(2026, 3, 20):
        head_actor = staff_actor(head, role="body_head")
        officer = staff_actor(head)
        with pytest.raises(CaseActionRefused):  # the officer does not decide a complaint against the body
            info_request_answer(case=head, actor=officer, outcome="full", note="x")
        head = info_request_answer(case=head, actor=head_actor, outcome="partial", ground="private_life", note="Non.")
        recourse = recourse_for(case)
    assert local_date(recourse.cdai_until) == date(2026, 4, 19)
    assert recourse.can_file_cdai
    with _at(2026, 3, 23):
        complaint = info_complaint_to_cdai_file(parent=head, actor=REQUESTER, description="Je saisis la commission.")
        recourse = recourse_for(case)
    assert complaint.administration == commission and complaint.kind == "complaint_to_cdai"
    assert local_date(complaint.answer_due_at) == date(2026, 4, 22)  # 30 days
    assert recourse.cdai_case == complaint
    assert local_date(recourse.court_until) == date(2026, 6, 21)  # CDAI deadline + 60 days
    agent = staff_actor(complaint, role="cdai_agent")
    complaint = info_request_answer(case=complaint, actor=agent, outcome="full", note="La commission ordonne.")
    assert complaint.status == "answered"


def test_head_complaint_after_its_last_date_is_refused():
    with _at(2026, 7, 20):
        case = make_request()
        case = info_request_refuse(case=case, actor=staff_actor(case), ground="state_security", note="Non.")
    with _at(2026, 9, 30), pytest.raises(CaseActionRefused):
        info_complaint_to_head_file(parent=case, actor=REQUESTER, description="Trop tard sans doute.")
