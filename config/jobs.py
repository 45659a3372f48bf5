"""Every periodic job of the platform, in one list (ARCHITECTURE.md §3.8).

`manage.py run_scheduler` enqueues each job on the task queue once per period. Several
schedulers may run by mistake: a slot is claimed by inserting a unique row, so each
period is enqueued once, whatever the number of schedulers. The jobs themselves are
idempotent sweeps, safe on several workers at once.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task
    every_seconds: int


JOBS: list[Job] = [
    Job("prune_task_results", "tawasul.core.tasks.prune_task_results", every_seconds=24 * 3600),
    # Escalation ladder and overdue marks (DOMAIN.md R2; issue 4). Deadlines are end-of-day
    # times, so a 5-minute period escalates within minutes of the deadline.
    Job("sweep_case_clocks", "tawasul.cases.tasks.sweep_case_clocks", every_seconds=300),
    Job("retry_due_notifications", "tawasul.notifications.tasks.retry_due_notifications", every_seconds=60),
]
