"""The periodic SLA sweep: escalations and overdue marks, idempotent and safe in parallel."""

import datetime as dt
import threading
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.tasks import sweep_once
from tawasul.notifications.models import Notification

from .factories import make_administration, make_case, make_staff

CASABLANCA = ZoneInfo("Africa/Casablanca")


def at(*args):
    return dt.datetime(*args, tzinfo=CASABLANCA)


def file_cases_on_throne_day_eve(count, administration=None):
    """Filed Wed 29 July 2026 (Throne Day is Thu 30 July): level 2 after Mon 3 August."""
    administration = administration or make_administration()
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):
        return [make_case(administration) for _ in range(count)]


@pytest.mark.django_db
def test_sweep_escalates_after_two_working_days_then_two_more():
    (case,) = file_cases_on_throne_day_eve(1)
    assert sweep_once(now=at(2026, 8, 3, 23, 0)) == {"escalated": 0, "overdue": 0, "reminded": 0}
    assert sweep_once(now=at(2026, 8, 4, 0, 5))["escalated"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 2
    assert sweep_once(now=at(2026, 8, 5, 12, 0))["escalated"] == 0  # Wed 5 is still within the step
    assert sweep_once(now=at(2026, 8, 6, 0, 5))["escalated"] == 1
    case.refresh_from_db()
    assert case.escalation_level == 3
    assert sweep_once(now=at(2026, 8, 20))["escalated"] == 0  # the top of the ladder


@pytest.mark.django_db
def test_sweep_marks_overdue_once_after_sixty_calendar_days():
    (case,) = file_cases_on_throne_day_eve(1)
    assert sweep_once(now=at(2026, 9, 27, 23, 0))["overdue"] == 0  # due Sun 27 September 23:59:59
    assert sweep_once(now=at(2026, 9, 28, 0, 1))["overdue"] == 1
    assert sweep_once(now=at(2026, 9, 29))["overdue"] == 0
    case.refresh_from_db()
    assert case.is_overdue
    assert CaseEvent.objects.filter(case=case, action="overdue").count() == 1


@pytest.mark.django_db
def test_sweep_cost_follows_the_cases_due_not_the_cases_open(django_assert_max_num_queries):
    file_cases_on_throne_day_eve(30)
    # Nothing is due on Friday 31 July: three index look-ups (escalations, overdue marks,
    # reminders), whatever the number of open cases.
    with django_assert_max_num_queries(3):
        assert sweep_once(now=at(2026, 7, 31, 12, 0)) == {"escalated": 0, "overdue": 0, "reminded": 0}


@pytest.mark.django_db
def test_sweep_works_in_bounded_batches():
    file_cases_on_throne_day_eve(7)
    assert sweep_once(now=at(2026, 8, 4, 0, 5), batch=3)["escalated"] == 7
    assert set(Case.objects.values_list("escalation_level", flat=True)) == {2}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_the_same_moment_escalate_and_notify_once():
    administration = make_administration()
    make_staff(administration, role="head_of_unit")
    cases = file_cases_on_throne_day_eve(12, administration)
    emails_before = Notification.objects.count()
    barrier = threading.Barrier(2)
    results, errors = [], []

    def sweep():
        try:
            barrier.wait()
            results.append(sweep_once(now=at(2026, 8, 4, 0, 5)))
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(r["escalated"] for r in results) == len(cases)
    assert CaseEvent.objects.filter(action="escalated").count() == len(cases)
    assert set(Case.objects.values_list("escalation_level", flat=True)) == {2}
    # One email to the citizen and one to the head of unit per case, never two.
    assert Notification.objects.count() - emails_before == 2 * len(cases)
