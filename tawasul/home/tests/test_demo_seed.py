"""`make run` on a fresh clone: the set-up commands it runs, on an empty SQLite file, succeed and
leave the demo the README promises (session 3 found the seeding broken by a workflow rule that
the demo's own test did not reach; this test runs the real commands, whole)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[3]

# Runs once per CI, in the `-m processes` pass (whole processes, a minute of CPU).
pytestmark = [pytest.mark.slow, pytest.mark.processes]


def _manage(*args: str, env: dict) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-6000:]}"
    )


def test_the_commands_of_make_run_seed_the_whole_demo_on_an_empty_database(tmp_path):
    database = tmp_path / "demo.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "TAWASUL_TESTING", "TEST_DB_NAME"}
    }
    env.update(TAWASUL_DEMO="1", DATABASE_URL=f"sqlite:///{database}", MEDIA_ROOT=str(tmp_path / "media"))
    # The Makefile's `run` target, step by step (without starting the servers).
    _manage("migrate", "--noinput", "-v", "0", env=env)
    _manage("createcachetable", env=env)
    _manage("seed_demo", "--if-empty", env=env)

    with sqlite3.connect(database) as db:
        count = lambda table, where="": db.execute(f"SELECT count(*) FROM {table} {where}").fetchone()[0]  # noqa: E731
        assert count("cases_case", "WHERE portal = 'complaints'") == 3000
        assert count("cases_case", "WHERE portal = 'complaints' AND status = 'inadmissible'") > 0
        assert count("facilities_facility") == 16043
        assert count("catalog_procedure", "WHERE status = 'published'") >= 60
        assert count("catalog_subtheme") == 51
        assert count("accounts_user") > 20
    # A second `make run` finds the data and adds nothing.
    _manage("seed_demo", "--if-empty", env=env)
    with sqlite3.connect(database) as db:
        assert db.execute("SELECT count(*) FROM cases_case WHERE portal = 'complaints'").fetchone()[0] == 3000
