"""Sending one outbox row, safely when several workers or retries meet the same row.

A row is *claimed* with a conditional UPDATE (pending and due → sending) before anything is
sent, as healthchecks' `sendalerts` claims its flips: whoever updates the row owns it, anyone
else sees 0 rows updated and stops. A row already `sent` is never sent again. A worker that dies
between claim and outcome leaves the row in `sending`; it is due again after
`NOTIFICATION_SENDING_TIMEOUT_SECONDS`, for the workers' relay (`relay.py`) or, with another task
backend, `retry_due_notifications`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .gateways import get_sms_gateway
from .models import Notification
from .services import retry_delay

logger = logging.getLogger(__name__)

#: Rows re-enqueued per sweep run (sweeps work in bounded batches, BENCHMARKING.md "Pitfalls").
RETRY_BATCH = 500


def _stale_before():
    return timezone.now() - timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS)


def _claimable() -> Q:
    now = timezone.now()
    due = Q(status=Notification.Status.PENDING) & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    stuck = Q(status=Notification.Status.SENDING, claimed_at__lt=_stale_before())
    return due | stuck


def claim(notification_id: int) -> bool:
    """Move the row to `sending` if it is due; True when this caller won it."""
    updated = Notification.objects.filter(_claimable(), pk=notification_id).update(
        status=Notification.Status.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    return updated == 1


def render(notification: Notification) -> tuple[str, str]:
    """(subject, body) in the notification's language; SMS have an empty subject."""
    base = f"notifications/{notification.template}"
    context = dict(notification.context)
    with translation.override(notification.language):
        body = render_to_string(f"{base}.body.txt", context).strip()
        if notification.channel == Notification.Channel.SMS:
            return "", body
        subject = " ".join(render_to_string(f"{base}.subject.txt", context).split())
    return subject, body


def _send(notification: Notification) -> None:
    subject, body = render(notification)
    if notification.channel == Notification.Channel.EMAIL:
        EmailMessage(subject=subject, body=body, to=[notification.to]).send(fail_silently=False)
    else:
        get_sms_gateway().send(notification.to, body)


def deliver(notification_id: int) -> str:
    """Claim, render and send one notification; record the outcome. Returns the final status."""
    if not claim(notification_id):
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        _send(notification)
    except Exception as exc:  # noqa: BLE001 - any failure of the mail server or gateway is retried
        give_up = notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS
        # A row given up is never sent: its secrets go as a sent row's do.
        kept = {"context": _without_secrets(notification.context)} if give_up else {}
        Notification.objects.filter(pk=notification_id, status=Notification.Status.SENDING).update(
            status=Notification.Status.FAILED if give_up else Notification.Status.PENDING,
            next_attempt_at=None if give_up else timezone.now() + retry_delay(notification.attempts),
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            claimed_at=None,
            **kept,
        )
        logger.warning("notification %s failed (attempt %s): %s", notification_id, notification.attempts, exc)
        return Notification.Status.FAILED if give_up else Notification.Status.PENDING
    Notification.objects.filter(pk=notification_id).update(
        status=Notification.Status.SENT,
        sent_at=timezone.now(),
        next_attempt_at=None,
        last_error="",
        context=_without_secrets(notification.context),
    )
    return Notification.Status.SENT


def _without_secrets(context: dict) -> dict:
    """Secrets (e.g. a private tracking link) are kept only until the message is sent or given up."""
    secret_keys = context.get("_secret_keys") or []
    return {k: v for k, v in context.items() if k not in secret_keys and k != "_secret_keys"}


def due_notification_ids(limit: int = RETRY_BATCH) -> list[int]:
    return list(
        Notification.objects.filter(_claimable()).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
