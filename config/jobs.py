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
    # The scheduler's own claims (core_scheduleslot, ~2,040 rows a day) older than a week.
    Job("prune_schedule_slots", "tawasul.core.tasks.prune_schedule_slots", every_seconds=24 * 3600),
    # Escalation ladder, overdue marks and D-5/D-1 reminders (DOMAIN.md R2; issue 4). Deadlines are end-of-day
    # times, so a 5-minute period escalates within minutes of the deadline.
    Job("sweep_case_clocks", "tawasul.cases.tasks.sweep_case_clocks", every_seconds=300),
    # The staff email digest (issue 4): hourly, but it acts once a day, at STAFF_DIGEST_HOUR
    # Africa/Casablanca (07:00), and catches up if the scheduler was down at that hour.
    Job("send_staff_digests", "tawasul.notifications.tasks.send_staff_digests", every_seconds=3600),
    Job("retry_due_notifications", "tawasul.notifications.tasks.retry_due_notifications", every_seconds=60),
    # Tasks left RUNNING by a worker that died are queued again (issue 8; tawasul.core.taskrecovery).
    Job("requeue_stale_tasks", "tawasul.core.taskrecovery.requeue_stale_tasks_job", every_seconds=300),
    # Law 09-08 art. 3: identities of cases closed more than PERSONAL_DATA_RETENTION_YEARS ago are erased (issue 8).
    Job("purge_expired_personal_data", "tawasul.accounts.tasks.purge_expired_personal_data", every_seconds=24 * 3600),
    # Insights (SPEC.md §9, docs/adr/0030): flush visit counts, refresh indicator counters, and once a month is
    # over publish its report to the head of government and its open data (in January, the year-end pending report).
    Job("insights_sweep", "tawasul.insights.tasks.insights_sweep", every_seconds=300),
    # Document orders not paid 3 days after they were placed are cancelled (docs/adr/0028).
    Job("documents_sweep", "tawasul.documents.tasks.documents_sweep", every_seconds=3600),
]
