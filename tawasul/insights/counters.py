"""Counters of the case figures the portals' own counters do not keep (docs/adr/0030).

Per (portal, administration, month of receipt): received, processed, overdue, escalated, reopened
and two duration histograms (time to first action, time to answer). They are brought up to date
from the case events exactly as `tawasul.complaints.counters` does (every change of a case writes
one): the (portal, month) pairs of the cases with an event above the watermark are re-counted
whole, under a lock on the watermark row. The cost follows the months touched, not the table.

Definitions (the one place they live):
- *processed*: answered or closed (the complaints' definition, ADR 0008);
- *overdue*: flagged overdue by the sweep (open past its answer deadline), or answered after
  its answer deadline;
- *escalated*: reached escalation level 2 or 3;
- *first action*: the first qualifying action of a staff member (ADR 0007: a staff transition
  marked qualifying in the portal's workflow, or an internal note), from the receipt;
- *time to answer*: answered_at - received_at (calendar time, as ADR 0008).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime

from django.db import transaction
from django.db.models import Min, Subquery
from django.utils import timezone

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.workflow import REQUESTER, SYSTEM, registered_workflows
from tawasul.core.calendar import CALENDAR_TZ
from tawasul.core.figures import HOURLY_UP_TO, PROVIDERS, add_to_histogram, duration_bucket, month_bounds

from .models import IndicatorCounter, IndicatorWatermark

WATERMARK_PK = 1
__all__ = ["HOURLY_UP_TO", "count_month", "duration_bucket", "ensure_fresh", "indicators_refresh", "month_bounds"]


def qualifying_actions() -> set[str]:
    """The staff actions that count as a first action (ADR 0007), over every registered portal."""
    actions = {"note_added"}
    for workflow in registered_workflows().values():
        actions.update(t.action for t in workflow.transitions if t.qualifying)
    return actions


def month_of(moment: datetime) -> date:
    return moment.astimezone(CALENDAR_TZ).date().replace(day=1)


def _first_actions(portal: str, start: datetime, end: datetime) -> dict[int, datetime]:
    """Case id -> time of its first qualifying staff action, for one portal's cases received in
    [start, end): one grouped query over their events (3x faster than a subquery per case)."""
    events = (
        CaseEvent.objects.filter(
            case__portal=portal,
            case__received_at__gte=start,
            case__received_at__lt=end,
            action__in=sorted(qualifying_actions()),
        )
        .exclude(actor_role__in=(REQUESTER, SYSTEM))
        .order_by()
        .values("case_id")
        .annotate(first=Min("created_at"))
        .values_list("case_id", "first")
    )
    return dict(events.iterator(chunk_size=5000))


def _milestones(portal: str, start: datetime, end: datetime, actions) -> dict[int, datetime]:
    """Case id -> time of its first event among `actions` (any actor), for one portal's cases
    received in [start, end): one grouped query, like `_first_actions`."""
    events = (
        CaseEvent.objects.filter(
            case__portal=portal, case__received_at__gte=start, case__received_at__lt=end, action__in=sorted(actions)
        )
        .order_by()
        .values("case_id")
        .annotate(first=Min("created_at"))
        .values_list("case_id", "first")
    )
    return dict(events.iterator(chunk_size=5000))


def _unseen_statuses(portal: str) -> list[str]:
    """The statuses in which the administration does not have the case yet (an unpaid document
    order, R3): not received, not counted (`Workflow.unseen_by_staff`)."""
    workflow = registered_workflows().get(portal)
    return sorted(workflow.unseen_by_staff) if workflow is not None else []


def count_month(portal: str, month: date) -> list[IndicatorCounter]:
    """The counters of one portal's cases received in `month`, from the cases (two queries, and
    one per milestone its provider declares)."""
    start, end = month_bounds(month)
    firsts = _first_actions(portal, start, end)
    provider = PROVIDERS.get(portal)
    status_counts = dict(provider.status_counts) if provider is not None else {}
    milestones = {
        name: _milestones(portal, start, end, actions)
        for name, actions in (provider.milestones.items() if provider is not None else ())
    }
    rows = (
        Case.objects.filter(portal=portal, received_at__gte=start, received_at__lt=end)
        .exclude(status__in=_unseen_statuses(portal))
        .order_by()
        .values_list(
            "pk",
            "kind",
            "administration_id",
            "received_at",
            "answered_at",
            "closed_at",
            "answer_due_at",
            "is_overdue",
            "escalation_level",
            "reopen_count",
            "status",
        )
    )
    sums: dict[tuple[str, int], dict] = defaultdict(
        lambda: {"received": 0, "processed": 0, "overdue": 0, "escalated": 0, "reopened": 0}
    )
    first_hist: dict[tuple[str, int], Counter] = defaultdict(Counter)
    answer_hist: dict[tuple[str, int], Counter] = defaultdict(Counter)
    extra: dict[tuple[str, int], dict] = defaultdict(dict)
    for pk, kind, adm, received, answered, closed, due, overdue, level, reopens, status in rows.iterator(
        chunk_size=2000
    ):
        first_at = firsts.get(pk)
        key = (kind, adm)
        s = sums[key]
        mine = extra[key]
        for name, statuses in status_counts.items():
            mine[name] = mine.get(name, 0) + (status in statuses)
        for name, times in milestones.items():
            if pk in times:
                add_to_histogram(mine.setdefault(name, {}), (times[pk] - received).total_seconds())
        s["received"] += 1
        s["processed"] += answered is not None or closed is not None
        s["overdue"] += bool(overdue) or (answered is not None and due is not None and answered > due)
        s["escalated"] += level > 1
        s["reopened"] += reopens > 0
        if first_at is not None:
            first_hist[key][duration_bucket((first_at - received).total_seconds())] += 1
        if answered is not None:
            answer_hist[key][duration_bucket((answered - received).total_seconds())] += 1
    return [
        IndicatorCounter(
            portal=portal,
            kind=kind,
            administration_id=adm,
            month=month,
            first_action={str(k): v for k, v in sorted(first_hist[(kind, adm)].items())},
            answer={str(k): v for k, v in sorted(answer_hist[(kind, adm)].items())},
            extra=extra[(kind, adm)],
            **s,
        )
        for (kind, adm), s in sums.items()
    ]


def _recount(pairs: set[tuple[str, date]]) -> int:
    written = 0
    for portal, month in sorted(pairs):
        IndicatorCounter.objects.filter(portal=portal, month=month).delete()
        rows = count_month(portal, month)
        IndicatorCounter.objects.bulk_create(rows, batch_size=1000)
        written += len(rows)
    return written


def _all_pairs() -> set[tuple[str, date]]:
    pairs = set()
    for portal in Case.objects.order_by().values_list("portal", flat=True).distinct():
        bounds = Case.objects.filter(portal=portal).aggregate(first=Min("received_at"))
        if bounds["first"] is None:
            continue
        month, last = month_of(bounds["first"]), month_of(timezone.now())
        while month <= last:
            pairs.add((portal, month))
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return pairs


def _dirty_pairs(after_event_id: int) -> set[tuple[str, date]]:
    touched = (
        CaseEvent.objects.filter(pk__gt=after_event_id)
        .order_by()
        .values_list("case__portal", "case__received_at")
        .distinct()
    )
    return {(portal, month_of(received)) for portal, received in touched}


def _watermark(*, lock: bool):
    newest = Subquery(CaseEvent.objects.order_by("-pk").values("pk")[:1])
    marks = IndicatorWatermark.objects.annotate(newest=newest).filter(pk=WATERMARK_PK)
    return (marks.select_for_update() if lock else marks).first()


def indicators_refresh(*, full: bool = False, now: datetime | None = None) -> int:
    """Bring the counters up to date; the number of counter rows re-written."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _watermark(lock=True)
        if mark is None:
            IndicatorWatermark.objects.get_or_create(pk=WATERMARK_PK)
            mark = _watermark(lock=True)
        newest = mark.newest or 0
        if full or mark.refreshed_at is None:
            IndicatorCounter.objects.all().delete()
            written = _recount(_all_pairs())
            mark.previous_event_id = newest
        elif newest == mark.last_event_id == mark.previous_event_id:
            return 0
        else:
            written = _recount(_dirty_pairs(mark.previous_event_id))
            mark.previous_event_id = mark.last_event_id
        mark.last_event_id, mark.refreshed_at = newest, now
        mark.save(update_fields=["previous_event_id", "last_event_id", "refreshed_at"])
        return written


#: A reader refreshes the counters itself only when the sweep (every 5 minutes) is late.
READER_MAX_AGE_SECONDS = 300


def ensure_fresh(*, max_age_seconds: int = READER_MAX_AGE_SECONDS, now: datetime | None = None) -> None:
    """For a reader: refresh when events happened since and the last refresh is older than
    `max_age_seconds` (the sweep normally keeps it younger). One cheap query when nothing is due."""
    now = now or timezone.now()
    mark = _watermark(lock=False)
    if mark is None or mark.refreshed_at is None:
        indicators_refresh(now=now)
        return
    pending = mark.previous_event_id != mark.last_event_id or (mark.newest or 0) != mark.last_event_id
    age = (now - mark.refreshed_at).total_seconds()
    if pending and not 0 <= age < max_age_seconds:
        indicators_refresh(now=now)
