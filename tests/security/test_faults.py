"""Faults: duplicates, database down, full disk, mail server down (issue 8 item 5).

Figures go to `test-artifacts/security/faults.json`. PostgreSQL restarted in the middle of a stream
of submissions is `tests/security/test_database_restart.py` (its own cluster and gunicorn).
"""

from __future__ import annotations

import errno
import json
import socket
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tawasul.cases.models import Attachment, Case
from tawasul.complaints.tests.factories import api_filing, make_complaint, png_upload, valid_form_data
from tawasul.notifications.models import Notification
from tawasul.registry.tests.factories import AdministrationFactory

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "security" / "faults.json"
FIGURES: dict = {}


@pytest.fixture(scope="module", autouse=True)
def _record():
    yield
    if FIGURES:
        ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
        previous = json.loads(ARTIFACT.read_text()) if ARTIFACT.exists() else {}
        ARTIFACT.write_text(json.dumps({**previous, **FIGURES}, indent=2, sort_keys=True))


@pytest.fixture(autouse=True)
def _no_limits(settings):
    settings.RATELIMIT_ENABLE = False
    settings.API_THROTTLE_RATES = dict.fromkeys(settings.API_THROTTLE_RATES, "100000/min")


def url(name, **kwargs):
    with translation.override("fr"):
        return reverse(name, kwargs=kwargs or None)


# --- Idempotency-Key --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_retried_idempotency_key_gives_the_same_case():
    administration = AdministrationFactory()
    api = Client(HTTP_ACCEPT_LANGUAGE="fr")
    key = str(uuid.uuid4())
    payload = json.dumps(api_filing(administration))
    first = api.post("/api/v1/complaints/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    retried = api.post("/api/v1/complaints/", payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201, first.content
    assert retried.status_code in (200, 201)
    assert retried.json()["reference"] == first.json()["reference"]
    assert Case.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_300_concurrent_pairs_of_the_same_key_give_no_error_and_no_duplicate():
    """Two submissions of each key at the same instant, 300 keys, 16 threads on PostgreSQL."""
    administration = AdministrationFactory()
    keys = [str(uuid.uuid4()) for _ in range(300)]
    errors: list[str] = []
    references: dict[str, set] = {key: set() for key in keys}

    def submit(key: str, barrier: threading.Barrier):
        try:
            barrier.wait(timeout=30)
            case = make_complaint(administration, idempotency_key=key)
            references[key].add(case.reference)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    def pair(key: str):
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=submit, args=(key, barrier)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(pair, keys))
    close_old_connections()
    FIGURES["idempotency_pairs"] = len(keys)
    FIGURES["idempotency_errors"] = len(errors)
    FIGURES["idempotency_duplicates"] = Case.objects.count() - len(keys)
    assert errors == []
    assert Case.objects.count() == 300
    assert all(len(refs) == 1 for refs in references.values())


# --- Database down → 503 with Retry-After ------------------------------------------------------------


@pytest.fixture
def database_down(request, monkeypatch):
    """The database cannot be reached.

    PostgreSQL (the real case, `transaction=True`): the default connection is pointed at a closed
    port and reconnects there. SQLite's test database lives in memory and would vanish if its
    connection were closed, so there every new cursor fails with the error a missing database
    file gives (a simulation of the driver's error, the same exception class Django raises).
    """
    if connection.vendor == "postgresql":
        request.getfixturevalue("transactional_db")
        settings_dict = connection.settings_dict
        saved = dict(settings_dict)
        connection.close()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed_port = probe.getsockname()[1]
        settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port))
        yield
        for conn in connections.all(initialized_only=True):
            conn.close()
        settings_dict.clear()
        settings_dict.update(saved)
        return
    import sqlite3

    request.getfixturevalue("db")

    def unreachable(name=None):
        raise sqlite3.OperationalError("unable to open database file")

    with monkeypatch.context() as patch:  # undone before the test's rollback needs a cursor
        patch.setattr(connection, "create_cursor", unreachable)
        yield


def test_a_page_reading_the_database_answers_503_with_retry_after_when_it_is_down(database_down):
    response = Client(raise_request_exception=False).get(url("complaints:faq"))
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "indisponible" in response.content.decode() or "unavailable" in response.content.decode()


def test_the_api_answers_503_json_when_the_database_is_down(database_down):
    response = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="fr").get("/api/v1/complaint-subjects/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response["Content-Type"] == "application/json"
    assert "errors" in response.json()


@pytest.mark.urls("tests.security.urls_handler500")
def test_a_database_error_outside_a_view_answers_503_through_handler500(database_down):
    """A signed-in visitor's session is read by middleware, before any view: handler500 maps it."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    response = client.get("/fr/complaints/faq/")
    assert response.status_code == 503
    assert response["Retry-After"]


@pytest.mark.django_db
def test_healthz_says_503_when_the_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503


# --- Full disk during an upload ----------------------------------------------------------------------


class FullDiskStorage(FileSystemStorage):
    """Writes the first 100 bytes of each file, then fails as a full disk does."""

    def _save(self, name, content):
        path = self.path(name)
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as handle:
            handle.write(content.read(100))
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(settings, _media):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "tests.security.test_faults.FullDiskStorage", "OPTIONS": {"location": str(_media)}},
    }
    return _media


@pytest.mark.django_db
def test_a_full_disk_during_an_upload_leaves_no_partial_file_and_no_row(client, full_disk):
    administration = AdministrationFactory()
    client.raise_request_exception = False
    response = client.post(url("complaints:file_form"), valid_form_data(administration, attachments=[png_upload()]))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert not Case.objects.exists()
    assert not Attachment.objects.exists()
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []
    FIGURES["full_disk_partial_files"] = 0


@pytest.mark.django_db
def test_a_full_disk_during_a_message_upload_keeps_the_case_unchanged(full_disk):
    case = make_complaint()
    from tawasul.cases.actors import Actor
    from tawasul.cases.services import case_add_message

    with pytest.raises(OSError):
        case_add_message(
            case=case,
            actor=Actor.requester(case),
            kind="citizen_message",
            body="Voici le reçu.",
            attachments=[png_upload()],
        )
    assert not case.messages.exists()
    assert not Attachment.objects.filter(case=case).exists()
    assert [p for p in full_disk.rglob("*") if p.is_file()] == []


# --- Mail server down, then back: retries with backoff, then delivered once --------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_settings(settings):
    port = _free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return port


@pytest.mark.slow
@pytest.mark.django_db
def test_emails_queued_while_smtp_is_down_are_retried_with_backoff_and_sent_once_it_is_back(
    smtp_settings, run_tasks, django_capture_on_commit_callbacks
):
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink

    from tawasul.notifications.tasks import retry_due_notifications

    class Collect(Sink):
        def __init__(self):
            self.received: list[str] = []

        async def handle_DATA(self, server, session, envelope):
            self.received.extend(envelope.rcpt_tos)
            return "250 OK"

    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            cases = [make_complaint(email=f"down{n}@example.ma") for n in range(5)]
        run_tasks()  # SMTP is down: every send fails
        emails = Notification.objects.filter(channel="email", subject_ref__in=[c.reference for c in cases])
        queued = emails.count()
        assert queued >= 5
        assert set(emails.values_list("status", flat=True)) == {"pending"}
        first_delays = {(n.next_attempt_at - start).total_seconds() for n in emails}
        assert min(first_delays) > 0
        # Still down at the first retry: the delay doubles (backoff).
        clock.move_to(start + timedelta(seconds=max(first_delays) + 1))
        with django_capture_on_commit_callbacks(execute=True):
            retry_due_notifications.call()
        run_tasks()
        now = timezone.now()
        second_delays = {round((n.next_attempt_at - now).total_seconds()) for n in emails.all()}
        assert min(second_delays) >= 2 * min(first_delays) - 1
        assert set(emails.values_list("attempts", flat=True)) == {2}
        # The mail server comes back.
        handler = Collect()
        controller = Controller(handler, hostname="127.0.0.1", port=smtp_settings)
        controller.start()
        try:
            clock.move_to(now + timedelta(seconds=max(second_delays) + 1))
            with django_capture_on_commit_callbacks(execute=True):
                retry_due_notifications.call()
            run_tasks()
            # A second sweep sends nothing more.
            with django_capture_on_commit_callbacks(execute=True):
                retry_due_notifications.call()
            run_tasks()
        finally:
            controller.stop()
    assert set(emails.values_list("status", flat=True)) == {"sent"}
    recipients = sorted(handler.received)
    assert recipients == sorted(emails.values_list("to", flat=True))
    assert len(recipients) == len(set(recipients))  # each delivered once
    FIGURES["emails_queued_while_smtp_down"] = queued
    FIGURES["emails_delivered_after"] = len(recipients)


# --- A worker killed mid-job -------------------------------------------------------------------------


def test_a_stale_running_task_goes_back_to_the_queue_and_a_fresh_one_stays(db):
    from django_tasks_db.models import DBTaskResult

    from tawasul.core.taskrecovery import requeue_stale_tasks

    from .jobs_for_tests import record_and_wait

    stale = DBTaskResult.objects.get(id=record_and_wait.enqueue("/nonexistent").id)
    fresh = DBTaskResult.objects.get(id=record_and_wait.enqueue("/nonexistent").id)
    DBTaskResult.objects.filter(pk=stale.pk).update(status="RUNNING", started_at=timezone.now() - timedelta(hours=1))
    DBTaskResult.objects.filter(pk=fresh.pk).update(status="RUNNING", started_at=timezone.now())
    assert requeue_stale_tasks(older_than_seconds=900) == 1
    assert DBTaskResult.objects.get(pk=stale.pk).status == "READY"
    assert DBTaskResult.objects.get(pk=fresh.pk).status == "RUNNING"


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_job_leaves_the_job_to_be_retried_not_lost(tmp_path, run_tasks):
    """A real `db_worker` process is killed with SIGKILL while it runs a job; the recovery sweep
    puts the job back and the next worker runs it to the end, once."""
    import os
    import signal
    import time

    from django_tasks_db.models import DBTaskResult

    from tawasul.core.taskrecovery import requeue_stale_tasks
    from tests.worker_process import start_worker

    from .jobs_for_tests import record_and_wait

    result = record_and_wait.enqueue(str(tmp_path))
    worker = start_worker("--queue-name", "*")
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "starts.log").exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert (tmp_path / "starts.log").exists(), "the worker never started the job"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "RUNNING"  # without the sweep, it would stay so forever
    assert not (tmp_path / "done.log").exists()
    assert requeue_stale_tasks(older_than_seconds=0) == 1
    (tmp_path / "go").touch()
    run_tasks()
    assert DBTaskResult.objects.get(id=result.id).status == "SUCCESSFUL"
    assert (tmp_path / "starts.log").read_text().count("start") == 2
    assert (tmp_path / "done.log").read_text().count("done") == 1
    FIGURES["killed_worker_jobs_lost"] = 0
