"""Reads of the contact center (ARCHITECTURE.md §3.2): who may see what, the log, the callback
queue and the statistics (SPEC.md §8; DOMAIN.md §6, R6).

- contact agents (role `contact_agent`, a national role) use the console and read the log;
- their supervisors — the head of unit or higher management of an administration that has
  contact agents (the 3737 center's own unit) — read the log and the statistics;
- the national unit reads the statistics, not the log (its notes may name callers).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.utils import timezone

from tawasul.accounts.models import Membership
from tawasul.accounts.permissions import can_read_national_indicators, has_role, memberships_in_force
from tawasul.accounts.roles import Role

from .models import CallbackStatus, Category, Channel, Contact, Language, RequesterCategory

#: Roles that supervise the contact agents of their administration.
SUPERVISOR_ROLES = frozenset({Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})


def is_contact_agent(user) -> bool:
    return has_role(user, Role.CONTACT_AGENT)


def is_contact_supervisor(user) -> bool:
    """Head of unit or higher management of an administration where contact agents work."""
    administration_ids = {g.administration_id for g in memberships_in_force(user) if g.role in SUPERVISOR_ROLES}
    if not administration_ids:
        return False
    return (
        Membership.objects.active().filter(role=Role.CONTACT_AGENT, administration_id__in=administration_ids).exists()
    )


def can_read_log(user) -> bool:
    return is_contact_agent(user) or is_contact_supervisor(user)


def can_read_statistics(user) -> bool:
    return can_read_national_indicators(user) or is_contact_supervisor(user)


def contacts_for(user) -> QuerySet[Contact]:
    """The log as `user` may read it: every contact for agents and their supervisors, else none."""
    if not can_read_log(user):
        return Contact.objects.none()
    return Contact.objects.select_related("administration", "procedure", "facility", "complaint", "agent")


def contact_list(
    *,
    for_user,
    channel: str = "",
    category: str = "",
    language: str = "",
    start: date | None = None,
    end: date | None = None,
    mine: bool = False,
) -> QuerySet[Contact]:
    qs = contacts_for(for_user)
    if channel:
        qs = qs.filter(channel=channel)
    if category:
        qs = qs.filter(category=category)
    if language:
        qs = qs.filter(language=language)
    if start or end:
        qs = qs.filter(_period_q(start, end))
    if mine:
        qs = qs.filter(agent=for_user)
    return qs.order_by("-created_at", "-pk")


def callback_promise() -> timedelta:
    """The time within which a callback counts as made on time (`CONTACT_CALLBACK_WITHIN_DAYS`;
    DOMAIN.md R6: a written question's answer time, 3 days): the queue's "late" and the indicators'
    share on time both read it here."""
    return timedelta(days=settings.CONTACT_CALLBACK_WITHIN_DAYS)


def callbacks_waiting(user) -> QuerySet[Contact]:
    """The callback queue, oldest first (agents only); `is_late` once its promised time is past."""
    if not is_contact_agent(user):
        return Contact.objects.none()
    late = Q(created_at__lt=timezone.now() - callback_promise())
    return (
        Contact.objects.filter(callback_status=CallbackStatus.WAITING)
        .annotate(is_late=ExpressionWrapper(late, output_field=BooleanField()))
        .order_by("created_at", "pk")
    )


def callback_get(user, pk) -> Contact | None:
    """A waiting callback the agent may handle, or None."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        return None
    return callbacks_waiting(user).filter(pk=pk).first()


# --- Statistics ------------------------------------------------------------------------------------


def _period_q(start: date | None, end: date | None) -> Q:
    """Local days (Africa/Casablanca), both included: the stored `day`, no time-zone maths."""
    q = Q()
    if start is not None:
        q &= Q(day__gte=start)
    if end is not None:
        q &= Q(day__lte=end)
    return q


def _counted(rows: dict, choices) -> list[dict]:
    total = sum(rows.values()) or 0
    return [
        {
            "value": value,
            "label": label,
            "count": rows.get(value, 0),
            "percent": round(100 * rows.get(value, 0) / total, 1) if total else 0.0,
        }
        for value, label in choices
    ]


def _by(qs: QuerySet, field: str) -> dict:
    return {row[field]: row["n"] for row in qs.order_by().values(field).annotate(n=Count("pk"))}


def _period_of(day: date, period: str) -> date:
    return day if period == "day" else day.replace(day=1)


def contact_statistics(*, start: date | None = None, end: date | None = None, period: str = "month") -> dict:
    """Questions by category, channel, language and requester, and per day or month (Morocco
    time): the 3737 report of DOMAIN.md §6. No personal data: counts only. Grouped by the stored
    local `day` (one GROUP BY over an index), months folded from days here."""
    qs = Contact.objects.filter(_period_q(start, end))
    by_period: dict[date, dict[str, int]] = {}
    for row in qs.order_by().values("day", "category").annotate(n=Count("pk")):
        counts = by_period.setdefault(_period_of(row["day"], period), {})
        counts[row["category"]] = counts.get(row["category"], 0) + row["n"]
    series = [
        {
            "period": day,
            "total": sum(counts.values()),
            "counts": [counts.get(value, 0) for value, _label in Category.choices],
        }
        for day, counts in sorted(by_period.items())
    ]
    assistant = qs.filter(channel=Channel.ASSISTANT, callback_status="")
    answered = _by(assistant, "answered")
    assistant_total = sum(answered.values())
    assistant_answered = answered.get(True, 0)
    return {
        "total": sum(row["total"] for row in series),
        "by_category": _counted(_by(qs, "category"), Category.choices),
        "by_channel": _counted(_by(qs, "channel"), Channel.choices),
        "by_language": _counted(_by(qs, "language"), Language.choices),
        "by_requester": _counted(_by(qs, "requester_category"), RequesterCategory.choices),
        "series": series,
        "categories": Category.choices,
        "assistant_questions": assistant_total,
        "assistant_answered": assistant_answered,
        "assistant_answered_percent": round(100 * assistant_answered / assistant_total, 1) if assistant_total else 0.0,
        "callbacks_waiting": Contact.objects.filter(callback_status=CallbackStatus.WAITING).count(),
        "complaints_filed": qs.filter(complaint__isnull=False).count(),
    }


def contact_statistics_rows(*, start: date | None = None, end: date | None = None, period: str = "month"):
    """(period, channel, category, language, count) rows for the CSV export, in order."""
    rows = (
        Contact.objects.filter(_period_q(start, end))
        .order_by()
        .values("day", "channel", "category", "language")
        .annotate(n=Count("pk"))
    )
    folded: dict[tuple, int] = {}
    for row in rows:
        key = (_period_of(row["day"], period), row["channel"], row["category"], row["language"])
        folded[key] = folded.get(key, 0) + row["n"]
    for key in sorted(folded):
        yield (*key, folded[key])
