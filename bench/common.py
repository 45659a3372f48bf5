"""What the generator and the runner share: where each benchmark database lives, and how a
process is pointed at it before Django starts."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR = BASE_DIR / "var" / "bench"
RESULTS = Path(__file__).resolve().parent / "results"
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres")
PG_HOST_URL = PG_ADMIN_URL.rsplit("/", 1)[0]

#: Complaints at scale 1: the seeds' two years (issue 7, "Data").
COMPLAINTS_AT_SCALE_1 = 211_644
QUICK_COMPLAINTS = 20_000
#: A secret key for the benchmark server only (never a deployment's).
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-any-deployment-0123456789"


def size_label(*, scale: int, quick: bool) -> str:
    return "quick" if quick else f"s{scale}"


def complaints_for(*, scale: int, quick: bool) -> int:
    return QUICK_COMPLAINTS if quick else COMPLAINTS_AT_SCALE_1 * scale


def database_name(label: str) -> str:
    return f"tawasul_bench_{label}"


def database_url(db: str, label: str) -> str:
    if db == "sqlite":
        return f"sqlite:///{VAR / f'tawasul-{label}.sqlite3'}"
    if db == "postgres":
        return f"{PG_HOST_URL}/{database_name(label)}"
    raise ValueError(f"unknown database kind: {db}")


def bench_environ(db: str, label: str) -> dict[str, str]:
    """The environment of every benchmark process: deployed settings (DEBUG off), our DB."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": database_url(db, label),
            "SECRET_KEY": env.get("BENCH_SECRET_KEY", BENCH_SECRET_KEY),
            "DEBUG": "0",
            "TAWASUL_DEMO": "0",
            "TAWASUL_TESTING": "0",
            "LOG_LEVEL": "WARNING",
            "EMAIL_URL": "dummymail://",
        }
    )
    env.pop("TEST_DB_NAME", None)
    return env


def setup_django(db: str, label: str) -> None:
    os.environ.update(bench_environ(db, label))
    import django

    django.setup()


def postgres_reachable() -> bool:
    import psycopg

    try:
        with psycopg.connect(_libpq(PG_ADMIN_URL), connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _libpq(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


def recreate_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(_libpq(PG_ADMIN_URL), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
