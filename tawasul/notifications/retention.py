"""How long the outbox keeps what it sent (law 09-08 art. 3: no longer than its purpose needs;
ADR 0057). A provider of `tawasul.accounts.personal_data`, named in `PERSONAL_DATA_PROVIDERS`, so
the daily retention job runs it.

An email or SMS row holds two things of different worth:
- **its content** (`context`: the requester's name, the case's subject, an answer's text, and
  `last_error`, which may quote the address): needed to send it and to answer "what did you
  send me?" for a few weeks. Blanked `NOTIFICATION_CONTENT_RETENTION_DAYS` (30) after the row
  was written, once it is sent or given up (a row still to send keeps it);
- **its delivery record** (channel, template, address, reference, status, attempts, when sent):
  the proof that the requester was told, for support and for disputes over deadlines. Deleted
  when the cases' identities are (`PERSONAL_DATA_RETENTION_YEARS` after it was written); the
  erasure of a case blanks its address earlier (ADR 0055).

Both work in chunks of `CHUNK` rows, each its own transaction, through indexes: the rows whose
content is still there are in a partial index (`notif_content_idx`, a few weeks of rows), and the
oldest rows are found in key order (the outbox only grows, so its oldest keys are its oldest
rows). A day's run costs the day's rows, whatever the size of the outbox.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .models import Notification

__all__ = ["CHUNK", "NotificationPersonalData", "blank_old_contents", "delete_old_records"]

CHUNK = 500
FINISHED = (Notification.Status.SENT, Notification.Status.FAILED)


def blank_old_contents(before, *, chunk: int = CHUNK) -> int:
    """Blank the content of the sent or given-up rows written before `before`; how many."""
    blanked = 0
    while True:
        keys = list(
            Notification.objects.filter(created_at__lt=before, status__in=FINISHED)
            .exclude(context={})
            .order_by()
            .values_list("pk", flat=True)[:chunk]
        )
        if not keys:
            return blanked
        blanked += Notification.objects.filter(pk__in=keys).update(context={}, last_error="")


def delete_old_records(before, *, chunk: int = CHUNK) -> int:
    """Delete the rows written before `before`, oldest key first; how many. It stops at the
    first row written since, so a row is never deleted early, whatever the order of keys."""
    deleted = 0
    while True:
        rows = list(Notification.objects.order_by("pk").values_list("pk", "created_at")[:chunk])
        old = _before_the_first_young(rows, before)
        if old:
            Notification.objects.filter(pk__in=old).delete()
        deleted += len(old)
        if len(old) < chunk:  # a row written since, or the end of the outbox
            return deleted


def _before_the_first_young(rows, before) -> list[int]:
    keys = []
    for key, created_at in rows:
        if created_at >= before:
            break
        keys.append(key)
    return keys


class NotificationPersonalData:
    """The outbox's part of the daily retention job; access and erasure go through the cases,
    which find their emails and SMS by reference and address (`cases.personal_data`)."""

    key = "notifications"

    def export(self, user) -> list[dict[str, Any]]:
        return []

    def erase(self, user, *, actor) -> int:
        return 0

    def purge(self, closed_before) -> int:
        days = settings.NOTIFICATION_CONTENT_RETENTION_DAYS
        blanked = blank_old_contents(timezone.now() - timedelta(days=days))
        return blanked + delete_old_records(closed_before)
