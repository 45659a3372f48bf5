"""Public statistics on a small known data set, and the FAQ page (DOMAIN.md R2)."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tawasul.cases.actors import Actor
from tawasul.cases.services import case_transition
from tawasul.complaints.models import FaqEntry
from tawasul.complaints.selectors import public_statistics
from tawasul.complaints.services import complaint_rate, complaint_reopen
from tawasul.registry.models import Administration
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_complaint, staff_actor

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 2, 2, 9, tzinfo=dt.UTC)


def _answered(administration, *, outcome, days, rating=None):
    with time_machine.travel(START, tick=False):
        case = make_complaint(administration)
        actor = staff_actor(case)
        case_transition(case=case, action="start", actor=actor)
    with time_machine.travel(START + dt.timedelta(days=days), tick=False):
        case = case_transition(case=case, action="answer", actor=actor, note="Réponse.", payload={"outcome": outcome})
        if rating:
            complaint_rate(case=case, actor=Actor.requester(case), satisfaction=rating)
    return case


@pytest.fixture
def data_set():
    """Ministry: 4 complaints (2 answered: positive after 10 days rated 5, negative after 20 days
    rated 2; 1 withdrawn; 1 open). Commune: 2 complaints (1 answered positive after 4 days, rated 4,
    then reopened; 1 open)."""
    ministry = AdministrationFactory(group=Administration.Group.MINISTRIES)
    commune = AdministrationFactory(group=Administration.Group.TERRITORIAL, kind=Administration.Kind.COMMUNE)
    _answered(ministry, outcome="positive", days=10, rating=5)
    _answered(ministry, outcome="negative", days=20, rating=2)
    with time_machine.travel(START, tick=False):
        withdrawn = make_complaint(ministry)
        case_transition(case=withdrawn, action="withdraw", actor=Actor.requester(withdrawn))
        make_complaint(ministry)
        make_complaint(commune)
    reopened = _answered(commune, outcome="positive", days=4, rating=4)
    with time_machine.travel(START + dt.timedelta(days=5), tick=False):
        complaint_reopen(case=reopened, actor=Actor.requester(reopened), reason="Toujours pas réglé.")
    return ministry, commune


def test_overall_numbers(data_set):
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        stats = public_statistics()
    overall = stats["overall"]
    assert overall["received"] == 6
    # processed = answered or closed: the two ministry answers and the withdrawal (the reopened one is open again)
    assert overall["processed"] == 3
    assert overall["processed_pct"] == 50.0
    # answered (answer events): 3 cases, 2 of them positive
    assert overall["answered"] == 3 and overall["positive"] == 2
    assert overall["positive_pct"] == 66.7
    # ratings 5, 2, 4: two of three >= 4; mean 3.67
    assert overall["rated"] == 3
    assert overall["satisfaction_pct"] == 66.7
    assert overall["mean_rating"] == 3.67
    assert overall["reopened"] == 1
    # answered_at is kept for the ministry's two (10 and 20 days); the reopened one lost it
    assert overall["avg_processing_days"] == 15.0


def test_numbers_per_group_and_month(data_set):
    with time_machine.travel(START + dt.timedelta(days=30), tick=False):
        stats = public_statistics()
        only_territorial = public_statistics(group=Administration.Group.TERRITORIAL)
    groups = dict(stats["by_group"])
    assert groups["ministries"]["received"] == 4
    assert groups["ministries"]["positive_pct"] == 50.0
    assert groups["territorial"]["received"] == 2
    assert groups["territorial"]["reopened"] == 1
    assert only_territorial["overall"]["received"] == 2
    months = stats["by_month"]
    assert len(months) == 1 and months[0][1]["received"] == 6


def test_an_administration_is_ranked_only_above_the_minimum_volume(data_set, settings):
    settings.COMPLAINTS_RANKING_MIN_VOLUME = 4
    ministry, _commune = data_set
    stats = public_statistics()
    assert [row["administration_id"] for row in stats["ranked"]] == [ministry.pk]
    settings.COMPLAINTS_RANKING_MIN_VOLUME = 100
    assert public_statistics()["ranked"] == []


def test_year_filter(data_set):
    assert public_statistics(year=2025)["overall"]["received"] == 0
    assert public_statistics(year=2026, month=2)["overall"]["received"] == 6


def test_statistics_use_few_queries(data_set, django_assert_max_num_queries):
    public_statistics()  # the first read after changes refreshes the counters (ADR 0015)
    with django_assert_max_num_queries(10):
        public_statistics()


def test_statistics_page_renders_in_arabic_and_french(client, data_set):
    for lang in ("ar", "fr"):
        with translation.override(lang):
            response = client.get(reverse("complaints:statistics"))
        assert response.status_code == 200
        assert response.context["stats"]["overall"]["processed_pct"] == 50.0
        assert "50" in response.content.decode()


def test_faq_page_shows_the_loaded_entries_in_the_page_language(client):
    entry = FaqEntry.objects.first()
    assert entry is not None  # loaded by the data migration from data/faq.json
    with translation.override("fr"):
        french = client.get(reverse("complaints:faq")).content.decode()
    with translation.override("ar"):
        arabic = client.get(reverse("complaints:faq")).content.decode()
    from html import escape

    assert escape(entry.question_fr) in french
    assert escape(entry.question_ar) in arabic


def test_landing_page_defines_the_three_kinds_and_links(client):
    with translation.override("fr"):
        response = client.get(reverse("complaints:index"))
        html = response.content.decode()
        for name in ("file", "track", "statistics", "faq"):
            assert reverse(f"complaints:{name}") in html
