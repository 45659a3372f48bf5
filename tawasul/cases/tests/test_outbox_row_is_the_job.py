"""A filing's email is its outbox row and nothing more (ADR 0060, after ADR 0033): the row is
written in the filing's transaction, a rolled-back change leaves none, and the workers of the
`notifications` queue find it once it is committed and send it once. No task row is written for
it with the database backend; other backends still get one task per row after commit."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection, connections, transaction
from django_tasks_db.models import DBTaskResult

from tawasul.notifications.models import Notification
from tawasul.notifications.sending import due_notification_ids
from tawasul.notifications.services import notify, notify_many

from .factories import make_administration, make_case

MESSAGE = {"channel": "email", "to": "amina@example.ma", "template": "case_received", "context": {"reference": "X"}}


def _worker(*queues: str) -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", *queues, verbosity=0)


@pytest.mark.django_db
def test_a_rolled_back_filing_leaves_no_email_and_no_callback(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        make_case(make_administration(), email="amina@example.ma")
        assert Notification.objects.count() == 1  # written with the case...
        raise RuntimeError
    assert Notification.objects.count() == 0 and callbacks == []  # ... and gone with it
    assert DBTaskResult.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_a_committed_filing_writes_no_task_row_and_a_worker_sends_its_email_once(run_tasks):
    case = make_case(make_administration(), email="amina@example.ma")
    (notification,) = Notification.objects.all()
    assert DBTaskResult.objects.count() == 0
    assert due_notification_ids() == [notification.pk]
    run_tasks()
    (message,) = mail.outbox
    assert case.reference in message.subject
    run_tasks()
    assert len(mail.outbox) == 1 and due_notification_ids() == []


@pytest.mark.django_db(transaction=True)
def test_notify_outside_a_transaction_and_notify_many_are_sent_by_the_workers_without_task_rows(run_tasks):
    notify(**MESSAGE)
    notify_many([MESSAGE, {**MESSAGE, "to": ""}, {**MESSAGE, "to": "b@example.ma"}])
    assert DBTaskResult.objects.count() == 0
    run_tasks()
    assert sorted(message.to[0] for message in mail.outbox) == ["amina@example.ma", "amina@example.ma", "b@example.ma"]


@pytest.mark.django_db(transaction=True)
def test_no_worker_sees_the_email_before_the_commit():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's shared in-memory test database has no concurrent readers")
    seen = []

    def look():
        try:
            seen.append(len(due_notification_ids()))
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
def test_only_the_workers_of_the_notifications_queue_send_the_outbox(django_capture_on_commit_callbacks, run_tasks):
    """(`run_tasks` keeps the test's connection open for the workers started here.)"""
    with django_capture_on_commit_callbacks(execute=True):
        notify(**MESSAGE)
    _worker("--queue-name", "sweeps")
    _worker("--queue-name", "*", "--exclude-queues", "notifications")
    assert mail.outbox == []
    _worker("--queue-name", "default,notifications")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_other_backends_are_enqueued_after_commit(settings, django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["notifications"]}}
    with django_capture_on_commit_callbacks() as callbacks:
        notify(**MESSAGE)
    assert len(callbacks) == 1 and DBTaskResult.objects.count() == 0
