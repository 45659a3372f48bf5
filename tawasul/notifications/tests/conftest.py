import pytest
from django.core.management import call_command
from django.db import connection


@pytest.fixture
def run_tasks(monkeypatch):
    """Run every queued task through the real database queue (django-tasks-db), as a worker
    would, then return. Use after `django_capture_on_commit_callbacks(execute=True)` (or in a
    `transaction=True` test) so that the on-commit enqueues have happened.

    Inside a test's transaction, the worker's `close_old_connections()` would close the
    PostgreSQL connection (it sees autocommit off): the fixture keeps it open in that case only.
    """
    from django_tasks_db.management.commands import db_worker

    original = db_worker.close_old_connections

    def close_unless_in_test_transaction(**kwargs):
        if not connection.in_atomic_block:
            original(**kwargs)

    monkeypatch.setattr(db_worker, "close_old_connections", close_unless_in_test_transaction)

    def run():
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)

    return run
