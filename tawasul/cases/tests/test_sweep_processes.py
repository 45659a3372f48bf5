"""Two real processes sweep the same due cases at the same moment on PostgreSQL (issue 4: "safe
when two workers run it at the same moment ... two processes, no double escalation, no double
email"). Each process has its own connection; a barrier starts both sweeps together."""

import datetime as dt
import multiprocessing
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from tawasul.cases.models import Case, CaseEvent
from tawasul.notifications.models import Notification, StaffAlert

from .factories import make_administration, make_case, make_staff

CASABLANCA = ZoneInfo("Africa/Casablanca")
CASES = 12


def at(*args):
    return dt.datetime(*args, tzinfo=CASABLANCA)


def _sweep_in_child(barrier, results, now):
    """Runs in a forked process: a fresh connection of its own, then one sweep."""
    from tawasul.cases.tasks import sweep_once

    try:
        barrier.wait(timeout=30)
        results.put(("ok", sweep_once(now=now)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()


def _two_processes_sweep(now):
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    connections.close_all()  # never share the parent's socket with the children
    workers = [context.Process(target=_sweep_in_child, args=(barrier, results, now)) for _ in range(2)]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    return [counts for _, counts in outcomes]


@pytest.mark.processes
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_sweeping_at_once_escalate_remind_and_notify_once(workflow):
    administration = make_administration()
    officer = make_staff(administration, role="officer")
    head = make_staff(administration, role="head_of_unit")
    with time_machine.travel(at(2026, 7, 29, 10, 0), tick=False):  # Throne Day eve
        cases = [make_case(administration) for _ in range(CASES)]
    before = Notification.objects.count()

    counts = _two_processes_sweep(at(2026, 8, 4, 0, 5))  # level 2 is due for every case
    assert sum(c["escalated"] for c in counts) == CASES
    assert CaseEvent.objects.filter(action="escalated").count() == CASES
    assert set(Case.objects.values_list("escalation_level", flat=True)) == {2}
    # One email to each citizen and one to the head of unit per case; one alert per case.
    assert Notification.objects.count() - before == 2 * CASES
    assert Notification.objects.filter(template="case_escalated_staff", to=head.email).count() == CASES
    assert StaffAlert.objects.filter(user=head, kind="escalated").count() == CASES

    # Monday 21 September: D-5 before the answer on Sunday 27 (and level 3 long due).
    before = Notification.objects.count()
    counts = _two_processes_sweep(at(2026, 9, 21, 0, 5))
    assert sum(c["reminded"] for c in counts) == CASES
    assert CaseEvent.objects.filter(action="reminder_sent").count() == CASES
    assert Notification.objects.filter(template="case_reminder_staff", to=officer.email).count() == CASES
    assert StaffAlert.objects.filter(user=officer, kind="reminder").count() == CASES
    assert CaseEvent.objects.filter(action="escalated").count() == 2 * CASES
    assert len(cases) == CASES
