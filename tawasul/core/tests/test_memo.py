"""`ProcessMemo` keeps an answer for its setting's seconds, forgets everything when one of its
models is saved or deleted in this process, and reads the database every time when set to 0."""

from __future__ import annotations

import pytest

from tawasul.core import memo as memo_module
from tawasul.core.memo import ProcessMemo
from tawasul.core.models import ReferenceCounter


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(memo_module.time, "monotonic", clock)
    return clock


@pytest.fixture
def counted():
    calls = []

    def compute(value="answer"):
        calls.append(value)
        return value

    return calls, compute


def test_an_answer_is_kept_for_the_settings_seconds_then_read_again(settings, clock, counted):
    settings.TEST_MEMO_SECONDS = 30
    memo = ProcessMemo("TEST_MEMO_SECONDS")
    calls, compute = counted
    assert memo.get("k", compute) == "answer"
    clock.now += 29.9
    assert memo.get("k", compute) == "answer"
    assert calls == ["answer"]
    clock.now += 0.2
    assert memo.get("k", lambda: compute("fresh")) == "fresh"
    assert calls == ["answer", "fresh"]


def test_an_absent_answer_is_kept_too(settings, clock):
    settings.TEST_MEMO_SECONDS = 30
    memo = ProcessMemo("TEST_MEMO_SECONDS")
    calls = []
    assert memo.get("unknown-code", lambda: calls.append(1)) is None
    assert memo.get("unknown-code", lambda: calls.append(1)) is None
    assert calls == [1]


def test_zero_seconds_reads_every_time(settings, counted):
    settings.TEST_MEMO_SECONDS = 0
    memo = ProcessMemo("TEST_MEMO_SECONDS")
    calls, compute = counted
    memo.get("k", compute)
    memo.get("k", compute)
    assert len(calls) == 2


@pytest.mark.django_db
def test_saving_or_deleting_one_of_its_models_here_forgets_everything(settings, clock, counted):
    settings.TEST_MEMO_SECONDS = 30
    memo = ProcessMemo("TEST_MEMO_SECONDS", models=(ReferenceCounter,))
    calls, compute = counted
    memo.get("k", compute)
    row = ReferenceCounter.objects.create(prefix="TST", year=2026, last=0)  # saved: forgotten
    memo.get("k", compute)
    memo.get("k", compute)
    assert len(calls) == 2
    row.delete()
    memo.get("k", compute)
    assert len(calls) == 3


def test_a_flood_of_distinct_keys_is_not_kept(settings, clock):
    settings.TEST_MEMO_SECONDS = 30
    memo = ProcessMemo("TEST_MEMO_SECONDS", size=3)
    for code in ("a", "b", "c", "d"):
        memo.get(code, lambda: None)
    assert len(memo._values) <= 3
