"""The outbox: written with the change, sent by the queue after commit, retried when the mail
server is down, never sent twice."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from tawasul.notifications.gateways import LoggingSmsGateway
from tawasul.notifications.models import Notification
from tawasul.notifications.sending import deliver
from tawasul.notifications.services import notify, retry_delay
from tawasul.notifications.tasks import retry_due_notifications

from .backends import FlakyEmailBackend

pytestmark = pytest.mark.django_db

CONTEXT = {
    "reference": "CHK-2026-0004312-K",
    "first_name": "Amina",
    "administration": "Ministère X",
    "received_on": "2026-07-29",
    "first_action_due": "2026-08-03",
    "answer_due": "2026-09-27",
    "tracking_url": "https://tawasul.example/track/secret",
    "_secret_keys": ["tracking_url"],
}


def test_email_is_sent_by_the_queue_after_commit(django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(channel="email", to="amina@example.ma", template="case_received", context=CONTEXT)
    assert mail.outbox == []  # nothing sent inline
    run_tasks()
    (message,) = mail.outbox
    assert message.to == ["amina@example.ma"]
    assert "CHK-2026-0004312-K" in message.subject and "2026-09-27" in message.body
    assert "https://tawasul.example/track/secret" in message.body
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 1
    assert "tracking_url" not in notification.context  # the secret link is not kept once sent


def test_nothing_is_queued_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                notify(channel="email", to="a@example.ma", template="case_received", context=CONTEXT)
                raise RuntimeError
        except RuntimeError:
            pass
    assert Notification.objects.count() == 0 and callbacks == []


def test_email_is_rendered_in_the_recipients_language(django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(channel="email", to="a@example.ma", template="case_received", context=CONTEXT, language="en")
    run_tasks()
    assert "has been received" in mail.outbox[0].subject


def test_smtp_failure_is_retried_later_and_sent_once_it_works(settings, django_capture_on_commit_callbacks, run_tasks):
    settings.EMAIL_BACKEND = "tawasul.notifications.tests.backends.FlakyEmailBackend"
    FlakyEmailBackend.down = True
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            notification = notify(channel="email", to="a@example.ma", template="case_received", context=CONTEXT)
        run_tasks()
    notification.refresh_from_db()
    assert notification.status == "pending" and notification.attempts == 1
    assert "SMTPException" in notification.last_error
    assert notification.next_attempt_at == start + retry_delay(1)
    assert mail.outbox == []

    FlakyEmailBackend.down = False
    with time_machine.travel(start + dt.timedelta(seconds=10), tick=False):
        run_tasks()  # not due yet: the workers leave it
    assert mail.outbox == []
    with time_machine.travel(start + retry_delay(1) + dt.timedelta(seconds=1), tick=False):
        run_tasks()
        run_tasks()
    notification.refresh_from_db()
    assert notification.status == "sent" and notification.attempts == 2
    assert len(mail.outbox) == 1


def test_the_retry_sweep_is_for_backends_whose_workers_do_not_relay_the_outbox(settings):
    """With the database backend the workers send retries as they send first attempts (ADR
    0060); with another backend the minute's sweep enqueues one task per due row."""
    notification = Notification.objects.create(
        channel="email", to="a@example.ma", template="case_received", context=CONTEXT, next_attempt_at=timezone.now()
    )
    assert retry_due_notifications.call() == 0
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": []}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    assert retry_due_notifications.call() == 1
    (result,) = default_task_backend.results
    assert result.task.name == "send_notification" and result.args == [notification.pk]


def test_a_sent_notification_is_never_sent_twice(django_capture_on_commit_callbacks, run_tasks):
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(channel="email", to="a@example.ma", template="case_received", context=CONTEXT)
    run_tasks()
    assert deliver(notification.pk) == "skipped"
    from tawasul.notifications.tasks import send_notification

    send_notification.enqueue(notification.pk)
    run_tasks()
    assert len(mail.outbox) == 1


def test_backoff_grows_and_is_capped(settings):
    settings.NOTIFICATION_RETRY_BASE_SECONDS = 60
    settings.NOTIFICATION_RETRY_MAX_SECONDS = 600
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4, 5)] == [60, 120, 240, 480, 600]


def test_gives_up_after_the_last_attempt(settings):
    settings.EMAIL_BACKEND = "tawasul.notifications.tests.backends.FlakyEmailBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 2
    FlakyEmailBackend.down = True
    notification = Notification.objects.create(
        channel="email", to="a@example.ma", template="case_received", context=CONTEXT, next_attempt_at=timezone.now()
    )
    assert deliver(notification.pk) == "pending"
    Notification.objects.filter(pk=notification.pk).update(next_attempt_at=timezone.now())
    assert deliver(notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.status == "failed" and notification.next_attempt_at is None


def test_a_worker_that_died_mid_send_is_taken_over_after_the_timeout(settings):
    notification = Notification.objects.create(
        channel="email",
        to="a@example.ma",
        template="case_received",
        context=CONTEXT,
        status="sending",
        claimed_at=timezone.now() - dt.timedelta(seconds=settings.NOTIFICATION_SENDING_TIMEOUT_SECONDS + 1),
    )
    assert deliver(notification.pk) == "sent"
    assert len(mail.outbox) == 1


def test_sms_goes_through_the_configured_gateway(django_capture_on_commit_callbacks, run_tasks):
    LoggingSmsGateway.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            channel="sms",
            to="+212612345678",
            template="case_sms",
            context={"reference": "CHK-2026-0004312-K", "status_label": "Answered"},
            language="fr",
        )
    run_tasks()
    # The status is written in the recipient's language.
    assert LoggingSmsGateway.sent == [("+212612345678", "Tawasul CHK-2026-0004312-K: Répondue")]


def test_no_recipient_no_row():
    assert notify(channel="email", to="", template="case_received", context={}) is None
    assert Notification.objects.count() == 0
