"""The SLA clock through the periodic sweep, on real 2026 dates (issue 4 "What it must show").

Expected dates are worked out here from the rules, not read from the code:
- DOMAIN.md R2 / §7: no qualifying action 2 working days after arrival → level 2; 2 more working
  days → level 3; a deadline is the end of its last day in Morocco.
- DOMAIN.md §8: Monday-Friday; Throne Day Thursday 30 July 2026; Oued Ed-Dahab Friday 14 August.
- Decree 2-17-265: the answer within 60 calendar days, pushed back by the days spent waiting.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.selectors import case_public_timeline
from tawasul.cases.services import case_transition
from tawasul.cases.tasks import sweep_once
from tawasul.notifications.models import Notification, StaffAlert

from .factories import make_administration, make_case, make_staff

pytestmark = pytest.mark.django_db

CASABLANCA = ZoneInfo("Africa/Casablanca")


def at(*args):
    return dt.datetime(*args, tzinfo=CASABLANCA)


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.max, tzinfo=CASABLANCA)


# Wednesday 29 July 2026, the day of filing. Thursday 30 is Throne Day, 1-2 August a weekend.
FILED = at(2026, 7, 29, 10, 0)
LEVEL_2_DAY = dt.date(2026, 8, 3)  # working day 1: Fri 31 July; working day 2: Mon 3 August
LEVEL_3_DAY = dt.date(2026, 8, 5)  # two more: Tue 4, Wed 5 August
ANSWER_DAY = dt.date(2026, 9, 27)  # 29 July + 60 calendar days


@pytest.fixture
def ladder():
    """An administration with its three levels (SPEC.md §1): officer, head of unit, higher management."""
    administration = make_administration()
    return {
        "administration": administration,
        1: make_staff(administration, role="officer"),
        2: make_staff(administration, role="head_of_unit"),
        3: make_staff(administration, role="higher_management"),
    }


def _file(administration, **fields):
    with time_machine.travel(FILED, tick=False):
        return make_case(administration, **fields)


def test_filed_on_throne_day_eve_escalates_at_the_end_of_the_second_then_fourth_working_day(ladder):
    case = _file(ladder["administration"])
    assert case.next_escalation_at == end_of(LEVEL_2_DAY)
    assert case.answer_due_at == end_of(ANSWER_DAY)

    assert sweep_once(now=end_of(LEVEL_2_DAY) - dt.timedelta(minutes=1))["escalated"] == 0
    assert sweep_once(now=end_of(LEVEL_2_DAY) + dt.timedelta(seconds=1))["escalated"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 2 and case.next_escalation_at == end_of(LEVEL_3_DAY)

    assert sweep_once(now=end_of(LEVEL_3_DAY) - dt.timedelta(minutes=1))["escalated"] == 0
    assert sweep_once(now=end_of(LEVEL_3_DAY) + dt.timedelta(seconds=1))["escalated"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 3 and case.next_escalation_at is None


def test_each_escalation_tells_the_new_level_and_the_citizen_and_is_on_the_timeline(ladder):
    case = _file(ladder["administration"])
    sweep_once(now=at(2026, 8, 4, 0, 5))
    sweep_once(now=at(2026, 8, 6, 0, 5))
    staff_mails = Notification.objects.filter(template="case_escalated_staff").order_by("pk")
    assert [(n.to, n.context["level"]) for n in staff_mails] == [(ladder[2].email, 2), (ladder[3].email, 3)]
    citizen_mails = Notification.objects.filter(to=case.email, template="case_updated")
    assert [n.context["action"] for n in citizen_mails] == ["escalated", "escalated"]
    assert StaffAlert.objects.get(user=ladder[2], kind="escalated").params["level"] == 2
    assert StaffAlert.objects.get(user=ladder[3], kind="escalated").params["level"] == 3
    assert not StaffAlert.objects.filter(user=ladder[1], kind="escalated").exists()
    public = [entry.action for entry in case_public_timeline(case)]
    assert public.count("escalated") == 2


def test_a_qualifying_action_at_level_two_resets_the_timer_without_going_down(ladder):
    case = _file(ladder["administration"])
    sweep_once(now=at(2026, 8, 4, 0, 5))
    head = actor_for(ladder[2], Case.objects.get(pk=case.pk))
    with time_machine.travel(at(2026, 8, 5, 9, 0), tick=False):  # Wed 5: the head starts work on it
        case = case_transition(case=case, action="start", actor=head)
    # Two working days after Wed 5: Thu 6, Fri 7.
    assert case.escalation_level == 2 and case.next_escalation_at == end_of(dt.date(2026, 8, 7))
    assert sweep_once(now=at(2026, 8, 6, 0, 5))["escalated"] == 0


def test_a_pause_stops_the_clock_no_escalation_while_waiting_and_the_answer_date_moves(ladder):
    case = _file(ladder["administration"])
    officer = actor_for(ladder[1], case)
    with time_machine.travel(at(2026, 7, 31, 10, 0), tick=False):  # Fri 31 July
        case = case_transition(case=case, action="start", actor=officer)
        case = case_transition(case=case, action="request_information", actor=officer, note="Joignez la facture.")
    for day in (4, 7, 10):  # long past the two working days: nothing while waiting
        assert sweep_once(now=at(2026, 8, day, 0, 5))["escalated"] == 0
    with time_machine.travel(at(2026, 8, 10, 9, 0), tick=False):  # Mon 10 August: 10 days paused
        case = case_transition(
            case=case, action="provide_information", actor=Actor.requester(case), note="Voici la facture."
        )
    assert case.paused_days == 10
    assert case.answer_due_at == end_of(ANSWER_DAY + dt.timedelta(days=10))  # Wed 7 October
    # The step counts afresh from the reply: Tue 11, Wed 12 August.
    assert case.next_escalation_at == end_of(dt.date(2026, 8, 12))
    assert sweep_once(now=at(2026, 8, 11, 12, 0))["escalated"] == 0
    assert sweep_once(now=at(2026, 8, 13, 0, 5))["escalated"] == 1


def test_a_transfer_restarts_the_clock_in_the_receiving_administration(ladder):
    case = _file(ladder["administration"])
    sweep_once(now=at(2026, 8, 4, 0, 5))  # level 2 at the first administration
    target = make_administration()
    target_officer = make_staff(target, role="officer")
    target_head = make_staff(target, role="head_of_unit")
    officer = actor_for(ladder[1], Case.objects.get(pk=case.pk))
    with time_machine.travel(at(2026, 8, 5, 11, 0), tick=False):  # Wed 5 August
        case = case_transition(
            case=case, action="transfer", actor=officer, administration=target, payload={"reason": "Compétence."}
        )
    assert case.escalation_level == 1 and case.clock_started_at == at(2026, 8, 5, 11, 0)
    assert case.answer_due_at == end_of(dt.date(2026, 10, 4))  # 5 August + 60 days
    assert case.next_escalation_at == end_of(dt.date(2026, 8, 7))  # Thu 6, Fri 7
    assert StaffAlert.objects.filter(user=target_officer, kind="transfer_in").count() == 1
    assert sweep_once(now=at(2026, 8, 7, 23, 0))["escalated"] == 0
    assert sweep_once(now=at(2026, 8, 8, 0, 5))["escalated"] == 1
    assert Notification.objects.filter(template="case_escalated_staff", to=target_head.email).count() == 1


def test_a_holiday_override_inside_an_open_deadline_moves_it_and_never_skips_a_level(
    ladder, django_capture_on_commit_callbacks, run_tasks
):
    from tawasul.core.services import holiday_override_save

    case = _file(ladder["administration"])
    sweep_once(now=at(2026, 8, 4, 0, 5))
    case.refresh_from_db()
    assert case.escalation_level == 2 and case.next_escalation_at == end_of(LEVEL_3_DAY)
    with time_machine.travel(at(2026, 8, 4, 9, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            # An exceptional day off announced for Wednesday 5 August 2026.
            holiday_override_save(
                actor=None, day=dt.date(2026, 8, 5), kind="add", source="communiqué", name_fr="Jour chômé"
            )
        run_tasks()
    case.refresh_from_db()
    # Level 3 now after Tue 4 and Thu 6 (Wed 5 is off); still level 2 meanwhile.
    assert case.escalation_level == 2 and case.next_escalation_at == end_of(dt.date(2026, 8, 6))
    assert sweep_once(now=at(2026, 8, 5, 12, 0))["escalated"] == 0
    assert CaseEvent.objects.filter(case=case, action="escalated").count() == 1


def test_an_answered_or_closed_case_never_escalates(ladder):
    case = _file(ladder["administration"])
    officer = actor_for(ladder[1], case)
    with time_machine.travel(at(2026, 7, 31, 10, 0), tick=False):
        case_transition(case=case, action="start", actor=officer)
        case_transition(case=case, action="answer", actor=officer, note="Réponse.")
    assert sweep_once(now=at(2026, 8, 20)) == {"escalated": 0, "overdue": 0, "reminded": 0}


def test_an_automatic_acknowledgement_by_the_platform_does_not_reset_the_timer(ladder):
    case = _file(ladder["administration"])
    with time_machine.travel(at(2026, 7, 31, 10, 0), tick=False):
        case = case_transition(case=case, action="acknowledge", actor=Actor.system())
    assert case.last_qualifying_action_at is None
    assert case.next_escalation_at == end_of(LEVEL_2_DAY)
