"""Reads of the staff alerts (interfaces.md "Staff alerts"): a user only ever sees their own; and
how long the outbox's longest-waiting email has been due (the health check)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from .models import Notification, StaffAlert

__all__ = ["outbox_longest_wait_seconds", "staff_alert_unread_count", "staff_alerts_for"]


def outbox_longest_wait_seconds() -> int:
    """Seconds since the longest-due email or SMS of the outbox became due (0: none is waiting).
    It grows when no worker relays the outbox (ADR 0060) or the mail server refuses; one probe of
    the due rows' index, whatever the backlog."""
    from .sending import _claimable

    oldest = (
        Notification.objects.filter(_claimable(), next_attempt_at__isnull=False)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return max(0, int((timezone.now() - oldest).total_seconds())) if oldest else 0


def staff_alerts_for(user) -> QuerySet[StaffAlert]:
    """The alerts of this user, newest first (none for an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return StaffAlert.objects.none()
    return StaffAlert.objects.filter(user=user).order_by("-created_at", "-pk")


def staff_alert_unread_count(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return StaffAlert.objects.filter(user=user, read_at__isnull=True).count()
