"""Fill a benchmark database with complaints at the seeds' scale (issue 7, "Data").

    python -m bench.generate --scale 1 --db sqlite        # 211,644 complaints
    python -m bench.generate --scale 10 --db postgres     # 2,116,440 complaints
    python -m bench.generate --quick --db sqlite          # 20,000 complaints
    python -m bench.generate --open 1000000 --db postgres # 1,000,000 OPEN cases (scenario 5)

The database (`var/bench/tawasul-<label>.sqlite3` or PostgreSQL `tawasul_bench_<label>` on
127.0.0.1, label quick|s1|s10) is dropped and re-created, migrated, loaded with the registry demo
(real divisions and 116 administrations) and the national subjects, then N complaints over the
last two years are written with bulk inserts, in chunks of one transaction each: the `Case` row
(a valid reference with its check character), its `CaseEvent` trail, the answer `Message`, the
`Complaint` row and the requester's emails in the outbox (one at filing and one per public step,
sent, as the platform keeps them: "what it costs to run" counts them). Statuses follow the age
of the case; the open cases' escalation and answer times are spread over the next 100 and 60
days, so that a sweep "at now + 1 day" finds ~1 % of the open cases due (scenario 5).
Deterministic (seeded). Progress on stderr.

`--open N` (label `open1m`, `open100k`, ...) writes N cases that are all OPEN, for the sweep
(scenario 5), in the state a sweep that has just run at the generation time T0 leaves them:
10 % waiting for the requester (paused), 40 % past their answer deadline and already flagged
overdue (the backlog every national sweep meets), 50 % running with their answer deadline
spread uniformly over the next 60 days (their D-5/D-1 reminders counted as sent, so the
reminder look-up walks its window but sends nothing); 20 % of the unpaused cases still climb
the escalation ladder, their next escalation spread uniformly over the next 100 days. A sweep
at T0 + d days therefore finds ~ (0.5 × d/60 + 0.2 × 0.9 × d/100) ≈ 1.0 % × d of the open cases
due: ~0.1 % at d = 0.1, ~1 % at d = 1, ~2 % at d = 2, whatever N.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bench import common

CHUNK = 5_000
SEED = 2026
MOROCCO = ZoneInfo("Africa/Casablanca")
DAY = timedelta(days=1)
#: Spread of the open cases' next escalation time after the generation time (scenario 5).
ESCALATION_SPREAD_DAYS = 100


def progress(done: int, total: int, started: float, what: str) -> None:
    width = 30
    filled = int(width * done / total) if total else width
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(f"\r  {what} [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} ({rate:,.0f}/s)")
    if done >= total:
        sys.stderr.write("\n")
    sys.stderr.flush()


class ReferenceAllocator:
    """CHK-YYYY-NNNNNNN-C per year of receipt (Morocco time), skipping check values 34-36 as
    `tawasul.core.references.next_reference` does."""

    def __init__(self):
        from tawasul.core.references import check_character

        self.check_character = check_character
        self.last: dict[int, int] = {}

    def next(self, received_at: datetime) -> str:
        year = received_at.astimezone(MOROCCO).year
        sequence = self.last.get(year, 0)
        while True:
            sequence += 1
            check = self.check_character("CHK", year, sequence)
            if check is not None:
                break
        self.last[year] = sequence
        return f"CHK-{year:04d}-{sequence:07d}-{check}"


class RowWriter:
    """Rows of one model written straight to its table, without model instances: PostgreSQL
    `COPY ... FROM STDIN` (psycopg's `cursor.copy`), SQLite `executemany` (issue 7: the ORM's
    `bulk_create` capped the generator near 1,100 complaints/s). A row is a dict by attribute name;
    every other column takes the field's default (or NULL), and a column with neither fails at
    once, so a field added to a model later is noticed here, not in a benchmark."""

    MISSING = object()

    def __init__(self, model, connection, *, with_pk: bool):
        from django.db import models

        self.connection = connection
        self.table = model._meta.db_table
        fields = [f for f in model._meta.concrete_fields if with_pk or not f.primary_key]
        self.attnames = [f.attname for f in fields]
        self.columns = [f.column for f in fields]
        self.defaults = {}
        for field in fields:
            if field.has_default():
                self.defaults[field.attname] = field.get_default()
            elif field.null:
                self.defaults[field.attname] = None
            elif field.empty_strings_allowed:  # a text column without default: Django writes ""
                self.defaults[field.attname] = ""
            else:
                self.defaults[field.attname] = self.MISSING
        self.json = {f.attname for f in fields if isinstance(f, models.JSONField)}
        self.datetimes = {f.attname for f in fields if isinstance(f, models.DateTimeField)}
        self.postgres = connection.vendor == "postgresql"
        self.rows: list[tuple] = []

    def add(self, values: dict) -> None:
        row = []
        for name in self.attnames:
            value = values.get(name, self.defaults[name])
            if value is self.MISSING:
                raise ValueError(f"{self.table}.{name}: no value and no default")
            if value is not None:
                if name in self.json:
                    value = json.dumps(value)
                elif name in self.datetimes and not self.postgres:
                    value = value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
            row.append(value)
        self.rows.append(tuple(row))

    def flush(self) -> int:
        written, rows = len(self.rows), self.rows
        self.rows = []
        if not rows:
            return 0
        columns = ", ".join(self.connection.ops.quote_name(c) for c in self.columns)
        with self.connection.cursor() as wrapper:
            if self.postgres:
                with wrapper.cursor.copy(f"COPY {self.table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(self.columns))
                wrapper.cursor.executemany(f"INSERT INTO {self.table} ({columns}) VALUES ({marks})", rows)
        return written


def drop_secondary_indexes(connection, tables: list[str]) -> list[str]:
    """PostgreSQL: drop the plain (non-unique) indexes of `tables` before the load and return their
    definitions, to build them once after it (a sort per index) instead of updating them row by
    row during COPY, which cost the server as much CPU as the generator itself. Unique indexes
    and primary keys stay: they are the data's own checks."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisunique AND NOT i.indisprimary
            """,
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    return [definition for _name, definition in indexes]


def create_indexes(connection, definitions: list[str]) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '256MB'")
        for number, definition in enumerate(definitions, 1):
            cursor.execute(definition)
            sys.stderr.write(f"\r  indexes [{number}/{len(definitions)}]")
    sys.stderr.write("\n")


def prepare_database(db: str, label: str) -> None:
    if db == "postgres":
        common.recreate_postgres_database(common.database_name(label))
    else:
        common.VAR.mkdir(parents=True, exist_ok=True)
        path = common.VAR / f"tawasul-{label}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)


def load_reference_data() -> None:
    from django.core.management import call_command
    from django.db import transaction

    from tawasul.complaints.loading import load_subjects
    from tawasul.registry import demo

    sys.stderr.write("  migrating...\n")
    call_command("migrate", "--noinput", verbosity=0)
    call_command("createcachetable", verbosity=0)
    with transaction.atomic():
        demo.load(sys.stderr)
        sys.stderr.write("\n")
        load_subjects()


#: `--open` mode (scenario 5): shares of the open cases, see the module docstring.
OPEN_PAUSED, OPEN_BACKLOG = 0.10, 0.40
OPEN_CLIMBING = 0.20
OPEN_ANSWER_SPREAD_DAYS = 60


def open_label(count: int) -> str:
    if count % 1_000_000 == 0:
        return f"open{count // 1_000_000}m"
    if count % 1_000 == 0:
        return f"open{count // 1_000}k"
    return f"open{count}"


def generate(total: int, *, now: datetime, all_open: bool = False) -> dict:
    from django.conf import settings
    from django.db import connection, transaction

    from tawasul.cases.models import Case, CaseEvent, Message
    from tawasul.cases.services import compute_deadlines, hash_tracking_token
    from tawasul.cases.workflow import get_workflow
    from tawasul.complaints.models import Complaint, Subject
    from tawasul.complaints.workflow import PORTAL
    from tawasul.core.references import raise_floor
    from tawasul.notifications.models import Notification
    from tawasul.registry.models import Administration

    rng = random.Random(SEED)
    admins = list(Administration.objects.order_by("pk"))
    # A few administrations receive most complaints (Zipf-like), as in the published figures.
    weights = list(itertools.accumulate(1 / (rank + 1) for rank in range(len(admins))))
    subjects = list(Subject.objects.filter(administration=None, parent=None).order_by("pk"))
    children = {s.pk: list(s.children.all()) for s in subjects}
    policy = get_workflow(PORTAL).policy_for("complaint")
    # Deadlines need the working-day calendar: computed once per day of receipt, not per case.
    deadlines_by_day: dict = {}
    refs = ReferenceAllocator()
    start = now - timedelta(days=730)
    # The outbox as the platform keeps it: the daily retention job blanked the older contents.
    content_until = now - timedelta(days=settings.NOTIFICATION_CONTENT_RETENTION_DAYS)
    stats = {"cases": 0, "events": 0, "messages": 0, "notifications": 0, "open": 0}
    has_outcome = any(f.name == "outcome" for f in Complaint._meta.concrete_fields)
    started = time.monotonic()
    pk = 0
    writers = {
        "case": RowWriter(Case, connection, with_pk=True),
        "complaint": RowWriter(Complaint, connection, with_pk=True),
        "event": RowWriter(CaseEvent, connection, with_pk=False),
        "message": RowWriter(Message, connection, with_pk=False),
        # The requester's emails: one for the filing, one for each public step (the workflow's
        # transitions tell the requester when they are public), sent, as the outbox keeps them.
        "notification": RowWriter(Notification, connection, with_pk=False),
    }
    dropped: list[str] = []
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:  # a throwaway data set: no fsync per chunk
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-200000")
    else:
        with connection.cursor() as cursor:  # a throwaway data set: no wait for the WAL flush
            cursor.execute("SET synchronous_commit TO off")
        dropped = drop_secondary_indexes(connection, [w.table for w in writers.values()])
    for chunk_start in range(0, total, CHUNK):
        for _ in range(min(CHUNK, total - chunk_start)):
            pk += 1
            if all_open:  # open cases are recent: the backlog 61-150 days old, the others < 60 days
                received = now - timedelta(seconds=rng.uniform(0, 150 * 86400))
            else:
                received = start + timedelta(seconds=rng.uniform(0, 730 * 86400))
            day = received.astimezone(MOROCCO).date()
            if day not in deadlines_by_day:
                deadlines_by_day[day] = compute_deadlines(policy, started_at=received)
            due = deadlines_by_day[day]
            maker = _open_case if all_open else _case
            case, trail = maker(pk, received, due, now, rng, admins, weights, refs, hash_tracking_token)
            writers["case"].add(case)
            subject = rng.choice(subjects)
            kids = children[subject.pk]
            answered_at = case["answered_at"]
            satisfaction = rng.randint(1, 5) if answered_at and rng.random() < 0.4 else None
            outcome = next((payload["outcome"] for action, *_r, payload in trail if action == "answer"), "")
            writers["complaint"].add(
                {
                    "case_id": pk,
                    "subject_id": subject.pk,
                    "sub_subject_id": rng.choice(kids).pk if kids else None,
                    "satisfaction": satisfaction,
                    "rated_at": answered_at + DAY if satisfaction else None,
                    **({"outcome": outcome} if has_outcome else {}),
                }
            )
            for action, from_status, to_status, at, payload in trail:
                writers["event"].add(
                    {
                        "case_id": pk,
                        "action": action,
                        "from_status": from_status,
                        "to_status": to_status,
                        "actor_role": "requester" if action == "submitted" else "officer",
                        "is_public": True,
                        "payload": payload,
                        "created_at": at,
                    }
                )
                stats["events"] += 1
                writers["notification"].add(_email(case, action, to_status, at, content_until))
                stats["notifications"] += 1
            if answered_at:
                writers["message"].add(
                    {
                        "case_id": pk,
                        "kind": Message.Kind.PUBLIC_ANSWER,
                        "author_role": "officer",
                        "body": "تمت معالجة شكايتكم. Votre réclamation a été traitée.",
                        "created_at": answered_at,
                    }
                )
                stats["messages"] += 1
            stats["open"] += case["closed_at"] is None
        with transaction.atomic():
            for writer in writers.values():  # cases first: the others point at them
                writer.flush()
        stats["cases"] = pk
        progress(stats["cases"], total, started, "complaints")
    with transaction.atomic():
        for year, last in refs.last.items():
            raise_floor("CHK", year, last)  # the next filings' numbers follow the generated ones
        from django.core.management.color import no_style

        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent, Message, Notification]):
                cursor.execute(sql)
    if connection.vendor == "postgresql":
        loaded = time.monotonic()
        create_indexes(connection, dropped)
        stats["index_build_seconds"] = round(time.monotonic() - loaded, 1)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    stats["seconds"] = round(time.monotonic() - started, 1)
    if all_open:  # a data set for the sweep only: no statistics page is measured on it
        return stats
    from tawasul.complaints.counters import statistics_refresh

    counted = time.monotonic()
    statistics_refresh(full=True, now=now)  # the public statistics' counters (issue 7)
    stats["statistics_counters_seconds"] = round(time.monotonic() - counted, 1)
    sys.stderr.write(f"  statistics counters built in {stats['statistics_counters_seconds']} s\n")
    return stats


def _email(case: dict, action: str, status: str, at: datetime, content_until: datetime) -> dict:
    """The outbox row of the email a step of the case sent its requester, as `notify` writes it,
    the sending task leaves it (sent a few seconds later) and the retention job keeps it (its
    content blanked when written before `content_until`: ADR 0057)."""
    received = action == "submitted"
    context = {
        "reference": case["reference"],
        "first_name": case["first_name"],
        "status": status,
        **({"received_on": at.date().isoformat()} if received else {"action": action, "note": ""}),
    }
    return {
        "channel": "email",
        "to": case["email"],
        "template": "case_received" if received else "case_updated",
        "context": context if at >= content_until else {},
        "language": case["language"],
        "subject_ref": case["reference"],
        "status": "sent",
        "attempts": 1,
        "next_attempt_at": at,
        "claimed_at": None,
        "last_error": "",
        "sent_at": at + timedelta(seconds=5),
        "created_at": at,
    }


def _case(pk, received, due, now, rng, admins, weights, refs, hash_token, *, force_open=False):
    """One case (its column values by attribute name) and its event trail, its status following
    its age."""
    age = (now - received).days
    trail = [("submitted", "", "submitted", received, {"channel": "web", "attachments": 0})]
    fields = {
        "status": "submitted",
        "answered_at": None,
        "closed_at": None,
        "paused_at": None,
        "is_overdue": False,
        "escalation_level": 1,
        "next_escalation_at": None,
        "last_qualifying_action_at": None,
    }
    roll = 0.99 if force_open else rng.random()
    t = received
    if roll < 0.03:  # not admissible, duplicate or withdrawn
        status = rng.choice(["inadmissible", "duplicate", "withdrawn"])
        t = received + timedelta(days=rng.uniform(0.5, 5))
        trail.append((status, "submitted", status, t, {}))
        fields.update(status=status, closed_at=t, last_qualifying_action_at=t)
    else:
        done_days = rng.uniform(1, 80)  # how long the administration took to answer
        if age > done_days and roll < 0.93:
            ack = received + timedelta(days=rng.uniform(0.1, min(2, done_days / 2)))
            answered = received + timedelta(days=done_days)
            outcome = rng.choice(["positive", "positive", "negative", "partial", "informative"])
            trail += [
                ("acknowledge", "submitted", "acknowledged", ack, {}),
                ("start", "acknowledged", "in_progress", ack, {}),
                ("answer", "in_progress", "answered", answered, {"outcome": outcome}),
            ]
            fields.update(status="answered", answered_at=answered, last_qualifying_action_at=answered)
            if age > done_days + 30:
                closed = answered + timedelta(days=30)
                trail.append(("close", "answered", "closed", closed, {}))
                fields.update(status="closed", closed_at=closed)
        else:  # still open: waiting, acknowledged, in progress or waiting for information
            state = rng.choice(["submitted", "acknowledged", "in_progress", "in_progress", "info_requested"])
            if state != "submitted":
                ack = received + timedelta(days=rng.uniform(0.1, 2))
                trail.append(("acknowledge", "submitted", "acknowledged", ack, {}))
                fields["last_qualifying_action_at"] = ack
            if state in ("in_progress", "info_requested"):
                trail.append(("start", "acknowledged", "in_progress", ack, {}))
            if state == "info_requested":
                trail.append(("request_information", "in_progress", "info_requested", ack, {}))
                fields["paused_at"] = ack
            fields["status"] = state
            fields["is_overdue"] = due["answer_due_at"] < now and state != "info_requested"
            if rng.random() < 0.5:  # still climbing the escalation ladder
                fields["escalation_level"] = rng.choice([1, 2])
                fields["next_escalation_at"] = now + timedelta(seconds=rng.uniform(0, ESCALATION_SPREAD_DAYS * 86400))
            else:
                fields["escalation_level"] = 3
    admin = rng.choices(admins, cum_weights=weights)[0]
    reference = refs.next(received)
    case = dict(
        id=pk,
        reference=reference,
        portal="complaints",
        kind=rng.choice(["complaint", "complaint", "complaint", "observation", "suggestion"]),
        administration_id=admin.pk,
        channel=rng.choice(["web", "web", "mobile_app", "phone_3737", "counter"]),
        language=rng.choice(["ar", "ar", "fr"]),
        first_name="Citoyen",
        last_name=f"N{pk}",
        id_type="cin",
        id_number=f"AB{pk:06d}"[-8:],
        email=f"citizen{pk}@example.ma",
        phone=f"+2126{pk:08d}"[-13:],
        subject="شكاية",
        description="لم أتوصل بشهادة الإقامة رغم مرور شهرين على إيداع الطلب.",
        received_at=received,
        clock_started_at=received,
        first_action_due_at=due["first_action_due_at"],
        answer_due_at=due["answer_due_at"],
        deadlines_provisional=due.get("deadlines_provisional", False),
        tracking_token_hash=hash_token(f"bench-token-{pk}"),
        created_at=received,
        updated_at=t,
        **fields,
    )
    return case, trail


def _open_case(pk, received, due, now, rng, admins, weights, refs, hash_token):
    """One OPEN case for the sweep's data set (`--open`), as a sweep at `now` leaves it (module
    docstring). The deadlines are set directly (uniform times, not the calendar's end of day), so
    that the number due grows smoothly with the sweep time."""
    case, trail = _case(pk, received, due, now, rng, admins, weights, refs, hash_token, force_open=True)
    roll = rng.random()
    fields = {"reminders_sent": 0, "reminders_sent_for": None, "paused_at": None, "is_overdue": False}
    if roll < OPEN_PAUSED:
        fields["paused_at"] = received + timedelta(days=1)
        fields["answer_due_at"] = received + timedelta(days=60)
        status = "info_requested"
    elif roll < OPEN_PAUSED + OPEN_BACKLOG:
        fields["answer_due_at"] = now - timedelta(seconds=rng.uniform(1, 90 * 86400))
        fields["is_overdue"] = True
        status = rng.choice(["submitted", "acknowledged", "in_progress"])
    else:
        answer_due = now + timedelta(seconds=rng.uniform(0, OPEN_ANSWER_SPREAD_DAYS * 86400))
        fields["answer_due_at"] = answer_due
        fields["reminders_sent"] = 3  # D-5 and D-1 (both bits) counted as sent for this deadline
        fields["reminders_sent_for"] = answer_due
        status = rng.choice(["submitted", "acknowledged", "in_progress"])
    fields["received_at"] = fields["clock_started_at"] = fields["created_at"] = received = min(
        received, fields["answer_due_at"] - timedelta(days=60)
    )
    fields["first_action_due_at"] = received + timedelta(days=2)
    fields["deadlines_provisional"] = False
    if fields["paused_at"] is None and rng.random() < OPEN_CLIMBING:
        fields["escalation_level"] = rng.choice([1, 2])
        fields["next_escalation_at"] = now + timedelta(seconds=rng.uniform(0, ESCALATION_SPREAD_DAYS * 86400))
    else:
        fields["escalation_level"], fields["next_escalation_at"] = 3, None
    case.update(status=status, **fields)
    trail = [("submitted", "", "submitted", received, {"channel": "web", "attachments": 0})]
    if status != "submitted":
        trail.append(("acknowledge", "submitted", "acknowledged", received + DAY, {}))
    if status in ("in_progress", "info_requested"):
        trail.append(("start", "acknowledged", "in_progress", received + DAY, {}))
    if status == "info_requested":
        trail.append(("request_information", "in_progress", "info_requested", received + DAY, {}))
    case["last_qualifying_action_at"] = received + DAY if status != "submitted" else None
    return case, trail


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1, help="1 = 211,644 complaints, 10 = 2,116,440")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--quick", action="store_true", help=f"{common.QUICK_COMPLAINTS:,} complaints")
    parser.add_argument(
        "--open", type=int, default=0, help="N cases, all open (scenario 5's sweep), label openNk|openNm"
    )
    args = parser.parse_args(argv)
    if args.open:
        label, total = open_label(args.open), args.open
    else:
        label = common.size_label(scale=args.scale, quick=args.quick)
        total = common.complaints_for(scale=args.scale, quick=args.quick)
    sys.stderr.write(f"Generating {total:,} complaints into {common.database_url(args.db, label)}\n")
    begun = time.monotonic()
    prepare_database(args.db, label)
    common.setup_django(args.db, label)
    load_reference_data()
    from django.utils import timezone

    now = timezone.now()
    stats = generate(total, now=now, all_open=bool(args.open))
    common.VAR.mkdir(parents=True, exist_ok=True)
    meta = {"generated_at": now.isoformat(), "complaints": total, **stats}
    (common.VAR / f"meta-{label}-{args.db}.json").write_text(json.dumps(meta, indent=2))
    sys.stderr.write(
        f"Done in {time.monotonic() - begun:.0f} s: {stats['cases']:,} cases ({stats['open']:,} open), "
        f"{stats['events']:,} events, {stats['messages']:,} messages, {stats['notifications']:,} emails\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
