"""Reads of the staff alerts (interfaces.md "Staff alerts"): a user only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import StaffAlert

__all__ = ["staff_alert_unread_count", "staff_alerts_for"]


def staff_alerts_for(user) -> QuerySet[StaffAlert]:
    """The alerts of this user, newest first (none for an anonymous visitor)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return StaffAlert.objects.none()
    return StaffAlert.objects.filter(user=user).order_by("-created_at", "-pk")


def staff_alert_unread_count(user) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return StaffAlert.objects.filter(user=user, read_at__isnull=True).count()
