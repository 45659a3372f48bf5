"""Writing to the outbox (ARCHITECTURE.md §3.1 and §3.8: tasks are enqueued after commit)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .models import Notification


def _jsonable(context: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals, UUIDs and lazy strings become JSON values (the row is the record)."""
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder))


def notify(
    *,
    channel: str,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    language: str = "ar",
    subject_ref: str = "",
) -> Notification | None:
    """Queue one email or SMS: insert the outbox row now, enqueue its sending after commit.

    Returns None (and queues nothing) when there is no recipient address.
    """
    if channel not in Notification.Channel.values:
        raise ValueError(f"unknown notification channel {channel!r}")
    if not to:
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            channel=channel,
            to=to,
            template=template,
            context=_jsonable(context or {}),
            language=language or settings.LANGUAGE_CODE,
            subject_ref=subject_ref,
            next_attempt_at=timezone.now(),
        )
        transaction.on_commit(lambda: enqueue_sending(notification.pk))
    return notification


def enqueue_sending(notification_id: int) -> None:
    from .tasks import send_notification

    send_notification.enqueue(notification_id)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: BASE * 2^(attempts-1), capped at MAX (settings)."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATION_RETRY_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))
