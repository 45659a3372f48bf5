"""A real `manage.py db_worker` process against the test database (PostgreSQL), started as the
systemd unit starts it, for the tests that need a worker of their own."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def start_worker(*args: str, **env: str) -> subprocess.Popen:
    """`python manage.py db_worker --no-startup-delay --no-reload *args`, with `env` added to the
    environment; the caller stops it (terminate or kill, then wait)."""
    settings_dict = connection.settings_dict
    database_url = (
        f"postgres://{settings_dict['USER'] or 'postgres'}@{settings_dict['HOST'] or '127.0.0.1'}:"
        f"{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}"
    )
    return subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--no-startup-delay", "--no-reload", *args],
        cwd=ROOT,
        env={**os.environ, "TAWASUL_TESTING": "1", "DATABASE_URL": database_url, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
