"""The statistics counters (issue 7) always give the figures of a direct recount of the complaints
(DOMAIN.md R2 "Public statistics"), and are refreshed from the events, month by month."""

import datetime as dt
import random

import pytest
import time_machine

from tawasul.cases.actors import Actor
from tawasul.cases.services import case_transition
from tawasul.cases.workflow import get_workflow
from tawasul.complaints.counters import statistics_refresh
from tawasul.complaints.models import StatisticsCounter, StatisticsWatermark
from tawasul.complaints.selectors import public_statistics, public_statistics_direct
from tawasul.complaints.services import complaint_answer, complaint_rate, complaint_reopen, complaint_transfer
from tawasul.complaints.workflow import PORTAL
from tawasul.registry.models import Administration
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_complaint, staff_actor

pytestmark = pytest.mark.django_db

INITIAL = get_workflow(PORTAL).initial
NOW = dt.datetime(2026, 11, 20, 10, tzinfo=dt.UTC)
FILTERS = [{}, {"group": Administration.Group.MINISTRIES}, {"year": 2026}, {"year": 2026, "month": 3}, {"year": 2025}]


def _life(case, rng, when):
    """Move `case` along a random path: left open, started, answered (random outcome, maybe rated,
    maybe reopened), withdrawn or transferred."""
    path = rng.choice(["open", "started", "answered", "answered", "withdrawn", "transferred"])
    if path == "open":
        return
    with time_machine.travel(when + dt.timedelta(days=1), tick=False):
        if path == "withdrawn":
            case_transition(case=case, action="withdraw", actor=Actor.requester(case))
            return
        if path == "transferred":
            complaint_transfer(
                case=case,
                actor=staff_actor(case),
                administration=rng.choice([a for a in _ADMINS if a.pk != case.administration_id]),
                note="Pas notre compétence.",
            )
            return
        case = case_transition(case=case, action="start", actor=staff_actor(case))
    if path == "started":
        return
    with time_machine.travel(when + dt.timedelta(days=rng.randint(2, 40), hours=rng.randint(0, 23)), tick=False):
        outcome = rng.choice(["positive", "negative", "partial", "informative"])
        case = complaint_answer(case=case, actor=staff_actor(case), note="Réponse.", outcome=outcome)
        if rng.random() < 0.6:
            complaint_rate(case=case, actor=Actor.requester(case), satisfaction=rng.randint(1, 5))
        if rng.random() < 0.2:
            complaint_reopen(case=case, actor=Actor.requester(case), reason="Toujours rien.")


_ADMINS: list = []


@pytest.fixture
def random_cases(settings):
    settings.COMPLAINTS_RANKING_MIN_VOLUME = 3
    rng = random.Random(2026)
    _ADMINS[:] = [
        AdministrationFactory(group=Administration.Group.MINISTRIES),
        AdministrationFactory(group=Administration.Group.MINISTRIES),
        AdministrationFactory(group=Administration.Group.TERRITORIAL, kind=Administration.Kind.COMMUNE),
    ]
    cases = []
    for _ in range(30):
        # Over 20 months, some at a month's edge in Morocco time (UTC+1): 31 Mar 23:30 UTC is April.
        when = NOW - dt.timedelta(days=rng.randint(0, 600), hours=rng.randint(0, 23), minutes=30)
        with time_machine.travel(when, tick=False):
            case = make_complaint(rng.choice(_ADMINS))
        _life(case, rng, when)
        cases.append(case)
    with time_machine.travel(dt.datetime(2026, 3, 31, 23, 30, tzinfo=dt.UTC), tick=False):
        cases.append(make_complaint(_ADMINS[0]))
    return rng, cases


def test_counters_give_the_figures_of_a_direct_recount(random_cases):
    with time_machine.travel(NOW, tick=False):
        for filters in FILTERS:
            assert public_statistics(**filters) == public_statistics_direct(**filters), filters


def test_counters_follow_later_changes_month_by_month(random_cases, settings):
    rng, cases = random_cases
    settings.COMPLAINTS_STATISTICS_REFRESH_SECONDS = 0
    with time_machine.travel(NOW, tick=False):
        public_statistics()  # first build
        untouched = {(c.administration_id, c.month): c.received for c in StatisticsCounter.objects.all()}
    waiting = [c for c in (case.__class__.objects.get(pk=case.pk) for case in cases) if c.status == INITIAL]
    assert waiting
    for case in waiting:  # old months change too: answers, ratings, reopenings, transfers
        _life(case, rng, NOW)
    with time_machine.travel(NOW + dt.timedelta(days=50), tick=False):
        make_complaint(_ADMINS[2])
        for filters in FILTERS:
            assert public_statistics(**filters) == public_statistics_direct(**filters), filters
    assert untouched  # built, then re-counted only where events happened


def test_a_refresh_recounts_only_the_months_with_new_events(random_cases):
    with time_machine.travel(NOW, tick=False):
        assert statistics_refresh() > 0  # the first build counts everything
        assert statistics_refresh() == 0  # nothing happened since the last two refreshes
        assert statistics_refresh() == 0
        make_complaint(_ADMINS[1])
        # The new case's month (all its administrations), then once more (late commits), then none.
        november = StatisticsCounter.objects.filter(month=dt.date(2026, 11, 1)).count()
        assert statistics_refresh() == StatisticsCounter.objects.filter(month=dt.date(2026, 11, 1)).count()
        assert november <= StatisticsCounter.objects.filter(month=dt.date(2026, 11, 1)).count()
        assert statistics_refresh() > 0
        assert statistics_refresh() == 0
    mark = StatisticsWatermark.objects.get()
    assert mark.last_event_id == mark.previous_event_id


def test_readers_wait_for_the_refresh_interval(random_cases, settings):
    settings.COMPLAINTS_STATISTICS_REFRESH_SECONDS = 60
    with time_machine.travel(NOW, tick=False):
        before = public_statistics()["overall"]["received"]
        make_complaint(_ADMINS[0])
        assert public_statistics()["overall"]["received"] == before  # refreshed less than 60 s ago
    with time_machine.travel(NOW + dt.timedelta(seconds=61), tick=False):
        assert public_statistics()["overall"]["received"] == before + 1
