"""Indicators equal a hand count on small data (SPEC.md §9; docs/adr/0030)."""

import datetime as dt

import pytest
import time_machine

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case
from tawasul.cases.services import case_escalate, case_mark_overdue, case_transition
from tawasul.complaints.services import complaint_answer, complaint_rate, complaint_reopen
from tawasul.complaints.tests.factories import make_complaint, staff_actor
from tawasul.information.tests.factories import make_request
from tawasul.insights.counters import duration_bucket, indicators_refresh
from tawasul.insights.indicators import PROVIDERS, Figures, Period, indicators, median_bucket
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

# Monday 2 March 2026, 09:00 Morocco (08:00 UTC).
T0 = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
MARCH = Period(dt.date(2026, 3, 1), dt.date(2026, 3, 1))


def at(hours: float):
    return time_machine.travel(T0 + dt.timedelta(hours=hours), tick=False)


@pytest.fixture
def small_world():
    """Administration X: 4 complaints in March 2026; Y: 1. By hand:

    - c1: started after 3 h, answered after 30 h, rated 5;
    - c2: started after 5 h 20, answered after 100 h (4 days 4 h), rated 2, then reopened;
    - c3: never touched: escalated by the sweep; still open past its deadline: overdue;
    - c4: withdrawn by the complainant after 1 h (closed, no staff action);
    - y1 at Y: answered after 2 h.
    """
    x, y = AdministrationFactory(code="adm-x"), AdministrationFactory(code="adm-y")
    with at(0):
        c1, c2, c3, c4 = (make_complaint(x) for _ in range(4))
        y1 = make_complaint(y)
    with at(1):
        case_transition(case=c4, action="withdraw", actor=Actor.requester(c4))
    with at(2):
        complaint_answer(case=y1, actor=staff_actor(y1), note="Réponse.", outcome="positive")
    with at(3):
        c1 = case_transition(case=c1, action="start", actor=staff_actor(c1))
    with at(5 + 1 / 3):
        c2 = case_transition(case=c2, action="start", actor=staff_actor(c2))
    with at(30):
        c1 = complaint_answer(case=c1, actor=staff_actor(c1), note="Réponse.", outcome="positive")
        complaint_rate(case=c1, actor=Actor.requester(c1), satisfaction=5)
    with at(100):
        c2 = complaint_answer(case=c2, actor=staff_actor(c2), note="Réponse.", outcome="negative")
        complaint_rate(case=c2, actor=Actor.requester(c2), satisfaction=2)
        complaint_reopen(case=c2, actor=Actor.requester(c2), reason="Toujours rien.")
    with at(24 * 5):
        case_escalate(case=c3)
    with at(24 * 90):
        case_mark_overdue(case=Case.objects.get(pk=c3.pk))
    return x, y


def test_complaint_figures_equal_a_hand_count(small_world):
    x, _y = small_world
    with at(24 * 91):
        table = indicators(period=MARCH, portals=["complaints"])
    fig_x = table.by_administration["complaints"][x.pk]
    # Processed: c1 (answered) and c4 (withdrawn: closed); c2 was reopened, so it is open again.
    assert (fig_x.received, fig_x.processed, fig_x.processed_pct) == (4, 2, 50.0)
    assert (fig_x.escalated, fig_x.overdue) == (1, 1)
    assert fig_x.median_answer_hours == 30
    assert fig_x.rated == 2 and fig_x.satisfied == 1 and fig_x.satisfaction_pct == 50.0
    assert fig_x.reopened == 1
    # First actions after 3 h and 5 h 20 (c3 and c4 had none): the 1st of 2 is 3 h.
    assert fig_x.median_first_action_hours == 3
    total = table.by_portal["complaints"]
    assert total.received == 5
    # y1 was answered at 2 h: its first action.
    assert {int(k): v for k, v in total.first_action.items()} == {3: 1, 5: 1, 2: 1}


def test_head_of_x_figures_never_include_y(small_world):
    x, _y = small_world
    with at(24 * 91):
        table = indicators(period=MARCH, administrations={x.pk})
    assert set(table.by_administration["complaints"]) == {x.pk}
    assert table.by_portal["complaints"].received == 4


def test_information_requests_are_counted_by_their_own_provider():
    body = AdministrationFactory()
    with at(0):
        request = make_request(body)
    with at(24 * 91):
        table = indicators(period=MARCH, portals=["information"])
    assert table.by_portal["information"].received == 1
    assert table.by_portal["information"].rated is None  # no rating on that portal
    assert request.portal == "information"


def test_counters_follow_new_events_after_a_refresh(small_world):
    x, _y = small_world
    with at(24 * 91):
        indicators(period=MARCH)
        make_complaint(x)  # received in June: another month
        indicators_refresh()
        table = indicators(period=Period(dt.date(2026, 3, 1), dt.date(2026, 6, 1)))
    assert table.by_portal["complaints"].received == 6


def test_medians_and_buckets():
    assert duration_bucket(3.9 * 3600) == 3
    assert duration_bucket(71.5 * 3600) == 71
    assert duration_bucket(100 * 3600) == 96  # past 72 h: whole days
    assert median_bucket({3: 1, 5: 1}) == 3
    assert median_bucket({"3": 1, "5": 1, "96": 1}) == 5
    assert median_bucket({"96": 3, "5": 1}) == 96
    assert median_bucket({}) is None


def test_figures_add_up_and_keep_not_applicable():
    a = Figures(received=2, processed=1, rated=None)
    b = Figures(received=3, processed=3, rated=None)
    total = Figures().add(a).add(b)
    assert (total.received, total.processed, total.rated, total.processed_pct) == (5, 4, None, 80.0)


def test_every_portal_provider_is_registered_once_in_order():
    assert list(PROVIDERS) == ["complaints", "information", "documents", "jobs", "contact"]
