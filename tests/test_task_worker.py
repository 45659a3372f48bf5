"""`manage.py db_worker` started the plain way serves every queue of the platform (ADR 0036).

django-tasks-db's own command serves only the queue named `default` unless given
`--queue-name '*'`, and the platform's tasks are on `notifications` and `sweeps`: a worker started
without the option used to run nothing. The project's command (tawasul.core) changes that default
only; naming queues still dedicates a worker to them.
"""

from __future__ import annotations

import time

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.db import connection
from django_tasks_db.models import DBTaskResult

from tests.worker_process import start_worker
from tests.worker_tasks import mark_default, mark_notifications, mark_sweeps

ALL = (mark_default, mark_notifications, mark_sweeps)


def test_the_projects_db_worker_is_the_one_manage_py_runs_and_it_defaults_to_every_queue():
    assert get_commands()["db_worker"] == "tawasul.core"
    parser = load_command_class("tawasul.core", "db_worker").create_parser("manage.py", "db_worker")
    assert parser.parse_args([]).queue_name == "*"
    assert parser.parse_args(["--queue-name", "sweeps"]).queue_name == "sweeps"


def _statuses(results) -> list[str]:
    return [DBTaskResult.objects.get(id=result.id).status for result in results]


@pytest.fixture
def in_test_transaction(monkeypatch):
    """Keep the test's PostgreSQL connection open while the worker runs in-process (as conftest's
    `run_tasks` does)."""
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections
    monkeypatch.setattr(
        db_worker, "close_old_connections", lambda **kw: None if connection.in_atomic_block else original(**kw)
    )


@pytest.mark.django_db
def test_a_worker_started_without_queue_name_runs_the_tasks_of_every_queue(tmp_path, in_test_transaction):
    results = [task.enqueue(str(tmp_path)) for task in ALL]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert _statuses(results) == ["SUCCESSFUL"] * 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["default.done", "notifications.done", "sweeps.done"]


@pytest.mark.django_db
def test_a_worker_given_queues_runs_only_those(tmp_path, in_test_transaction):
    results = [task.enqueue(str(tmp_path)) for task in ALL]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "sweeps", verbosity=0)
    assert _statuses(results) == ["READY", "READY", "SUCCESSFUL"]
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--queue-name",
        "default,notifications",
        verbosity=0,
    )
    assert _statuses(results) == ["SUCCESSFUL"] * 3


@pytest.mark.postgres
@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_started_the_plain_way_runs_every_queue(tmp_path):
    """`python manage.py db_worker` as a separate process against the test database, exactly as
    the systemd unit starts it (no --queue-name)."""
    results = [task.enqueue(str(tmp_path)) for task in ALL]
    worker = start_worker()
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.glob("*.done"))) < 3 and time.monotonic() < deadline:
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert _statuses(results) == ["SUCCESSFUL"] * 3


@pytest.mark.postgres
@pytest.mark.processes
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_process_sends_a_committed_email_with_no_task_row(tmp_path):
    """The outbox is its own queue (ADR 0060): a worker process started the plain way finds the
    committed row, sends it (to files here) and records it; SIGTERM stops it cleanly."""
    from tawasul.notifications.models import Notification
    from tawasul.notifications.services import notify

    notification = notify(channel="email", to="amina@example.ma", template="case_received", context={"reference": "X"})
    assert DBTaskResult.objects.count() == 0
    worker = start_worker(EMAIL_URL=f"filemail:///{tmp_path}")  # an absolute path: four slashes
    try:
        deadline = time.monotonic() + 60
        while not Notification.objects.filter(pk=notification.pk, status="sent").exists():
            assert time.monotonic() < deadline, "the worker did not send the email"
            time.sleep(0.2)
    finally:
        worker.terminate()
        assert worker.wait(timeout=30) == 0
    (sent,) = list(tmp_path.iterdir())
    assert "amina@example.ma" in sent.read_text()
    assert DBTaskResult.objects.count() == 0
