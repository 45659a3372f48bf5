"""Background jobs of the case core (ARCHITECTURE.md §3.8: small, take ids, idempotent)."""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import Q
from django_tasks import task

from tawasul.core.calendar import add_working_days, end_of_day, local_date

from .models import Case, reminders_none_sent, reminders_partly_sent
from .services import case_recompute_deadlines
from .workflow import registered_workflows

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


def reminder_horizon(now, days: int):
    """The latest answer deadline whose reminder `days` working days before it is reached at `now`:
    the end of the `days`th working day after today (Morocco's calendar).

    The inverse of `services.reminder_due`'s rule, exactly: that reminder is reached when today >=
    the `days`th working day before the answer day, i.e. when fewer than `days` working days lie
    strictly between today and the answer day, i.e. when the answer day is at most the `days`th
    working day after today (test_reminder_lookup checks it against `reminder_due` over weekends
    and holidays). It was a calendar bound of 2 × 5 + 7 = 17 days for every case."""
    return end_of_day(add_working_days(local_date(now), days))


def _send_reminders(now, *, batch: int, max_batches: int, remind, due) -> int:
    """D-5 and D-1 reminders (issue 4). One indexed look-up of the open, running cases that may have
    a reminder due; the exact working-day test runs in Python (`due`), and only the cases with a
    reminder due are locked (`remind`: `case_remind`).

    The look-up reads the cases whose next reminder is reached, and not the others (issue 7,
    scenario 5: at 1M open it read ~155,000 index entries of running cases already reminded at
    every sweep): the cases with no reminder sent for their deadline up to the deadline whose
    first reminder (D-5) is reached, and those with some sent up to the deadline whose second (D-1)
    is — once the first is sent, the cases waiting for the second are not read again until then.
    Each part is the condition of a partial index (`models.reminders_none_sent`,
    `reminders_partly_sent`). Batches follow the deadline, keyset on (answer_due_at, pk), so each
    reads from where the last ended; reminding a case does not move its deadline."""
    days = sorted(settings.CASE_REMINDER_WORKING_DAYS, reverse=True)
    if not days:
        return 0
    every = (1 << len(days)) - 1
    fields = (
        "pk",
        "portal",
        "status",
        "answer_due_at",
        "closed_at",
        "answered_at",
        "paused_at",
        "reminders_sent",
        "reminders_sent_for",
    )
    # A case its administration does not have yet (an unpaid document order, R3) is nobody's to
    # answer: no reminder names it to the staff (`Workflow.unseen_by_staff`).
    unseen = {portal: w.unseen_by_staff for portal, w in registered_workflows().items() if w.unseen_by_staff}
    # Some sent: the first (largest) is (case_remind marks the earlier ones sent with a later one),
    # so the next can be at most the second.
    parts = [(reminders_none_sent(), reminder_horizon(now, days[0]))]
    if len(days) > 1:
        parts.append((reminders_partly_sent(every), reminder_horizon(now, days[1])))
    sent, last = 0, None
    for _ in range(max_batches):
        keyset = Q()
        if last is not None:
            at = last.answer_due_at
            keyset = Q(answer_due_at__gt=at) | Q(answer_due_at=at, pk__gt=last.pk)
        # One query, a UNION ALL of the parts (disjoint), each on its own partial index: an OR of
        # them made PostgreSQL walk the ordered `case_answer_due_idx` and filter (its LIMIT guess).
        arms = [
            Case.objects.filter(part, keyset, answer_due_at__gt=now, answer_due_at__lte=until).only(*fields).order_by()
            for part, until in parts
        ]
        page = arms[0].union(*arms[1:], all=True) if len(arms) > 1 else arms[0]
        rows = list(page.order_by("answer_due_at", "pk")[:batch])
        if not rows:
            break
        for case in rows:
            if case.status in unseen.get(case.portal, ()):
                continue
            if due(case, now) is not None and remind(case=case, now=now) is not None:
                sent += 1
        last = rows[-1]
    return sent


@task(queue_name="sweeps")
def sweep_case_clocks() -> dict[str, int]:
    """The periodic SLA sweep (config/jobs.py): escalations, overdue marks, D-5/D-1 reminders."""
    return sweep_once()
