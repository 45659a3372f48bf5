"""Background jobs of the outbox (ARCHITECTURE.md §3.8: small, take ids, idempotent)."""

from django_tasks import task

from .sending import deliver, due_notification_ids


@task(queue_name="notifications")
def send_notification(notification_id: int) -> str:
    """Send one outbox row; a row already sent, or claimed by another worker, is left alone."""
    return deliver(notification_id)


@task(queue_name="sweeps")
def retry_due_notifications() -> int:
    """Re-enqueue the rows whose retry time has come (and those stuck in `sending`), for task
    backends whose workers do not relay the outbox; with the database backend the workers send
    retries as they send first attempts, and this does nothing (ADR 0060)."""
    from .relay import relayed_by_workers

    if relayed_by_workers():
        return 0
    ids = due_notification_ids()
    for notification_id in ids:
        send_notification.enqueue(notification_id)
    return len(ids)


def digest_cutoff(now=None):
    """Today's digest time in Morocco (`STAFF_DIGEST_HOUR`, default 07:00 Africa/Casablanca), or
    None before it: the digest of a day carries the alerts created before that time."""
    from datetime import datetime, time

    from django.conf import settings
    from django.utils import timezone

    now = now or timezone.now()
    local = timezone.localtime(now)
    cutoff = timezone.make_aware(datetime.combine(local.date(), time(settings.STAFF_DIGEST_HOUR)))
    return cutoff if now >= cutoff else None


def send_digests_once(now=None) -> int:
    """One digest email per staff user who has unread alerts not yet emailed, created before
    today's digest time; returns the number of emails queued. Idempotent: a second run the same
    day finds every such alert digested (staff_digest_send) and sends nothing. Run hourly, it
    also catches up after a scheduler that was down at the digest hour."""
    from django.contrib.auth import get_user_model

    from .models import StaffAlert
    from .services import staff_digest_send

    cutoff = digest_cutoff(now)
    if cutoff is None:
        return 0
    user_ids = (
        StaffAlert.objects.filter(read_at__isnull=True, digested_at__isnull=True, created_at__lt=cutoff)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()
    )
    sent = 0
    for user in get_user_model().objects.filter(pk__in=list(user_ids)).order_by("pk"):
        if staff_digest_send(user=user, cutoff=cutoff) is not None:
            sent += 1
    return sent


@task(queue_name="sweeps")
def send_staff_digests() -> int:
    """The daily staff digest (config/jobs.py; issue 4 "by email digest")."""
    return send_digests_once()
