"""The back-office inbox on one administration with N cases (issue 4: "fast on an administration
with 100,000 cases").

    .venv/bin/python -m bench.inbox --cases 10000
    .venv/bin/python -m bench.inbox --cases 100000 --db postgres

A throwaway database (`var/bench/inbox-<N>.sqlite3`, or PostgreSQL `tawasul_bench_inbox_<N>` on
127.0.0.1) is re-created and migrated, one administration and two officers are made, and N `Case`
rows (valid references, deadlines spread over the past and the next 60 days, 84 % closed, 3 % of
the open ones and 20 % of the closed ones overdue (answered late), levels 1-3, subjects from a
small vocabulary, 30 % of the cases assigned: a third of those to the benchmark's officer, the
rest to a colleague) are written with `bulk_create`. `--keep` reuses that database when it
already holds N cases (migrations are still applied, so a new index is measured on the same
rows). Then, in the same process with Django's test client, interleaved (BENCHMARKING.md: a
baseline in the same run, A B A B), each scenario is timed `--reps` times:

- baseline: a bare `SELECT <inbox columns> FROM cases_case WHERE administration_id = %s ORDER
  BY received_at DESC LIMIT 25` through a raw cursor;
- default: `GET /fr/staff/` (open cases, newest first, counts);
- overdue_mine: `GET /fr/staff/?overdue=on&mine=on` (issue 7 scenario 3: "overdue" and
  "assigned to me");
- filtered: `GET /fr/staff/?overdue=on&level=2&sort=due`;
- search: `GET /fr/staff/?q=<two words>&status=all`;
- counts: `backoffice.selectors.inbox_counts` alone, in process (what every page pays for its
  counts per filter; server side, no HTTP);
- search_counts: the same with the search words (the counts follow the search).

Reported: p50, p95 and p99 in ms of each, each p50 as a ratio to the baseline's p50 (the ratio is
the number to compare between runs: the machine is shared and noisy), the mean server CPU per
request (this process, plus its PostgreSQL backend read from /proc), and the load average at the
start, the end and the highest seen at the start of a repetition.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "bench"
WORDS = (
    *("retard", "délivrance", "permis", "passeport", "eau", "électricité", "route", "hôpital", "école"),
    *("dossier", "رخصة", "تأخير", "ماء", "كهرباء", "طريق", "مستشفى", "مدرسة", "ملف"),
)


def _database_url(db: str, n: int, *, keep: bool = False) -> str:
    if db == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        path = VAR / f"inbox-{n}.sqlite3"
        if keep and path.exists():
            return f"sqlite:///{path}"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = f"tawasul_bench_inbox_{n}"
    admin = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if keep and exists:
            return f"{admin.rsplit('/', 1)[0]}/{name}"
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin.rsplit('/', 1)[0]}/{name}"


def _setup(db: str, n: int, *, keep: bool = False) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _database_url(db, n, keep=keep),
            "TAWASUL_TESTING": "1",  # plain static storage (no collectstatic), no forced staff 2FA
            "DEBUG": "0",
            "TAWASUL_DEMO": "0",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummymail://",
            "ALLOWED_HOSTS": "testserver,localhost",
        }
    )
    os.environ.pop("TEST_DB_NAME", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def _fill(n: int):
    from django.utils import timezone

    from tawasul.accounts.models import Membership, User
    from tawasul.cases.models import Case
    from tawasul.core.references import check_character
    from tawasul.registry.models import Administration

    existing = Administration.objects.filter(code="bench-adm").first()
    if existing is not None and Case.objects.filter(administration=existing).count() == n:
        print(f"{n} cases kept from the previous run (--keep)", file=sys.stderr)
        return existing, User.objects.get(username="officer")
    rng = random.Random(2026)
    administration = Administration.objects.create(
        code="bench-adm", name_ar="إدارة", name_fr="Administration", kind="ministry", group="ministries"
    )
    officer = User.objects.create_user(username="officer", email="officer@example.ma", password="x")
    colleague = User.objects.create_user(username="colleague", email="colleague@example.ma", password="x")
    for user in (officer, colleague):
        Membership.objects.create(user=user, administration=administration, role="officer", starts_on="2020-01-01")
    now = timezone.now()
    rows, sequence = [], 0
    started = time.perf_counter()
    while len(rows) < n:
        sequence += 1
        check = check_character("CHK", 2026, sequence)
        if check is None:
            continue
        received = now - timedelta(days=rng.uniform(0, 700))
        closed = rng.random() < 0.84  # ~16 % open, as in the national figures (bench/generate.py)
        assigned = rng.random()
        assignee = officer if assigned < 0.10 else colleague if assigned < 0.30 else None
        rows.append(
            Case(
                reference=f"CHK-2026-{sequence:07d}-{check}",
                portal="complaints",
                kind=rng.choice(("complaint", "observation", "suggestion")),
                administration=administration,
                channel=rng.choice(("web", "web", "web", "phone_3737", "counter")),
                status="closed" if closed else rng.choice(("submitted", "acknowledged", "in_progress")),
                language=rng.choice(("ar", "fr")),
                is_confidential=rng.random() < 0.05,
                first_name="Amina",
                last_name="El Idrissi",
                email=f"c{sequence}@example.ma",
                subject=" ".join(rng.sample(WORDS, 4)),
                description="…",
                received_at=received,
                answer_due_at=now + timedelta(days=rng.uniform(-10, 60)),
                first_action_due_at=received + timedelta(days=2),
                escalation_level=rng.choice((1, 1, 1, 2, 3)),
                # 3 % of the open cases are overdue; a closed case keeps the flag when it was
                # answered late (cases.services clears it only on a restart or an extension):
                # 20 % of the closed ones, so "overdue" is not an open-only column.
                is_overdue=rng.random() < (0.20 if closed else 0.03),
                answered_at=now if closed else None,
                closed_at=now if closed else None,
                assignee=assignee,
                tracking_token_hash="0" * 64,
            )
        )
    # Cases arrive in time order: rows are written oldest first, as a live database holds them
    # (a walk of the received_at index then reads the table in order, not at random).
    rows.sort(key=lambda case: case.received_at)
    Case.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    if connection.vendor == "postgresql":
        # The steady state autovacuum reaches on a live database: statistics and a visibility map
        # (index-only scans). SQLite gets no ANALYZE: nothing runs it in production.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE cases_case")
    print(f"{n} cases written in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return administration, officer


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--db", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--keep", action="store_true", help="reuse the database of a previous run with N cases")
    parser.add_argument("--only", default="", help="comma-separated scenarios to time (default: all)")
    args = parser.parse_args(argv)
    _setup(args.db, args.cases, keep=args.keep)
    from django.db import connection
    from django.test import Client

    from tawasul.backoffice.selectors import InboxFilters, inbox_counts

    administration, officer = _fill(args.cases)
    client = Client()
    client.force_login(officer)
    pages = {
        "default": {},
        "overdue_mine": {"overdue": "on", "mine": "on"},
        "filtered": {"overdue": "on", "level": "2", "sort": "due"},
        "search": {"q": "retard permis", "status": "all"},
    }
    in_process = {
        "counts": InboxFilters(),
        "search_counts": InboxFilters(q="retard permis", status="all"),
    }
    wanted = {name for name in args.only.split(",") if name} or {*pages, *in_process}
    sql = (
        "SELECT id, reference, subject, status, received_at, answer_due_at, escalation_level, assignee_id "
        "FROM cases_case WHERE administration_id = %s ORDER BY received_at DESC LIMIT 25"
    )

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(sql, [administration.pk])
            cursor.fetchall()

    def page(params):
        def run():
            response = client.get("/fr/staff/", params)
            assert response.status_code == 200, response.status_code

        return run

    def counts(filters):
        return lambda: inbox_counts(user=officer, filters=filters, due_within=5)

    def server_cpu() -> float:
        """CPU seconds used so far by this process and its database server process (PostgreSQL:
        the connection's backend, read from /proc; SQLite runs in this process)."""
        used = time.process_time()
        if backend:
            with open(f"/proc/{backend}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        return used

    backend = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            backend = cursor.fetchone()[0]
        if not Path(f"/proc/{backend}/stat").exists():
            backend = None  # a database on another host: this process's CPU only

    scenarios = {name: page(params) for name, params in pages.items() if name in wanted}
    scenarios |= {name: counts(filters) for name, filters in in_process.items() if name in wanted}
    timings: dict[str, list[float]] = {"baseline": [], **{k: [] for k in scenarios}}
    cpu: dict[str, float] = dict.fromkeys(timings, 0.0)
    for run in scenarios.values():  # warm-up (calendar memo, templates)
        run()
    load_start, load_max = os.getloadavg()[0], 0.0
    for _rep in range(args.reps):
        load_max = max(load_max, os.getloadavg()[0])
        for name, run in scenarios.items():
            c0, t0 = server_cpu(), time.perf_counter()
            baseline()
            timings["baseline"].append(time.perf_counter() - t0)
            cpu["baseline"] += server_cpu() - c0
            c0, t0 = server_cpu(), time.perf_counter()
            run()
            timings[name].append(time.perf_counter() - t0)
            cpu[name] += server_cpu() - c0
    base50 = statistics.median(timings["baseline"])
    print(
        f"inbox bench: {args.cases} cases, {args.db}, {args.reps} reps, load {load_start:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end, {load_max:.2f} highest at a repetition's start (2 cores)"
    )
    print(f"{'scenario':<14} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'p50 / baseline':>15} {'CPU ms/req':>11}")
    for name, values in timings.items():
        p50, p95, p99 = statistics.median(values), _pct(values, 0.95), _pct(values, 0.99)
        cpu_ms = cpu[name] / len(values) * 1000
        print(f"{name:<14} {p50 * 1000:8.2f} {p95 * 1000:8.2f} {p99 * 1000:8.2f} {p50 / base50:15.1f} {cpu_ms:11.2f}")
    print(
        "CPU ms/req: mean CPU time of this process"
        + (" and its PostgreSQL backend" if backend else "")
        + " per request (steadier than wall time when the machine is loaded; 10 ms /proc ticks, summed)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
