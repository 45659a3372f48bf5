"""The core's answer-deadline extension (law 31-13 art. 16 is its first user): once, before the
deadline, on an open case, with a reason; it moves the answer date by the given days."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tawasul.cases.actors import Actor
from tawasul.cases.models import CaseEvent
from tawasul.cases.services import CaseActionRefused, case_extend_answer_deadline
from tawasul.core.calendar import local_date

from .factories import make_case

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")
OFFICER = Actor(user=None, roles=frozenset({"officer"}))


def test_extension_moves_the_answer_deadline_once_and_is_a_public_event():
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=CASA), tick=False):
        case = make_case()
        before = case.answer_due_at
        case = case_extend_answer_deadline(case=case, actor=OFFICER, days=20, reason="Volume of documents")
        assert case.extension_days == 20
        assert (local_date(case.answer_due_at) - local_date(before)).days == 20  # calendar-day policy
        event = CaseEvent.objects.get(case=case, action="deadline_extended")
        assert event.is_public and event.payload["reason"] == "Volume of documents"
        with pytest.raises(ValidationError) as again:
            case_extend_answer_deadline(case=case, actor=OFFICER, days=20, reason="again")
        assert again.value.code == "already_extended"


def test_extension_asked_after_the_deadline_is_refused():
    with time_machine.travel(datetime(2026, 7, 1, 10, tzinfo=CASA), tick=False):
        case = make_case()
    late = time_machine.travel(case.answer_due_at + timedelta(seconds=1), tick=False)
    with late, pytest.raises(ValidationError) as refused:
        case_extend_answer_deadline(case=case, actor=OFFICER, days=20, reason="late")
    assert refused.value.code == "extension_too_late"


def test_the_requester_cannot_extend():
    case = make_case()
    with pytest.raises(CaseActionRefused):
        case_extend_answer_deadline(case=case, actor=Actor.requester(case), days=20, reason="x")
