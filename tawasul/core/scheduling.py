"""Claiming periods of the periodic jobs listed in config/jobs.py, and forgetting old claims.

Each claim is a `ScheduleSlot` row (~2,040 a day with the jobs of config/jobs.py). A claim only
matters while its period is current (a second scheduler must find it); the daily
`prune_schedule_slots` job deletes those whose period started more than `SLOT_RETENTION_DAYS` ago,
far beyond the longest period (a day), and keeps the last days for looking at what ran.
"""

from __future__ import annotations

import logging
import time

from django.db import IntegrityError, transaction
from django.utils.module_loading import import_string

from config.jobs import JOBS, Job

from .models import ScheduleSlot

logger = logging.getLogger(__name__)


#: Days of claims kept; must exceed the longest job period (tests/…/test_scheduling.py checks it).
SLOT_RETENTION_DAYS = 7


def current_slot(job: Job, now: float) -> int:
    return int(now // job.every_seconds) * job.every_seconds


def claim_slot(job: Job, slot: int) -> bool:
    """True if this caller won the slot (and must enqueue the job)."""
    try:
        with transaction.atomic():
            ScheduleSlot.objects.create(job=job.name, slot=slot)
    except IntegrityError:
        return False
    return True


def enqueue_due_jobs(now: float | None = None, jobs: list[Job] | None = None) -> list[str]:
    """Enqueue every job whose current period has not been claimed yet."""
    now = time.time() if now is None else now
    enqueued = []
    for job in JOBS if jobs is None else jobs:
        if claim_slot(job, current_slot(job, now)):
            import_string(job.task).enqueue()
            enqueued.append(job.name)
            logger.info("enqueued periodic job %s", job.name)
    return enqueued


def prune_schedule_slots(now: float | None = None, days: int = SLOT_RETENTION_DAYS) -> int:
    """Delete the claims of periods that started more than `days` days before `now`; the count."""
    now = time.time() if now is None else now
    cutoff = int(now) - days * 86400
    deleted, _ = ScheduleSlot.objects.filter(slot__lt=cutoff).delete()
    return deleted
