"""How long the outbox keeps what it sent (ADR 0057): the content a few weeks, the delivery record
as long as the identities, both by the daily retention job, a chunk at a time."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tawasul.notifications.models import Notification
from tawasul.notifications.retention import NotificationPersonalData, blank_old_contents, delete_old_records
from tawasul.notifications.sending import deliver

from .backends import FlakyEmailBackend

pytestmark = pytest.mark.django_db

CONTENT = {"reference": "CHK-2026-0004312-K", "first_name": "Amina", "answer": "Votre dossier est réglé"}


def _row(days_ago: float, status: str = "sent", **fields) -> Notification:
    row = Notification.objects.create(
        channel="email",
        to=fields.pop("to", "amina@example.ma"),
        template="case_received",
        context=fields.pop("context", CONTENT),
        status=status,
        last_error=fields.pop("last_error", ""),
        subject_ref="CHK-2026-0004312-K",
        **fields,
    )
    Notification.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return row


def personal_data_purge_expired() -> int:
    """The outbox's part of the daily retention job (`tawasul.accounts.personal_data`, which names
    it in `PERSONAL_DATA_PROVIDERS`; tests/security/test_personal_data.py runs the whole job)."""
    years = settings.PERSONAL_DATA_RETENTION_YEARS
    return NotificationPersonalData().purge(timezone.now() - timedelta(days=365 * years))


def _state(row: Notification) -> tuple:
    row.refresh_from_db()
    return row.status, row.to, row.subject_ref, row.context, row.last_error


def test_the_content_of_a_sent_or_given_up_row_is_blanked_after_thirty_days(settings):
    settings.NOTIFICATION_CONTENT_RETENTION_DAYS = 30
    sent = _row(31)
    failed = _row(31, status="failed", last_error="SMTPRecipientsRefused: amina@example.ma")
    recent = _row(29)
    waiting = _row(31, status="pending")

    personal_data_purge_expired()

    # The delivery record stays: who was told what kind of thing about which case, and when.
    assert _state(sent) == ("sent", "amina@example.ma", "CHK-2026-0004312-K", {}, "")
    assert _state(failed) == ("failed", "amina@example.ma", "CHK-2026-0004312-K", {}, "")
    assert _state(recent)[3] == CONTENT
    assert _state(waiting)[3] == CONTENT  # still to send: it needs its content


def test_a_record_is_deleted_when_the_identities_are_and_not_before(settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    gone = _row(5 * 365 + 2)
    kept = _row(5 * 365 - 2)

    personal_data_purge_expired()

    assert not Notification.objects.filter(pk=gone.pk).exists()
    assert Notification.objects.filter(pk=kept.pk).exists()


def test_deleting_stops_at_the_first_row_written_since_whatever_the_order_of_keys():
    old_first = [_row(400) for _ in range(3)]
    young = _row(10)
    old_after = _row(400)  # a key after a young one (not how the outbox grows): left for later

    deleted = delete_old_records(timezone.now() - timedelta(days=365), chunk=2)

    assert deleted == 3
    assert set(Notification.objects.values_list("pk", flat=True)) == {young.pk, old_after.pk}
    assert all(not Notification.objects.filter(pk=row.pk).exists() for row in old_first)


def test_each_runs_a_chunk_at_a_time_and_finds_every_row():
    rows = [_row(40) for _ in range(5)] + [_row(10)]

    with CaptureQueriesContext(connection) as queries:
        blanked = blank_old_contents(timezone.now() - timedelta(days=30), chunk=2)

    assert blanked == 5
    assert [Notification.objects.get(pk=row.pk).context for row in rows] == [{}] * 5 + [CONTENT]
    assert len(queries) == 3 * 2 + 1  # a look-up and an UPDATE per chunk of 2, then the empty look-up
    assert blank_old_contents(timezone.now() - timedelta(days=30), chunk=2) == 0  # idempotent


def test_a_given_up_row_drops_its_secrets_at_once(settings):
    settings.EMAIL_BACKEND = "tawasul.notifications.tests.backends.FlakyEmailBackend"
    settings.NOTIFICATION_MAX_ATTEMPTS = 1
    FlakyEmailBackend.down = True
    secret = {**CONTENT, "tracking_url": "https://tawasul.example/track/secret", "_secret_keys": ["tracking_url"]}
    row = Notification.objects.create(
        channel="email", to="a@example.ma", template="case_received", context=secret, next_attempt_at=timezone.now()
    )

    assert deliver(row.pk) == "failed"

    row.refresh_from_db()
    assert row.context == CONTENT  # never to be sent: the secret link is not kept


def test_on_postgresql_the_rows_to_blank_are_found_through_their_partial_index():
    if connection.vendor != "postgresql":
        pytest.skip("reads PostgreSQL's EXPLAIN")
    query = (
        Notification.objects.filter(created_at__lt=timezone.now(), status__in=["sent", "failed"])
        .exclude(context={})
        .order_by()
        .values_list("pk", flat=True)[:500]
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "notif_content_idx" in plan, plan
