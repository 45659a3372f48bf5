"""Deadlines of law 31-13 on real 2026 dates across Moroccan holidays (DOMAIN.md §1.6, §8, R1).

2026 holidays used here: Throne Day Thu 30 July, Oued Eddahab Fri 14 August, Revolution of the
King and the People Thu 20 August, Youth Day Fri 21 August; Green March Fri 6 November,
Independence Day Wed 18 November."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import translation

from tawasul.cases.models import CaseEvent
from tawasul.core.calendar import local_date
from tawasul.information.models import ExtensionReason
from tawasul.information.services import info_request_extend
from tawasul.notifications.models import Notification

from .factories import make_request, staff_actor

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


def _at(day: date, hour: int = 10):
    return time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=CASA), tick=False)


def test_normal_request_is_answered_within_20_working_days_skipping_throne_day_and_14_august():
    # Received Monday 20 July 2026: day 1 is 21 July; 30 July and 14 August are holidays.
    with _at(date(2026, 7, 20)):
        case = make_request()
    assert case.kind == "request"
    assert case.reference.startswith("INF-2026-")
    assert local_date(case.answer_due_at) == date(2026, 8, 19)
    assert case.answer_due_at.astimezone(CASA).hour == 23  # the end of the last day


def test_urgent_request_is_answered_within_3_calendar_days_even_over_a_holiday():
    # Art. 17; DOMAIN.md R1: calendar days by default. Received the eve of Throne Day.
    with _at(date(2026, 7, 29)):
        case = make_request(is_urgent=True, urgency_reason="Un malade attend le dossier médical.")
    assert case.kind == "urgent_request"
    assert local_date(case.answer_due_at) == date(2026, 8, 1)


def test_urgent_request_without_a_reason_is_refused():
    with pytest.raises(ValidationError) as refused:
        make_request(is_urgent=True, urgency_reason="  ")
    assert refused.value.code == "urgency_reason_required"


def test_extension_in_time_adds_20_working_days_and_tells_the_requester_why():
    # Received Monday 2 November 2026: 6 and 18 November are holidays.
    with _at(date(2026, 11, 2)):
        case = make_request(language="fr")
    assert local_date(case.answer_due_at) == date(2026, 12, 2)
    officer = staff_actor(case)
    with _at(date(2026, 12, 2), hour=15):  # the last day of the first period
        case = info_request_extend(case=case, actor=officer, reason="large_volume", note="Plusieurs archives.")
    assert case.extension_days == 20
    # 40 working days from 2 November: 2 December + 20 working days (no holiday in December).
    assert local_date(case.answer_due_at) == date(2026, 12, 30)
    event = CaseEvent.objects.get(case=case, action="deadline_extended")
    assert event.is_public and event.payload["reason_code"] == "large_volume"
    assert "Plusieurs archives." in event.payload["reason"]
    mail = Notification.objects.filter(to=case.email, template="case_updated").latest("pk")
    assert "Plusieurs archives." in mail.context["note"]
    with translation.override("fr"):  # the legal reason, in the requester's language
        assert str(ExtensionReason.LARGE_VOLUME.label) in mail.context["note"]


def test_extension_asked_one_day_too_late_is_refused():
    with _at(date(2026, 11, 2)):
        case = make_request()
    officer = staff_actor(case)
    assert local_date(case.answer_due_at) == date(2026, 12, 2)
    with _at(date(2026, 12, 3), hour=9), pytest.raises(ValidationError) as refused:
        info_request_extend(case=case, actor=officer, reason="large_volume")
    assert refused.value.code == "extension_too_late"
    case.refresh_from_db()
    assert case.extension_days == 0 and not CaseEvent.objects.filter(case=case, action="deadline_extended").exists()


def test_extension_is_allowed_once_only():
    with _at(date(2026, 11, 2)):
        case = make_request()
        officer = staff_actor(case)
        info_request_extend(case=case, actor=officer, reason="third_party_consultation")
        with pytest.raises(ValidationError) as again:
            info_request_extend(case=case, actor=officer, reason="large_volume")
    assert again.value.code == "already_extended"


def test_extension_needs_one_of_the_legal_reasons():
    case = make_request()
    with pytest.raises(ValidationError):
        info_request_extend(case=case, actor=staff_actor(case), reason="busy")


def test_requester_and_complaints_staff_cannot_extend():
    from tawasul.cases.actors import Actor
    from tawasul.cases.services import CaseActionRefused

    case = make_request()
    with pytest.raises(CaseActionRefused):
        info_request_extend(case=case, actor=Actor.requester(case), reason="large_volume")
    with pytest.raises(CaseActionRefused):
        info_request_extend(case=case, actor=staff_actor(case, role="officer"), reason="large_volume")


def test_an_urgent_request_cannot_be_extended():
    from tawasul.cases.services import CaseActionRefused

    case = make_request(is_urgent=True, urgency_reason="Danger pour la vie d'une personne")
    with pytest.raises(CaseActionRefused):
        info_request_extend(case=case, actor=staff_actor(case), reason="large_volume")


def test_first_deadline_and_extension_are_working_days_not_calendar_days():
    with _at(date(2026, 7, 20)):
        case = make_request()
    assert (local_date(case.answer_due_at) - date(2026, 7, 20)) > timedelta(days=28)
