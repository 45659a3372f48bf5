"""Counters behind the public statistics (DOMAIN.md R2 "Public statistics"; issue 7).

The statistics page must not scan every complaint on each request (BENCHMARKING.md: full-scan
aggregates take seconds at 10M rows). Its sums are kept per (administration, month of receipt)
in `StatisticsCounter`, and brought up to date from the case events, which every change of a
case writes (the case core's rule: `case_transition`, `case_log_event`...):

- the months to re-count are those of the cases with an event newer than the watermark's
  `previous_event_id` (a case's month of receipt never changes; a transfer moves it between
  administrations of the same month, which a re-count of the whole month covers);
- those months are re-counted from the cases with the very aggregates of the direct query
  (`direct_counts`), so the page equals a full recount (tests compare them on random data);
- a refresh runs under a lock on the watermark row (PostgreSQL `FOR UPDATE`; SQLite's IMMEDIATE
  transactions serialise it), at most once per `COMPLAINTS_STATISTICS_REFRESH_SECONDS` when a
  reader asks (`ensure_fresh`); a scheduler may also call `statistics_refresh()` periodically, so
  that no reader ever waits for one;
- `statistics_refresh(full=True)` re-counts everything (done by the first refresh: the migration
  leaves the watermark row "never built"; and after bulk loads or deletions of cases).

Its cost follows the number of months touched since the last refresh, not the size of the table.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import Count, DurationField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tawasul.cases.models import Case, CaseEvent

from .models import Outcome, StatisticsCounter, StatisticsWatermark
from .workflow import PORTAL

__all__ = ["ANSWER_OUTCOMES", "SATISFIED_MIN_RATING", "direct_counts", "ensure_fresh", "statistics_refresh"]

#: Satisfied: a rating of 4 or 5 out of 5 (DOMAIN.md R2 "Satisfaction").
SATISFIED_MIN_RATING = 4
#: The outcomes an answer records (issue 4: `{"outcome": ...}` in the answer event's payload).
ANSWER_OUTCOMES = tuple(Outcome.values)
#: A case counts as processed once answered or closed (closed, inadmissible, duplicate, withdrawn).
PROCESSED = Q(answered_at__isnull=False) | Q(closed_at__isnull=False)
WATERMARK_PK = 1


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _month_bounds(month: date) -> tuple[datetime, datetime]:
    following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    zone = _zone()
    return datetime(month.year, month.month, 1, tzinfo=zone), datetime(following.year, following.month, 1, tzinfo=zone)


def direct_counts(cases=None):
    """The counters' sums computed from the cases, per (administration, month of receipt): the
    one definition of every figure (processed, satisfied, answered, positive...)."""
    cases = Case.objects.filter(portal=PORTAL) if cases is None else cases
    answers = CaseEvent.objects.filter(case=OuterRef("pk"), action="answer")
    return (
        cases.annotate(month=TruncMonth("received_at", tzinfo=_zone()))
        .values("administration_id", "month")
        .annotate(
            received=Count("pk"),
            processed=Count("pk", filter=PROCESSED),
            rated=Count("pk", filter=Q(complaint__satisfaction__isnull=False)),
            satisfied=Count("pk", filter=Q(complaint__satisfaction__gte=SATISFIED_MIN_RATING)),
            rating_sum=Sum("complaint__satisfaction"),
            reopened=Count("pk", filter=Q(reopen_count__gt=0)),
            timed=Count("pk", filter=Q(answered_at__isnull=False)),
            processing=Sum(
                ExpressionWrapper(F("answered_at") - F("received_at"), output_field=DurationField()),
                filter=Q(answered_at__isnull=False),
            ),
            answered=Count("pk", filter=Q(Exists(answers))),
            **{
                outcome: Count("pk", filter=Q(Exists(answers.filter(payload__outcome=outcome))))
                for outcome in ANSWER_OUTCOMES
            },
        )
        .order_by()
    )


def _counter(row: dict) -> StatisticsCounter:
    month = row["month"]
    processing = row["processing"] or timedelta(0)
    return StatisticsCounter(
        administration_id=row["administration_id"],
        month=month.date() if isinstance(month, datetime) else month,
        received=row["received"],
        processed=row["processed"],
        rated=row["rated"],
        satisfied=row["satisfied"],
        rating_sum=row["rating_sum"] or 0,
        reopened=row["reopened"],
        timed=row["timed"],
        processing_us=processing // timedelta(microseconds=1),
        answered=row["answered"],
        **{outcome: row[outcome] for outcome in ANSWER_OUTCOMES},
    )


def _recount(months: set[date] | None) -> int:
    """Replace the counters of `months` (None: all) by a recount; the number of rows written."""
    cases = Case.objects.filter(portal=PORTAL)
    counters = StatisticsCounter.objects.all()
    if months is not None:
        if not months:
            return 0
        ranges = Q()
        for month in months:
            start, end = _month_bounds(month)
            ranges |= Q(received_at__gte=start, received_at__lt=end)
        cases = cases.filter(ranges)
        counters = counters.filter(month__in=months)
    counters.delete()
    rows = [_counter(row) for row in direct_counts(cases)]
    StatisticsCounter.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _watermark(*, lock: bool) -> StatisticsWatermark | None:
    """The watermark row with `newest`, the newest event's id, read in the same query."""
    newest = Subquery(CaseEvent.objects.order_by("-pk").values("pk")[:1])
    marks = StatisticsWatermark.objects.annotate(newest=newest).filter(pk=WATERMARK_PK)
    return (marks.select_for_update() if lock else marks).first()


def _dirty_months(after_event_id: int) -> set[date]:
    """The months of receipt of the complaints with an event after `after_event_id`."""
    zone = _zone()
    received = (
        CaseEvent.objects.filter(pk__gt=after_event_id, case__portal=PORTAL)
        .values_list("case__received_at", flat=True)
        .distinct()
    )
    return {at.astimezone(zone).date().replace(day=1) for at in received}


def statistics_refresh(*, full: bool = False, now: datetime | None = None) -> int:
    """Bring the counters up to date; the number of counter rows re-written."""
    now = now or timezone.now()
    with transaction.atomic():
        mark = _watermark(lock=True)
        if mark is None:  # the migration's row was removed (a flushed test database)
            StatisticsWatermark.objects.create(pk=WATERMARK_PK)
            mark = _watermark(lock=True)
        newest = mark.newest or 0
        if full or mark.refreshed_at is None:
            written = _recount(None)
            mark.previous_event_id = newest
        elif newest == mark.last_event_id == mark.previous_event_id:
            return 0
        else:
            written = _recount(_dirty_months(mark.previous_event_id))
            mark.previous_event_id = mark.last_event_id
        mark.last_event_id, mark.refreshed_at = newest, now
        mark.save(update_fields=["previous_event_id", "last_event_id", "refreshed_at"])
        return written


def ensure_fresh(*, now: datetime | None = None) -> None:
    """For a reader: refresh when events happened since the last refresh and it is older than
    `COMPLAINTS_STATISTICS_REFRESH_SECONDS` (0: whenever something changed). One cheap query
    when nothing is due."""
    now = now or timezone.now()
    mark = _watermark(lock=False)
    if mark is None or mark.refreshed_at is None:
        statistics_refresh(now=now)
        return
    pending = mark.previous_event_id != mark.last_event_id or (mark.newest or 0) != mark.last_event_id
    age = (now - mark.refreshed_at).total_seconds()  # negative if the clock went back
    if pending and not 0 <= age < settings.COMPLAINTS_STATISTICS_REFRESH_SECONDS:
        statistics_refresh(now=now)
