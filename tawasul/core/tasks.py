"""Domain-free background jobs."""

from django.core.management import call_command
from django_tasks import task

from . import scheduling


@task(queue_name="sweeps")
def prune_task_results(days: int = 14) -> None:
    """Delete finished task results older than `days` (idempotent)."""
    call_command("prune_db_task_results", min_age_days=days, verbosity=0)


@task(queue_name="sweeps")
def prune_schedule_slots() -> None:
    """Forget the scheduler's claims older than SLOT_RETENTION_DAYS (idempotent)."""
    scheduling.prune_schedule_slots()
