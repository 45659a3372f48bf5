"""Tasks left `RUNNING` by a worker that died go back to the queue (issue 8 item 5).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed mid-job (SIGKILL, out-of-memory, host lost) leaves the task RUNNING forever, so
it is lost. This sweep puts such a task back to READY once it has been running longer than
`TASK_STALE_SECONDS`; another worker then runs it again. That is safe because every job of the
platform is small and idempotent (ARCHITECTURE.md §3.8), and well above the longest job.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

__all__ = ["requeue_stale_tasks", "requeue_stale_tasks_job"]


def requeue_stale_tasks(*, older_than_seconds: int | None = None) -> int:
    """Put RUNNING tasks started more than `older_than_seconds` ago back to READY; returns how many."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    seconds = settings.TASK_STALE_SECONDS if older_than_seconds is None else older_than_seconds
    cutoff = timezone.now() - timedelta(seconds=seconds)
    return DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lte=cutoff).update(
        status=TaskResultStatus.READY, started_at=None
    )


@task(queue_name="sweeps")
def requeue_stale_tasks_job() -> int:
    return requeue_stale_tasks()
