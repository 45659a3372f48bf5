"""The batch services of the SLA sweep (issue 7, scenario 5): `case_escalate_many` and
`case_mark_overdue_many` write what the per-case services write, once, in a few queries per
batch whatever its size."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import case_escalate, case_escalate_many, case_mark_overdue_many
from tawasul.notifications.models import Notification, StaffAlert
from tawasul.notifications.services import staff_alerts_create_many

from .factories import make_administration, make_case, make_staff

pytestmark = pytest.mark.django_db

CASABLANCA = ZoneInfo("Africa/Casablanca")
LEVEL_2_DUE = dt.datetime(2026, 8, 4, 0, 5, tzinfo=CASABLANCA)  # filed Wed 29 July (Throne Day eve)


def _file(administration, count, **fields):
    with time_machine.travel(dt.datetime(2026, 7, 29, 10, 0, tzinfo=CASABLANCA), tick=False):
        return [make_case(administration, **fields) for _ in range(count)]


def _written(case):
    """What an escalation left about one case, without its reference and primary keys."""
    ref = case.reference
    case.refresh_from_db()

    def strip(value):
        return {k: v for k, v in value.items() if k not in {"reference", "url"}} if isinstance(value, dict) else value

    return {
        "case": (case.escalation_level, case.next_escalation_at, case.escalation_timer_from, case.version),
        "events": sorted(
            (e.action, e.actor_role, e.is_public, e.actor_id, str(e.payload))
            for e in CaseEvent.objects.filter(case=case, action="escalated")
        ),
        "notifications": sorted(
            (n.channel, n.to if n.template != "case_updated" else "", n.template, str(strip(n.context)), n.language)
            for n in Notification.objects.filter(subject_ref=ref)
            if n.template != "case_received"
        ),
        "alerts": sorted(
            (a.user_id, a.kind, a.text, str(strip(a.params)), a.digested_at is not None, a.dedupe_key.split(":")[2])
            for a in StaffAlert.objects.filter(case_reference=ref)
        ),
    }


def test_escalate_many_writes_what_the_per_case_service_writes():
    administration = make_administration()
    make_staff(administration, role="head_of_unit")
    make_staff(administration, role="head_of_unit")
    one, other = _file(administration, 2)
    assert case_escalate(case=Case(pk=one.pk), now=LEVEL_2_DUE) is not None
    assert case_escalate_many(ids=[other.pk], now=LEVEL_2_DUE) == [other.pk]
    written = _written(other)
    assert written == _written(one)
    assert written["case"][0] == 2 and len(written["events"]) == 1
    assert len(written["alerts"]) == 2 and len(written["notifications"]) == 3  # citizen + two heads


def test_escalate_many_is_idempotent_and_skips_what_is_not_due():
    administration = make_administration()
    head = make_staff(administration, role="head_of_unit")
    cases = _file(administration, 4)
    paused, closed = cases[2], cases[3]
    Case.objects.filter(pk=paused.pk).update(paused_at=LEVEL_2_DUE - dt.timedelta(days=1))
    Case.objects.filter(pk=closed.pk).update(closed_at=LEVEL_2_DUE - dt.timedelta(days=1))
    ids = [case.pk for case in cases]
    before = Notification.objects.count()
    assert case_escalate_many(ids=ids, now=LEVEL_2_DUE - dt.timedelta(hours=2)) == []  # not due yet
    assert sorted(case_escalate_many(ids=ids, now=LEVEL_2_DUE)) == sorted(ids[:2])
    assert case_escalate_many(ids=ids, now=LEVEL_2_DUE) == []  # once: the new step is not due
    assert CaseEvent.objects.filter(action="escalated").count() == 2
    assert Notification.objects.count() - before == 4
    assert StaffAlert.objects.filter(user=head, kind="escalated").count() == 2
    assert Case.objects.get(pk=paused.pk).escalation_level == 1


def test_escalate_many_costs_the_same_queries_for_3_or_30_cases():
    administration = make_administration()
    make_staff(administration, role="head_of_unit")
    few, many = _file(administration, 3), _file(administration, 30)
    counts = []
    for cases in (few, many):
        with CaptureQueriesContext(connection) as queries:
            assert len(case_escalate_many(ids=[case.pk for case in cases], now=LEVEL_2_DUE)) == len(cases)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 12, counts


def test_staff_alerts_create_many_writes_each_dedupe_key_once_per_user():
    administration = make_administration()
    officer = make_staff(administration)
    alert = {
        "users": [officer, officer],
        "kind": StaffAlert.Kind.ESCALATED,
        "text": "Case %(reference)s reached level %(level)s of the escalation ladder: no action in time.",
        "params": {"reference": "X", "level": 2},
        "dedupe_key": "escalated:test:2",
        "emailed": True,
    }
    staff_alerts_create_many([alert])
    staff_alerts_create_many([alert])
    assert StaffAlert.objects.filter(user=officer).count() == 1


def test_mark_overdue_many_flags_each_case_once():
    cases = _file(make_administration(), 3)
    late = dt.datetime(2026, 9, 28, 0, 1, tzinfo=CASABLANCA)  # due Sun 27 September 23:59:59
    Case.objects.filter(pk=cases[2].pk).update(answered_at=late - dt.timedelta(days=3))
    ids = [case.pk for case in cases]
    assert case_mark_overdue_many(ids=ids, now=late - dt.timedelta(hours=1)) == 0
    assert case_mark_overdue_many(ids=ids, now=late) == 2
    assert case_mark_overdue_many(ids=ids, now=late) == 0
    assert set(Case.objects.filter(is_overdue=True).values_list("pk", flat=True)) == set(ids[:2])
    assert CaseEvent.objects.filter(action="overdue", is_public=False).count() == 2
