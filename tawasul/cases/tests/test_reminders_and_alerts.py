"""Staff reminders D-5 and D-1 working days before the answer deadline, and the staff alerts
(issue 4 "sends reminders (D-5 and D-1 working days)", "Staff notifications").

A complaint filed Wednesday 29 July 2026 must be answered by Sunday 27 September (60 calendar
days). Working days before it (DOMAIN.md §8: Monday-Friday, no holiday in September 2026):
D-1 is Friday 25 September, D-5 is Monday 21 September.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import translation

from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Case, CaseEvent, Message
from tawasul.cases.services import case_add_message, case_assign, case_escalate, case_transition
from tawasul.cases.tasks import sweep_once
from tawasul.notifications.models import Notification, StaffAlert
from tawasul.notifications.selectors import staff_alert_unread_count, staff_alerts_for
from tawasul.notifications.services import staff_alerts_mark_read

from .factories import make_administration, make_case, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in the msgids' language (English); translations are checked by
    check_translations."""
    with translation.override("en"):
        yield


CASABLANCA = ZoneInfo("Africa/Casablanca")
D_MINUS_5 = dt.date(2026, 9, 21)
D_MINUS_1 = dt.date(2026, 9, 25)


def at(*args):
    return dt.datetime(*args, tzinfo=CASABLANCA)


def start_of(day):
    return dt.datetime.combine(day, dt.time(0, 5), tzinfo=CASABLANCA)


@pytest.fixture
def unit():
    administration = make_administration()
    return {
        "administration": administration,
        "officer": make_staff(administration, role="officer"),
        "deputy": make_staff(administration, role="deputy"),
        "head": make_staff(administration, role="head_of_unit"),
    }


def _file(administration, **fields):
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        case = make_case(administration, **fields)
    # Keep the ladder out of the way: the case is being handled (a qualifying note every day
    # would do the same); reminders are about the answer deadline only.
    Case.objects.filter(pk=case.pk).update(next_escalation_at=None)
    return Case.objects.get(pk=case.pk)


def _reminders(case):
    return list(
        CaseEvent.objects.filter(case=case, action="reminder_sent").values_list(
            "payload__working_days_before", flat=True
        )
    )


def test_reminders_go_out_on_d_minus_5_and_d_minus_1_once_each(unit):
    case = _file(unit["administration"])
    assert sweep_once(now=at(2026, 9, 20, 23, 0))["reminded"] == 0
    assert sweep_once(now=start_of(D_MINUS_5))["reminded"] == 1
    assert sweep_once(now=start_of(D_MINUS_5) + dt.timedelta(hours=9))["reminded"] == 0
    assert sweep_once(now=at(2026, 9, 24, 23, 0))["reminded"] == 0
    assert sweep_once(now=start_of(D_MINUS_1))["reminded"] == 1
    assert sweep_once(now=at(2026, 9, 27, 12, 0))["reminded"] == 0
    assert _reminders(case) == [5, 1]
    assert all(not e.is_public for e in CaseEvent.objects.filter(case=case, action="reminder_sent"))


def test_reminders_go_to_the_level_one_officers_as_alert_and_email(unit):
    case = _file(unit["administration"])
    sweep_once(now=start_of(D_MINUS_5))
    mails = Notification.objects.filter(template="case_reminder_staff")
    assert sorted(n.to for n in mails) == sorted([unit["officer"].email, unit["deputy"].email])
    assert {n.context["answer_due"] for n in mails} == {"2026-09-27"}
    alerts = StaffAlert.objects.filter(kind="reminder", case_reference=case.reference)
    assert {a.user_id for a in alerts} == {unit["officer"].pk, unit["deputy"].pk}
    assert all(a.digested_at is not None for a in alerts)  # emailed now: not repeated in the digest


def test_reminders_go_to_the_assignee_when_there_is_one(unit):
    case = _file(unit["administration"])
    case_assign(case=case, actor=actor_for(unit["head"], case), assignee=unit["deputy"])
    sweep_once(now=start_of(D_MINUS_5))
    assert [n.to for n in Notification.objects.filter(template="case_reminder_staff")] == [unit["deputy"].email]


def test_a_deadline_that_moved_gets_its_own_reminders(unit):
    case = _file(unit["administration"])
    sweep_once(now=start_of(D_MINUS_5))
    officer = actor_for(unit["officer"], case)
    with time_machine.travel(at(2026, 9, 21, 10, 0), tick=False):
        case = case_transition(case=case, action="start", actor=officer)
        case = case_transition(case=case, action="request_information", actor=officer, note="La facture ?")
    assert sweep_once(now=start_of(D_MINUS_1))["reminded"] == 0  # paused: no reminder
    with time_machine.travel(at(2026, 9, 28, 10, 0), tick=False):  # 7 days later
        case = case_transition(case=case, action="provide_information", actor=Actor.requester(case), note="Voici.")
    assert case.answer_due_at == dt.datetime.combine(dt.date(2026, 10, 4), dt.time.max, tzinfo=CASABLANCA)
    # New deadline Sunday 4 October: D-5 is Monday 28 September (already reached), D-1 Friday 2.
    assert sweep_once(now=at(2026, 9, 28, 12, 0))["reminded"] == 1
    assert sweep_once(now=start_of(dt.date(2026, 10, 2)))["reminded"] == 1
    assert _reminders(case) == [5, 5, 1]


def test_a_deadline_already_close_sends_only_the_nearest_reminder(unit):
    case = _file(unit["administration"])
    assert sweep_once(now=start_of(D_MINUS_1))["reminded"] == 1  # the sweep was down all week
    assert _reminders(case) == [1]
    assert sweep_once(now=start_of(D_MINUS_1) + dt.timedelta(hours=1))["reminded"] == 0


def test_no_reminder_for_an_answered_case(unit):
    case = _file(unit["administration"])
    officer = actor_for(unit["officer"], case)
    case = case_transition(case=case, action="start", actor=officer)
    case_transition(case=case, action="answer", actor=officer, note="Réponse.")
    assert sweep_once(now=start_of(D_MINUS_5))["reminded"] == 0


# --- Staff alerts ------------------------------------------------------------------------------


def test_assignment_alerts_the_assignee_but_not_who_assigns_themself(unit):
    case = make_case(unit["administration"])
    head = actor_for(unit["head"], case)
    case_assign(case=case, actor=head, assignee=unit["officer"])
    case_assign(case=case, actor=actor_for(unit["deputy"], case), assignee=unit["deputy"])
    assert list(StaffAlert.objects.filter(kind="assigned").values_list("user_id", flat=True)) == [unit["officer"].pk]


def test_a_requester_message_alerts_the_assignee_else_the_level_one_officers(unit):
    case = make_case(unit["administration"])
    case_add_message(case=case, actor=Actor.requester(case), kind=Message.Kind.CITIZEN_MESSAGE, body="Du nouveau.")
    alerted = set(StaffAlert.objects.filter(kind="requester_update").values_list("user_id", flat=True))
    assert alerted == {unit["officer"].pk, unit["deputy"].pk}
    StaffAlert.objects.all().delete()
    case_assign(case=case, actor=actor_for(unit["head"], case), assignee=unit["officer"])
    case_add_message(case=case, actor=Actor.requester(case), kind=Message.Kind.CITIZEN_MESSAGE, body="Encore.")
    assert list(StaffAlert.objects.filter(kind="requester_update").values_list("user_id", flat=True)) == [
        unit["officer"].pk
    ]


def test_information_provided_alerts_the_assignee(unit):
    case = make_case(unit["administration"])
    officer = actor_for(unit["officer"], case)
    case_assign(case=case, actor=officer, assignee=unit["deputy"])
    case = case_transition(case=case, action="start", actor=officer)
    case = case_transition(case=case, action="request_information", actor=officer, note="La facture ?")
    case_transition(case=case, action="provide_information", actor=Actor.requester(case), note="Voici.")
    (alert,) = StaffAlert.objects.filter(kind="requester_update")
    assert alert.user_id == unit["deputy"].pk
    assert alert.display_text == f"The requester sent the information requested on case {case.reference}."


def test_alerts_are_each_users_own_and_mark_read(unit):
    case = make_case(unit["administration"])
    case_add_message(case=case, actor=Actor.requester(case), kind=Message.Kind.CITIZEN_MESSAGE, body="Bonjour.")
    officer, deputy = unit["officer"], unit["deputy"]
    assert staff_alert_unread_count(officer) == 1 and staff_alerts_for(officer).get().user_id == officer.pk
    deputy_alert = staff_alerts_for(deputy).get()
    assert staff_alerts_mark_read(user=officer, ids=[deputy_alert.pk]) == 0  # not theirs: ignored
    assert staff_alert_unread_count(deputy) == 1
    assert staff_alerts_mark_read(user=officer) == 1
    assert staff_alert_unread_count(officer) == 0


def test_a_confidential_case_leaves_no_identity_in_any_alert_or_staff_email(unit):
    secret = {"first_name": "Zineb", "last_name": "Confidentielle", "id_number": "ZZ998877", "phone": "0661234567"}
    case = _file(unit["administration"], is_confidential=True, email="zineb.secret@example.ma", **secret)
    Case.objects.filter(pk=case.pk).update(next_escalation_at=at(2026, 8, 3, 23, 59))
    case_escalate(case=Case.objects.get(pk=case.pk), now=at(2026, 8, 4, 0, 5))
    case_add_message(case=case, actor=Actor.requester(case), kind=Message.Kind.CITIZEN_MESSAGE, body="Merci.")
    sweep_once(now=start_of(D_MINUS_5))
    from tawasul.notifications.services import staff_digest_send

    staff_digest_send(user=unit["officer"])
    staff_texts = [str(a.params) + a.display_text + a.url for a in StaffAlert.objects.all()]
    staff_mails = Notification.objects.exclude(to="zineb.secret@example.ma")
    assert {n.template for n in staff_mails} >= {"case_escalated_staff", "case_reminder_staff", "staff_digest"}
    from tawasul.notifications.sending import render

    rendered = [" ".join(render(n)) + str(n.context) for n in staff_mails]
    for text in staff_texts + rendered:
        for value in [*secret.values(), "zineb.secret", "+212661234567"]:
            assert value not in text
