"""Pure rules: progress arithmetic (seed 003), progress-line consistency, comment scrubbing,
survey tickets and the results summary."""

import datetime as dt
from decimal import Decimal

import pytest

from tawasul.reception import rules
from tawasul.reception.models import ActivityStatus, ChecklistItem, CheckState


@pytest.mark.parametrize(
    ("completions", "expected"),
    [
        ([100, 100, 100, 100], 100),  # seed 003: four activities done, "نسبة تقدم الإلتزام 100%"
        ([100, 0], 50),
        ([100, 60, 40, 0], 50),
        ([33, 34], 34),  # 33.5 rounds half up
        ([1, 0, 0], 0),
        ([], None),
    ],
)
def test_overall_completion_is_the_rounded_mean(completions, expected):
    assert rules.overall_completion(completions) == expected


def _errors(**overrides):
    line = {
        "status": ActivityStatus.IN_PROGRESS,
        "completion": 40,
        "planned_start": dt.date(2026, 1, 1),
        "planned_end": dt.date(2026, 12, 31),
        "started_on": dt.date(2026, 1, 5),
        "ended_on": None,
    }
    return rules.activity_errors(**(line | overrides))


def test_a_consistent_line_has_no_error():
    assert _errors() == {}
    assert _errors(status=ActivityStatus.DONE, completion=100, ended_on=dt.date(2026, 6, 1)) == {}
    assert _errors(status=ActivityStatus.PLANNED, completion=0, started_on=None) == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"status": ActivityStatus.DONE, "completion": 90, "ended_on": dt.date(2026, 6, 1)}, "completion"),
        ({"status": ActivityStatus.DONE, "completion": 100}, "ended_on"),
        ({"status": ActivityStatus.PLANNED, "completion": 10, "started_on": None}, "completion"),
        ({"status": ActivityStatus.PLANNED, "completion": 0}, "started_on"),
        ({"started_on": None}, "started_on"),
        ({"completion": 100}, "completion"),
        ({"completion": 101}, "completion"),
        ({"planned_end": dt.date(2025, 12, 31)}, "planned_end"),
        ({"status": ActivityStatus.DONE, "completion": 100, "ended_on": dt.date(2026, 1, 1)}, "ended_on"),
    ],
)
def test_inconsistent_lines_are_refused(overrides, field):
    assert field in _errors(**overrides)


def test_late_means_past_the_planned_end_and_not_finished():
    end, today = dt.date(2026, 6, 30), dt.date(2026, 7, 1)
    assert rules.is_late(status=ActivityStatus.IN_PROGRESS, planned_end=end, today=today)
    assert rules.is_late(status=ActivityStatus.PLANNED, planned_end=end, today=today)
    assert not rules.is_late(status=ActivityStatus.DONE, planned_end=end, today=today)
    assert not rules.is_late(status=ActivityStatus.CANCELLED, planned_end=end, today=today)
    assert not rules.is_late(status=ActivityStatus.IN_PROGRESS, planned_end=end, today=end)


def test_the_label_needs_every_item_in_place():
    states = dict.fromkeys(ChecklistItem.values, CheckState.COMPLIANT)
    assert rules.label_missing_items(states) == []
    states[ChecklistItem.STAFF_BADGES] = CheckState.PARTIAL
    assert rules.label_missing_items(states) == [ChecklistItem.STAFF_BADGES]
    assert len(rules.label_missing_items({})) == 7


@pytest.mark.parametrize(
    ("text", "kept", "removed"),
    [
        ("Call me on 0612345678 please", "Call me on", "0612345678"),
        ("رقمي +212 6 12 34 56 78", "رقمي", "56 78"),
        ("mail: amina.alaoui@example.ma", "mail:", "amina"),
        ("CIN AB123456 merci", "merci", "AB123456"),
        ("Attente de 45 minutes", "45 minutes", None),
    ],
)
def test_comments_lose_contact_data_and_id_numbers(text, kept, removed):
    scrubbed = rules.scrub_comment(text)
    assert kept in scrubbed
    if removed:
        assert removed not in scrubbed


def test_comments_are_cut_to_the_maximum():
    assert len(rules.scrub_comment("ا" * 2000)) == rules.COMMENT_MAX_LENGTH


def test_a_ticket_is_good_for_its_site_after_a_few_seconds_and_for_two_hours():
    ticket = rules.issue_ticket("site-a", now=1_000_000)
    assert rules.read_ticket(ticket, "site-a", now=1_000_000 + rules.SURVEY_MIN_SECONDS)
    with pytest.raises(rules.TicketTooFresh):
        rules.read_ticket(ticket, "site-a", now=1_000_001)
    with pytest.raises(rules.TicketError):
        rules.read_ticket(ticket, "site-a", now=1_000_000 + rules.TICKET_MAX_AGE_SECONDS + 1)
    with pytest.raises(rules.TicketError):
        rules.read_ticket(ticket, "site-b", now=1_000_010)
    with pytest.raises(rules.TicketError):
        rules.read_ticket(ticket[:-2] + "xx", "site-a", now=1_000_010)
    with pytest.raises(rules.TicketError):
        rules.read_ticket("", "site-a", now=1_000_010)


def test_each_ticket_has_its_own_nonce():
    a = rules.read_ticket(rules.issue_ticket("s", now=10), "s", now=20)
    b = rules.read_ticket(rules.issue_ticket("s", now=10), "s", now=20)
    assert a != b


def _rows(scores_by_question):
    return [{"question": q, "score": s, "n": n} for q, counts in scores_by_question.items() for s, n in counts.items()]


def test_summary_counts_averages_and_distribution():
    counts = {name: {5: 6, 4: 3, 1: 1} for name in rules.QUESTION_FIELDS}
    summary = rules.survey_summary(_rows(counts), minimum=10)
    assert summary["count"] == 10
    assert summary["shown"] is True
    welcome = summary["questions"][0]
    assert welcome["average"] == Decimal("4.30")  # (30 + 12 + 1) / 10
    assert welcome["distribution"] == [(1, 1, 10), (2, 0, 0), (3, 0, 0), (4, 3, 30), (5, 6, 60)]


def test_summary_is_withheld_under_the_minimum():
    counts = {name: {3: 9} for name in rules.QUESTION_FIELDS}
    summary = rules.survey_summary(_rows(counts), minimum=10)
    assert summary["count"] == 9
    assert summary["shown"] is False


def test_checklist_score():
    assert rules.checklist_score([CheckState.COMPLIANT] * 7) == 100
    assert rules.checklist_score([CheckState.NOT_CHECKED] * 7) == 0
    assert rules.checklist_score([CheckState.COMPLIANT] * 3 + [CheckState.PARTIAL] * 2 + [CheckState.MISSING] * 2) == 57
