"""The back-office inbox on one administration with N cases (issue 4: "fast on an administration
with 100,000 cases").

    .venv/bin/python -m bench.inbox --cases 10000
    .venv/bin/python -m bench.inbox --cases 100000 --db postgres

A throwaway database (`var/bench/inbox-<N>.sqlite3`, or PostgreSQL `tawasul_bench_inbox_<N>` on
127.0.0.1) is re-created and migrated, one administration and one officer are made, and N `Case`
rows (valid references, deadlines spread over the past and the next 60 days, 84 % closed, 3 %
overdue, levels 1-3, subjects from a small vocabulary) are written with `bulk_create`. Then, in
the same process with Django's test client, interleaved (BENCHMARKING.md: a baseline in the same
run, A B A B), each scenario is timed `--reps` times:

- baseline: a bare `SELECT <inbox columns> FROM cases_case WHERE administration_id = %s ORDER
  BY received_at DESC LIMIT 25` through a raw cursor;
- default: `GET /fr/staff/` (open cases, newest first, counts);
- filtered: `GET /fr/staff/?overdue=on&level=2&sort=due`;
- search: `GET /fr/staff/?q=<two words>&status=all`.

Reported: p50 and p95 in ms of each, and each p50 as a ratio to the baseline's p50. The ratio is
the number to compare between runs (the machine is shared and noisy).
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


def _database_url(db: str, n: int) -> str:
    if db == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        path = VAR / f"inbox-{n}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    name = f"tawasul_bench_inbox_{n}"
    admin = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{admin.rsplit('/', 1)[0]}/{name}"


def _setup(db: str, n: int) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": _database_url(db, n),
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

    rng = random.Random(2026)
    administration = Administration.objects.create(
        code="bench-adm", name_ar="إدارة", name_fr="Administration", kind="ministry", group="ministries"
    )
    officer = User.objects.create_user(username="officer", email="officer@example.ma", password="x")
    Membership.objects.create(user=officer, administration=administration, role="officer", starts_on="2020-01-01")
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
                is_overdue=(not closed) and rng.random() < 0.03,
                closed_at=now if closed else None,
                tracking_token_hash="0" * 64,
            )
        )
    Case.objects.bulk_create(rows, batch_size=2000)
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
    args = parser.parse_args(argv)
    _setup(args.db, args.cases)
    from django.db import connection
    from django.test import Client

    administration, officer = _fill(args.cases)
    client = Client()
    client.force_login(officer)
    scenarios = {
        "default": ("/fr/staff/", {}),
        "filtered": ("/fr/staff/", {"overdue": "on", "level": "2", "sort": "due"}),
        "search": ("/fr/staff/", {"q": "retard permis", "status": "all"}),
    }
    sql = (
        "SELECT id, reference, subject, status, received_at, answer_due_at, escalation_level, assignee_id "
        "FROM cases_case WHERE administration_id = %s ORDER BY received_at DESC LIMIT 25"
    )

    def baseline():
        with connection.cursor() as cursor:
            cursor.execute(sql, [administration.pk])
            cursor.fetchall()

    timings: dict[str, list[float]] = {"baseline": [], **{k: [] for k in scenarios}}
    for path, params in scenarios.values():  # warm-up (calendar memo, templates)
        assert client.get(path, params).status_code == 200
    for _rep in range(args.reps):
        for name, (path, params) in scenarios.items():
            t0 = time.perf_counter()
            baseline()
            timings["baseline"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            response = client.get(path, params)
            timings[name].append(time.perf_counter() - t0)
            assert response.status_code == 200
    base50 = statistics.median(timings["baseline"])
    print(f"inbox bench: {args.cases} cases, {args.db}, {args.reps} reps, load {os.getloadavg()[0]:.2f}")
    print(f"{'scenario':<10} {'p50 ms':>8} {'p95 ms':>8} {'p50 / baseline':>15}")
    for name, values in timings.items():
        p50, p95 = statistics.median(values), _pct(values, 0.95)
        print(f"{name:<10} {p50 * 1000:8.2f} {p95 * 1000:8.2f} {p50 / base50:15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
