"""The outbox is its own queue (ADR 0060).

An outbox row already says what is due and when (`status`, `next_attempt_at`, `claimed_at`), so
with the database task backend it needs no task row beside it: the workers that serve the
`notifications` queue ask the outbox for the rows that are due, oldest first, a bounded batch at a
time (`tawasul.core.queue_relays`), and send each through `sending.deliver`, which claims the row
first. A first attempt and a retry are the same thing: a row whose time has come. A filing writes
one row less (issue 7) and a worker runs three statements per email instead of six.

Other task backends (Redis, RQ, a dummy) have workers that know nothing of the outbox: for them
each row is still enqueued as a `send_notification` task after commit, and the minute's
`retry_due_notifications` sweep enqueues the retries.
"""

from __future__ import annotations


def relayed_by_workers() -> bool:
    """True when the outbox's workers relay it themselves: the sending task's backend is
    django-tasks-db's, whose worker is this project's `db_worker`."""
    from django_tasks_db.backend import DatabaseBackend

    from .tasks import send_notification

    return isinstance(send_notification.get_backend(), DatabaseBackend)


def send_due(limit: int) -> int:
    """Send up to `limit` due rows, the longest due first; returns how many were looked at (a
    row another worker claimed first counts too, so that a full batch is looked at again)."""
    from tawasul.core.queue_relays import stopping

    from .sending import deliver, due_notification_ids  # sending imports services, which imports this

    ids = due_notification_ids(limit)
    for notification_id in ids:
        if stopping():  # the worker is leaving: the rest stay due for the next one
            break
        deliver(notification_id)
    return len(ids)
