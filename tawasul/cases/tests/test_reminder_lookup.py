"""The sweep's D-5/D-1 reminder look-up (issue 7, scenario 5): it returns the open, running cases
whose next reminder is reached, and not the others: those with no reminder sent for their current
answer deadline once D-5 is reached, those with D-5 sent once D-1 is reached; never those already
reminded. Each part is read through a partial index of exactly its cases (`case_reminder_first_idx`,
`case_reminder_next_idx`), so that the running cases already reminded, or waiting for D-1, are not
read again at every sweep.

A complaint filed Wednesday 29 July 2026 must be answered by Sunday 27 September (60 calendar
days). Working days before it: D-5 is Monday 21 September, D-1 Friday 25 September.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.cases.models import REMINDERS_ALL_SENT, Case
from tawasul.cases.services import reminder_due
from tawasul.cases.tasks import BATCH, _send_reminders, reminder_horizon

from .factories import make_administration, make_case

pytestmark = pytest.mark.django_db

CASABLANCA = ZoneInfo("Africa/Casablanca")
SWEEP_AT = dt.datetime(2026, 9, 21, 0, 5, tzinfo=CASABLANCA)  # D-5 of Sunday 27 September
EVE_OF_D_MINUS_5 = dt.datetime(2026, 9, 20, 23, 0, tzinfo=CASABLANCA)
AT_D_MINUS_1 = dt.datetime(2026, 9, 25, 0, 5, tzinfo=CASABLANCA)
EARLIER_DEADLINE = dt.datetime(2026, 9, 20, 23, 59, tzinfo=CASABLANCA)


def _file(count=1):
    with time_machine.travel(dt.datetime(2026, 7, 29, 10, 0, tzinfo=CASABLANCA), tick=False):
        return [make_case(make_administration()) for _ in range(count)]


def _looked_up(now=SWEEP_AT, batch=BATCH):
    """The cases the look-up returns (in order), none of them reminded."""
    seen = []

    def due(case, at):
        seen.append(case.pk)
        return None

    _send_reminders(now, batch=batch, max_batches=200, remind=None, due=due)
    return seen


def _set(case, **fields):
    Case.objects.filter(pk=case.pk).update(**fields)


# state: (the case's fields, when the sweep runs, looked up?)
STATES = {
    "nothing sent, D-5 reached": ({"reminders_sent": 0}, SWEEP_AT, True),
    "nothing sent, D-5 not reached": ({"reminders_sent": 0}, EVE_OF_D_MINUS_5, False),
    "D-5 sent, D-1 not reached": ({"reminders_sent": 0b01, "reminders_sent_for": "deadline"}, SWEEP_AT, False),
    "D-5 sent, D-1 reached": ({"reminders_sent": 0b01, "reminders_sent_for": "deadline"}, AT_D_MINUS_1, True),
    "all sent for this deadline": (
        {"reminders_sent": REMINDERS_ALL_SENT, "reminders_sent_for": "deadline"},
        AT_D_MINUS_1,
        False,
    ),
    "all sent for an earlier deadline": (
        {"reminders_sent": REMINDERS_ALL_SENT, "reminders_sent_for": EARLIER_DEADLINE},
        SWEEP_AT,
        True,
    ),
    "D-5 sent for an earlier deadline": (
        {"reminders_sent": 0b01, "reminders_sent_for": EARLIER_DEADLINE},
        SWEEP_AT,
        True,
    ),
    "all sent for no recorded deadline": (
        {"reminders_sent": REMINDERS_ALL_SENT, "reminders_sent_for": None},
        SWEEP_AT,
        True,
    ),
    "paused": ({"paused_at": SWEEP_AT - dt.timedelta(days=1)}, SWEEP_AT, False),
    "answered": ({"answered_at": SWEEP_AT - dt.timedelta(days=1)}, SWEEP_AT, False),
    "closed": ({"closed_at": SWEEP_AT - dt.timedelta(days=1)}, SWEEP_AT, False),
    "deadline passed": ({"answer_due_at": SWEEP_AT - dt.timedelta(hours=1)}, SWEEP_AT, False),
    "deadline far ahead": ({"answer_due_at": SWEEP_AT + dt.timedelta(days=40)}, SWEEP_AT, False),
}


def _apply(case, fields):
    _set(case, **{k: (case.answer_due_at if v == "deadline" else v) for k, v in fields.items()})


@pytest.mark.parametrize("state", STATES)
def test_the_look_up_returns_only_the_cases_whose_next_reminder_is_reached(state):
    fields, now, looked_up = STATES[state]
    (case,) = _file()
    _apply(case, fields)
    assert _looked_up(now=now) == ([case.pk] if looked_up else [])
    case.refresh_from_db()
    assert looked_up or reminder_due(case, now) is None  # what it leaves out has nothing due


def test_the_look_up_reads_in_deadline_order_across_batches_and_returns_each_case_once():
    cases = _file(7)
    for i, case in enumerate(cases):  # deadlines out of pk order, two of them equal
        _set(case, answer_due_at=case.answer_due_at - dt.timedelta(hours=(i * 5) % 3))
    _apply(cases[3], STATES["D-5 sent, D-1 not reached"][0])
    expected = sorted((c.answer_due_at, c.pk) for c in Case.objects.exclude(pk=cases[3].pk).only("answer_due_at"))
    assert _looked_up(batch=2) == [pk for _, pk in expected]


def test_a_case_reminded_by_the_sweep_leaves_the_look_up_once_all_its_reminders_are_sent():
    from tawasul.cases.tasks import sweep_once

    (case,) = _file()
    assert sweep_once(now=dt.datetime(2026, 9, 25, 0, 5, tzinfo=CASABLANCA))["reminded"] == 1  # D-1: all sent
    case.refresh_from_db()
    assert case.reminders_sent == REMINDERS_ALL_SENT and case.reminders_sent_for == case.answer_due_at
    assert _looked_up(now=dt.datetime(2026, 9, 25, 12, 0, tzinfo=CASABLANCA)) == []


@override_settings(CASE_REMINDER_WORKING_DAYS=(10, 5, 1))
def test_with_three_reminders_the_look_up_stays_right_without_the_index():
    """`case_reminder_next_idx` is built for the default two reminders (REMINDERS_ALL_SENT); with
    three, D-10 and D-5 sent (0b011) are not all of them: the case is still looked up (its D-1 is
    ahead), the one with all three sent is not."""
    first, done = _file(2)
    _set(first, reminders_sent=0b011, reminders_sent_for=first.answer_due_at)
    _set(done, reminders_sent=0b111, reminders_sent_for=done.answer_due_at)
    assert _looked_up() == [first.pk]


def test_the_default_reminders_are_the_ones_the_index_is_built_for():
    from django.conf import settings as django_settings

    assert (1 << len(django_settings.CASE_REMINDER_WORKING_DAYS)) - 1 == REMINDERS_ALL_SENT


def _first_query_plan() -> str:
    """The plan the database chose for the look-up's first query, with the real parameters."""
    captured = []

    def capture(execute, sql, params, many, context):
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        _looked_up()
    (sql, params), *_ = (query for query in captured if '"cases_case"' in query[0])  # not the calendar's
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE cases_case")
            cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: show which index it can use
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_the_look_up_reads_the_partial_indexes_of_the_cases_to_remind():
    cases = _file(6)
    for case in cases[:3]:  # reminded already: in the answer-deadline index, in neither of these
        _apply(case, STATES["all sent for this deadline"][0])
    _apply(cases[3], STATES["D-5 sent, D-1 reached"][0])
    plan = _first_query_plan()
    assert "case_reminder_first_idx" in plan and "case_reminder_next_idx" in plan, plan


def test_the_look_up_test_matches_the_sweeps_working_day_rule():
    (case,) = _file()
    (found,) = Case.objects.filter(pk__in=_looked_up())
    assert found.pk == case.pk and reminder_due(found, SWEEP_AT) == 0  # D-5 is due


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    now=st.datetimes(
        min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2027, 12, 31), timezones=st.just(CASABLANCA)
    ),
    ahead=st.timedeltas(min_value=dt.timedelta(minutes=1), max_value=dt.timedelta(days=25)),
)
def test_the_horizon_holds_exactly_the_deadlines_with_a_reminder_reached(now, ahead):
    """Over weekends, Throne Day, the Eids, the turn of the year: a deadline's reminder D-n is
    reached if and only if the deadline is at most `reminder_horizon(now, n)`; so with nothing sent
    a reminder is due exactly up to the horizon of D-5, and with D-5 sent, up to that of D-1."""
    case = Case(answer_due_at=now + ahead, reminders_sent=0)
    assert (reminder_due(case, now) is not None) == (case.answer_due_at <= reminder_horizon(now, 5))
    case.reminders_sent, case.reminders_sent_for = 0b01, case.answer_due_at
    assert (reminder_due(case, now) is not None) == (case.answer_due_at <= reminder_horizon(now, 1))
