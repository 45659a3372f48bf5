"""Background jobs of the case core (ARCHITECTURE.md §3.8: small, take ids, idempotent)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import F, Q
from django_tasks import task

from tawasul.core.calendar import end_of_day

from .models import Case
from .services import case_recompute_deadlines

#: Cases recomputed per batch (BENCHMARKING.md: sweeps work in bounded batches).
BATCH = 500


@task(queue_name="sweeps")
def recompute_open_deadlines(dates: list[str]) -> int:
    """Recompute the deadlines of the open cases whose clock spans one of `dates` (ISO), after a
    holiday override changed (core.signals.holidays_changed; DOMAIN.md R8 "recomputed when
    overrides change"). Safe to run twice: the result depends only on the calendar."""
    days = sorted(date.fromisoformat(day) for day in dates)
    if not days:
        return 0
    low = end_of_day(days[0] - timedelta(days=1))
    high = end_of_day(days[-1])
    spans = Q(received_at__lte=high) & (
        Q(answer_due_at__gte=low) | Q(next_escalation_at__gte=low) | Q(first_action_due_at__gte=low)
    )
    ids = list(Case.objects.filter(spans, closed_at__isnull=True).values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        for case in Case.objects.filter(pk__in=ids[start : start + BATCH]).only("pk"):
            case_recompute_deadlines(case=case)
    return len(ids)


def _due_batches(queryset, field: str, *, batch: int, max_batches: int):
    """The ids of `queryset`'s cases, `batch` at a time, in the order of `field` (the sweep's
    partial indexes: `next_escalation_at`, `answer_due_at`), from where the last batch ended
    (keyset on (field, pk)). In index order, PostgreSQL reads the index range of the due cases
    only; in pk order it walked the table whenever it guessed many rows due (issue 7, at 1M open
    with 400,000 already overdue: 0.2 s and ~58,000 rows read per batch of the overdue look-up,
    and the whole table read by the last, empty one)."""
    last = None
    for _ in range(max_batches):
        page = queryset
        if last is not None:
            page = page.filter(Q(**{f"{field}__gt": last[0]}) | Q(**{field: last[0], "pk__gt": last[1]}))
        rows = list(page.order_by(field, "pk").values_list(field, "pk")[:batch])
        if not rows:
            return
        yield [pk for _, pk in rows]
        last = rows[-1]


def sweep_once(*, now=None, batch: int = BATCH, max_batches: int = 200) -> dict[str, int]:
    """Escalate the cases whose escalation time has passed, flag the overdue ones and send the
    D-5 / D-1 reminders of the answer deadline.

    The cost follows the number of cases *due*, not the number open: both look-ups run on
    partial indexes of open cases (`next_escalation_at`, `answer_due_at`), and each case is
    handled by a service that locks it, re-reads it and acts only if it is still due — so two
    sweeps at the same moment (two workers, two schedulers) escalate and notify once.
    Works in bounded batches (BENCHMARKING.md: no giant UPDATE holding locks). Overdue flags,
    which send nothing, and escalations are handled a batch at a time by their services
    (`case_mark_overdue_many`, `case_escalate_many`: one transaction and a few bulk queries per
    batch); reminders go through their service one case at a time.
    """
    from django.utils import timezone

    from .services import case_escalate_many, case_mark_overdue_many, case_remind, reminder_due

    now = now or timezone.now()
    counts = {"escalated": 0, "overdue": 0, "reminded": 0}
    escalation_due = Case.objects.filter(closed_at__isnull=True, paused_at__isnull=True, next_escalation_at__lte=now)
    overdue_due = Case.objects.filter(
        closed_at__isnull=True,
        answered_at__isnull=True,
        paused_at__isnull=True,
        is_overdue=False,
        answer_due_at__lt=now,
    )
    escalated: set[int] = set()  # one level per case and sweep, as before (its new time may be due too)
    contacts: dict = {}  # the people of each administration and level, looked up once per sweep
    for ids in _due_batches(escalation_due, "next_escalation_at", batch=batch, max_batches=max_batches):
        fresh = [pk for pk in ids if pk not in escalated]
        if fresh:
            escalated.update(case_escalate_many(ids=fresh, now=now, contacts=contacts))
    counts["escalated"] = len(escalated)
    for ids in _due_batches(overdue_due, "answer_due_at", batch=batch, max_batches=max_batches):
        counts["overdue"] += case_mark_overdue_many(ids=ids, now=now)
    counts["reminded"] = _send_reminders(
        now, batch=batch, max_batches=max_batches, remind=case_remind, due=reminder_due
    )
    return counts


def _reminder_horizon_days() -> int:
    """Calendar days that surely hold the largest reminder's working days (two weekends a week
    and the longest run of holidays, Eid or August, fit in twice the count plus a week)."""
    return 2 * max(settings.CASE_REMINDER_WORKING_DAYS, default=0) + 7


def _send_reminders(now, *, batch: int, max_batches: int, remind, due) -> int:
    """D-5 and D-1 reminders (issue 4). One indexed look-up of the open, running cases whose answer
    deadline is near and whose reminders for that deadline are not all sent; the exact working-day
    test runs in Python, and only the cases with a reminder due are locked (`case_remind`)."""
    if not settings.CASE_REMINDER_WORKING_DAYS:
        return 0
    every = (1 << len(settings.CASE_REMINDER_WORKING_DAYS)) - 1
    candidates = Case.objects.filter(
        closed_at__isnull=True,
        answered_at__isnull=True,
        paused_at__isnull=True,
        answer_due_at__gt=now,
        answer_due_at__lte=now + timedelta(days=_reminder_horizon_days()),
    ).exclude(reminders_sent=every, reminders_sent_for=F("answer_due_at"))
    fields = ("pk", "answer_due_at", "closed_at", "answered_at", "paused_at", "reminders_sent", "reminders_sent_for")
    sent, last_pk = 0, 0
    for _ in range(max_batches):
        rows = list(candidates.filter(pk__gt=last_pk).order_by("pk").only(*fields)[:batch])
        if not rows:
            break
        for case in rows:
            if due(case, now) is not None and remind(case=case, now=now) is not None:
                sent += 1
        last_pk = rows[-1].pk
    return sent


@task(queue_name="sweeps")
def sweep_case_clocks() -> dict[str, int]:
    """The periodic SLA sweep (config/jobs.py): escalations, overdue marks, D-5/D-1 reminders."""
    return sweep_once()
