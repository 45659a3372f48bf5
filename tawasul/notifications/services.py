"""Writing to the outbox (ARCHITECTURE.md §3.1 and §3.8: tasks run only after commit).

With the database task backend (django-tasks-db) the outbox row is its own job (ADR 0060): it
commits with the caller's change or not at all, and the workers of the `notifications` queue see
it only once committed (`relay.py`). With any other backend a sending task is enqueued by
`transaction.on_commit`, as before.
"""

from __future__ import annotations

import json
from contextlib import nullcontext
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import router, transaction
from django.utils import timezone

from tawasul.core.inserts import PreparedInsert, rows_in_one_statement

from .models import Notification
from .relay import relayed_by_workers

#: The outbox row of `notify`, through an INSERT compiled once (issue 7: every filing writes one).
_NOTIFICATION_ROW = PreparedInsert(Notification)
_CHANNELS = frozenset(Notification.Channel.values)


def _jsonable(context: dict[str, Any]) -> dict[str, Any]:
    """Dates, decimals, UUIDs and lazy strings become JSON values (the row is the record). A
    context of plain JSON values only (text, integers, booleans, None, lists and dicts with text
    keys, of exactly those types) is copied as the round trip through JSON would give it back
    (issue 7: a filing's email has such a context)."""
    plain = _plain_json(context)
    return plain if plain is not None else json.loads(json.dumps(context, cls=DjangoJSONEncoder))


def _plain_json(value):
    """A copy of `value` when it holds plain JSON values only (`_jsonable`), else None."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:
        return value
    if kind is dict:
        copy = {}
        for key, item in value.items():
            if type(key) is not str:
                return None
            item_copy = _plain_json(item)
            if item_copy is None and item is not None:
                return None
            copy[key] = item_copy
        return copy
    if kind is list:
        copy = []
        for item in value:
            item_copy = _plain_json(item)
            if item_copy is None and item is not None:
                return None
            copy.append(item_copy)
        return copy
    return None


def notify(
    *,
    channel: str,
    to: str,
    template: str,
    context: dict[str, Any] | None = None,
    language: str = "ar",
    subject_ref: str = "",
    pk: int | None = None,
) -> Notification | None:
    """Queue one email or SMS: insert the outbox row now; it is sent once committed (the
    workers relay the outbox, ADR 0060; with another task backend, a task enqueued on commit).

    Returns None (and queues nothing) when there is no recipient address. `pk`: the row's key
    when the caller took it beforehand from its sequence (a filing's rows written together,
    `tawasul.core.inserts.insert_batch`).
    """
    if channel not in _CHANNELS:
        raise ValueError(f"unknown notification channel {channel!r}")
    if not to:
        return None
    # No savepoint of its own inside the caller's transaction (issue 7: one less pair of
    # statements per filing); its own transaction when called outside one, except in a filing
    # whose rows are written in one statement, which is their transaction (ADR 0049).
    using = router.db_for_write(Notification)
    with nullcontext() if rows_in_one_statement(using) else transaction.atomic(using=using, savepoint=False):
        notification = _NOTIFICATION_ROW.create(
            id=pk,
            channel=channel,
            to=to,
            template=template,
            context=_jsonable(context or {}),
            language=language or settings.LANGUAGE_CODE,
            subject_ref=subject_ref,
            next_attempt_at=timezone.now(),
        )
        _enqueue_sending_after_commit([notification])
    return notification


def notify_many(messages: list[dict[str, Any]]) -> list[Notification]:
    """`notify` for many messages at once (the SLA sweep's escalations, issue 7 scenario 5): each
    item holds `notify`'s keyword arguments; the outbox rows are written in one INSERT and each is
    sent once committed, as `notify`'s is. Items without a recipient are skipped."""
    rows = []
    now = timezone.now()
    for message in messages:
        channel = message["channel"]
        if channel not in _CHANNELS:
            raise ValueError(f"unknown notification channel {channel!r}")
        if not message.get("to"):
            continue
        rows.append(
            Notification(
                channel=channel,
                to=message["to"],
                template=message["template"],
                context=_jsonable(message.get("context") or {}),
                language=message.get("language") or settings.LANGUAGE_CODE,
                subject_ref=message.get("subject_ref", ""),
                next_attempt_at=now,
            )
        )
    if not rows:
        return []
    with transaction.atomic(savepoint=False):
        created = Notification.objects.bulk_create(rows)
        _enqueue_sending_after_commit(created)
    return created


def notifications_send_again(ids) -> int:
    """Give the messages among `ids` that were given up (`failed`: the mail server or gateway
    refused them `NOTIFICATION_MAX_ATTEMPTS` times) a new series of attempts, as if just written:
    support work after a long outage. Only those whose content is still kept (ADR 0057): a
    blanked one has nothing left to send. Sent and pending messages are left alone. Returns how
    many will be sent."""
    with transaction.atomic():
        rows = list(
            Notification.objects.select_for_update()
            .filter(pk__in=list(ids), status=Notification.Status.FAILED)
            .exclude(context={})
            .only("pk")
        )
        Notification.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Notification.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), claimed_at=None
        )
        _enqueue_sending_after_commit(rows)
    return len(rows)


def enqueue_sending(notification_id: int) -> None:
    from .tasks import send_notification

    send_notification.enqueue(notification_id)


def _enqueue_sending_after_commit(notifications: list[Notification]) -> None:
    """Have each outbox row sent once the open transaction commits, and never if it rolls back.
    With the database task backend the row is its own job: the workers of the `notifications`
    queue find it once it is committed (`relay.py`, ADR 0060), and nothing more is written. Any
    other backend gets one task per row on commit; a key is read when the callback runs (a row
    held in a filing's statement gets it there, ADR 0054)."""
    if relayed_by_workers():
        return
    using = router.db_for_write(Notification)
    for notification in notifications:
        transaction.on_commit(lambda notification=notification: enqueue_sending(notification.pk), using=using)


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: BASE * 2^(attempts-1), capped at MAX (settings)."""
    base = settings.NOTIFICATION_RETRY_BASE_SECONDS
    cap = settings.NOTIFICATION_RETRY_MAX_SECONDS
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


# --- Staff alerts (issue 4 "Staff notifications: in the back office and by email digest") -------


def staff_alert_create(
    *,
    users,
    kind: str,
    text: str,
    params: dict[str, Any] | None = None,
    case_reference: str = "",
    url: str = "",
    dedupe_key: str = "",
    emailed: bool = False,
) -> list:
    """One alert per distinct user (inactive accounts skipped). `text` is an English msgid
    (`gettext_noop`) with `%(name)s` placeholders filled from `params` when read. `emailed=True`
    when the caller also sends its own email now (escalations, reminders): the alert is then
    born digested and the daily digest does not repeat it. With a `dedupe_key`, an alert that
    already exists for that user is not written again (two sweeps at the same moment)."""
    from django.db import IntegrityError

    from .models import StaffAlert

    if kind not in StaffAlert.Kind.values:
        raise ValueError(f"unknown staff alert kind {kind!r}")
    created = []
    seen: set[int] = set()
    now = timezone.now()
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        if dedupe_key and StaffAlert.objects.filter(user=user, dedupe_key=dedupe_key).exists():
            continue
        try:
            with transaction.atomic():
                created.append(
                    StaffAlert.objects.create(
                        user=user,
                        kind=kind,
                        text=text,
                        params=_jsonable(params or {}),
                        case_reference=case_reference,
                        url=url,
                        dedupe_key=dedupe_key,
                        digested_at=now if emailed else None,
                    )
                )
        except IntegrityError:  # the same alert written by a concurrent sweep
            continue
    return created


def staff_alerts_create_many(alerts: list[dict[str, Any]]) -> int:
    """`staff_alert_create` for many alerts at once (the SLA sweep's escalations, issue 7
    scenario 5): each item holds its keyword arguments. The same rules (one alert per distinct
    active user, `dedupe_key` written once per user), in one INSERT that skips the alerts that
    already exist (the unique `(user, dedupe_key)`: an earlier or concurrent sweep). Returns how
    many rows were offered to the INSERT (existing ones included)."""
    from .models import StaffAlert

    rows = []
    now = timezone.now()
    for alert in alerts:
        kind = alert["kind"]
        if kind not in StaffAlert.Kind.values:
            raise ValueError(f"unknown staff alert kind {kind!r}")
        if not alert.get("dedupe_key"):
            raise ValueError("staff_alerts_create_many needs a dedupe_key per alert")
        params = _jsonable(alert.get("params") or {})
        seen: set[int] = set()
        for user in alert["users"]:
            if user is None or user.pk in seen or not user.is_active:
                continue
            seen.add(user.pk)
            rows.append(
                StaffAlert(
                    user=user,
                    kind=kind,
                    text=alert["text"],
                    params=params,
                    case_reference=alert.get("case_reference", ""),
                    url=alert.get("url", ""),
                    dedupe_key=alert["dedupe_key"],
                    digested_at=now if alert.get("emailed") else None,
                )
            )
    if rows:
        StaffAlert.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def staff_alerts_mark_read(*, user, ids=None) -> int:
    """Mark this user's alerts read (all of them when `ids` is None); returns how many changed.
    Another user's alert ids are ignored."""
    from .models import StaffAlert

    alerts = StaffAlert.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        alerts = alerts.filter(pk__in=list(ids))
    return alerts.update(read_at=timezone.now())


def staff_digest_send(*, user, cutoff=None) -> Notification | None:
    """Email `user` one digest of their unread alerts not yet emailed (created before `cutoff`),
    in their `preferred_language`, and mark them digested in the same transaction.

    Safe when two workers digest the same user at once: the user's row is locked first (on
    PostgreSQL; SQLite serialises writers), then the alerts are re-read, so the second finds
    nothing left and sends nothing. Returns the queued email, or None when there was nothing.
    """
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from .models import StaffAlert

    User = get_user_model()
    with transaction.atomic():
        locked = User.objects.select_for_update().filter(pk=user.pk, is_active=True).first()
        if locked is None or not locked.email:
            return None
        pending = StaffAlert.objects.filter(user=locked, read_at__isnull=True, digested_at__isnull=True)
        if cutoff is not None:
            pending = pending.filter(created_at__lt=cutoff)
        alerts = list(pending.order_by("created_at", "pk")[: settings.STAFF_DIGEST_MAX_ITEMS])
        if not alerts:
            return None
        language = getattr(locked, "preferred_language", "") or settings.LANGUAGE_CODE
        with translation.override(language):
            items = [
                {"text": alert.display_text, "reference": alert.case_reference, "url": alert.url} for alert in alerts
            ]
        total = pending.count()
        StaffAlert.objects.filter(pk__in=[alert.pk for alert in alerts]).update(digested_at=timezone.now())
        return notify(
            channel="email",
            to=locked.email,
            template="staff_digest",
            context={
                "first_name": locked.first_name,
                "items": items,
                "count": len(items),
                "more": max(0, total - len(items)),
                "site_url": settings.SITE_URL,
            },
            language=language,
        )
