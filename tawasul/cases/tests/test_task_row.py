"""The sending task's row is written in the caller's transaction when the task backend is the
database (ADR 0033): one commit per filing, a rolled-back change leaves no task, a committed one
exactly one per outbox row, and no worker sees the row before the commit. Other backends are
still enqueued after commit."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from tawasul.notifications.models import Notification
from tawasul.notifications.services import notify, notify_many

from .factories import make_administration, make_case

MESSAGE = {"channel": "email", "to": "amina@example.ma", "template": "case_received", "context": {"reference": "X"}}


def _tasks() -> list[list]:
    return [row.args_kwargs["args"] for row in DBTaskResult.objects.order_by("enqueued_at")]


@pytest.mark.django_db
def test_a_rolled_back_filing_leaves_no_task_and_no_callback(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        make_case(make_administration(), email="amina@example.ma")
        assert len(_tasks()) == 1  # written with the case...
        raise RuntimeError
    assert _tasks() == [] and Notification.objects.count() == 0 and callbacks == []  # ... and gone with it


@pytest.mark.django_db(transaction=True)
def test_a_committed_filing_leaves_exactly_one_task_which_a_worker_sends(run_tasks):
    case = make_case(make_administration(), email="amina@example.ma")
    (notification,) = Notification.objects.all()
    assert _tasks() == [[notification.pk]]
    run_tasks()
    (message,) = mail.outbox
    assert case.reference in message.subject
    run_tasks()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_and_notify_many_write_one_task_per_row():
    first = notify(**MESSAGE)
    many = notify_many([MESSAGE, {**MESSAGE, "to": ""}, {**MESSAGE, "to": "b@example.ma"}])
    assert _tasks() == [[first.pk], *[[row.pk] for row in many]]


@pytest.mark.django_db(transaction=True)
def test_no_worker_sees_the_task_before_the_commit():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database has no concurrent readers")
    seen = []

    def look():
        try:
            seen.append(DBTaskResult.objects.ready().count())
        finally:
            connections.close_all()

    with transaction.atomic():
        notify(**MESSAGE)
        reader = threading.Thread(target=look)
        reader.start()
        reader.join()
    look()
    assert seen == [0, 1]


@pytest.mark.django_db
def test_other_backends_are_enqueued_after_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["notifications"]}}
    with django_capture_on_commit_callbacks() as callbacks:
        notify(**MESSAGE)
    assert len(callbacks) == 1 and _tasks() == []


@pytest.mark.django_db
def test_the_rows_written_at_once_are_those_enqueue_writes():
    from tawasul.notifications.tasks import send_notification

    send_notification.enqueue(1)
    notify_many([MESSAGE, {**MESSAGE, "to": "b@example.ma"}])
    fields = ("status", "args_kwargs", "priority", "task_path", "queue_name", "run_after", "backend_name")
    single, *many = [[getattr(row, name) for name in fields] for row in DBTaskResult.objects.order_by("enqueued_at")]
    assert len(many) == 2
    for row in many:
        assert row[:1] + row[2:] == single[:1] + single[2:] and row[1]["kwargs"] == {}
