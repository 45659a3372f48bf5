"""The scheduler claims each period of each job once, and forgets claims older than a week."""

from __future__ import annotations

import pytest
import time_machine

from config.jobs import JOBS, Job
from tawasul.core.models import ScheduleSlot
from tawasul.core.scheduling import (
    SLOT_RETENTION_DAYS,
    claim_slot,
    current_slot,
    enqueue_due_jobs,
    prune_schedule_slots,
)

pytestmark = pytest.mark.django_db

DAY = 86400
NOW = 1_800_000_000.0  # 2027-01-15, a multiple of neither the day nor the hour
HOURLY = Job("hourly", "tawasul.core.tasks.prune_schedule_slots", every_seconds=3600)
DAILY = Job("daily", "tawasul.core.tasks.prune_schedule_slots", every_seconds=DAY)


def test_a_period_is_claimed_once_whatever_the_number_of_schedulers():
    slot = current_slot(HOURLY, NOW)
    assert claim_slot(HOURLY, slot)
    assert not claim_slot(HOURLY, slot)
    assert enqueue_due_jobs(now=NOW, jobs=[HOURLY, DAILY]) == ["daily"]
    assert enqueue_due_jobs(now=NOW, jobs=[HOURLY, DAILY]) == []


def test_claims_older_than_the_retention_are_deleted_and_recent_ones_kept():
    old = [current_slot(DAILY, NOW - days * DAY) for days in (SLOT_RETENTION_DAYS + 1, SLOT_RETENTION_DAYS + 30)]
    recent = [current_slot(DAILY, NOW - days * DAY) for days in (0, 1, SLOT_RETENTION_DAYS - 1)]
    for slot in old + recent:
        ScheduleSlot.objects.create(job="daily", slot=slot)
    assert prune_schedule_slots(now=NOW) == 2
    assert sorted(ScheduleSlot.objects.values_list("slot", flat=True)) == sorted(recent)
    assert prune_schedule_slots(now=NOW) == 0  # idempotent


def test_a_pruned_period_is_never_a_current_one():
    """The claim of every job's current period survives pruning, so a second scheduler still loses."""
    assert 2 * max(job.every_seconds for job in JOBS) < SLOT_RETENTION_DAYS * DAY
    enqueue_due_jobs(now=NOW, jobs=[HOURLY, DAILY])
    prune_schedule_slots(now=NOW)
    assert enqueue_due_jobs(now=NOW, jobs=[HOURLY, DAILY]) == []


def test_the_daily_job_prunes_through_the_task_queue(django_capture_on_commit_callbacks, run_tasks):
    assert "tawasul.core.tasks.prune_schedule_slots" in {job.task for job in JOBS if job.every_seconds == DAY}
    ScheduleSlot.objects.create(job="daily", slot=int(NOW) - (SLOT_RETENTION_DAYS + 1) * DAY)
    ScheduleSlot.objects.create(job="daily", slot=current_slot(DAILY, NOW))
    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            enqueue_due_jobs(now=NOW, jobs=[next(job for job in JOBS if job.name == "prune_schedule_slots")])
        run_tasks()
    assert list(ScheduleSlot.objects.filter(job="daily").values_list("slot", flat=True)) == [current_slot(DAILY, NOW)]
