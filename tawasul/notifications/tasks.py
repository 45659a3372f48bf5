"""Background jobs of the outbox (ARCHITECTURE.md §3.8: small, take ids, idempotent)."""

from django_tasks import task

from .sending import deliver, due_notification_ids


@task(queue_name="notifications")
def send_notification(notification_id: int) -> str:
    """Send one outbox row; a row already sent, or claimed by another worker, is left alone."""
    return deliver(notification_id)


@task(queue_name="sweeps")
def retry_due_notifications() -> int:
    """Re-enqueue the rows whose retry time has come (and those stuck in `sending`)."""
    ids = due_notification_ids()
    for notification_id in ids:
        send_notification.enqueue(notification_id)
    return len(ids)
