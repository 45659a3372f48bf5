"""The benchmark's data sets hold what the platform writes: a generated case's emails are outbox
rows the platform would have written and sent (issue 7: "what it costs to run" counts them)."""

import datetime as dt
from pathlib import Path

from django.conf import settings

from bench.generate import _email
from tawasul.notifications.models import Notification

AT = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
CASE = {"reference": "CHK-2026-0000001-9", "email": "citizen1@example.ma", "first_name": "Citoyen", "language": "ar"}


def test_a_generated_email_is_a_valid_sent_outbox_row_about_its_case():
    for action, status, template in (
        ("submitted", "submitted", "case_received"),
        ("answer", "answered", "case_updated"),
    ):
        row = Notification(**_email(CASE, action, status, AT, AT - dt.timedelta(days=30)))
        row.full_clean()
        assert (row.to, row.subject_ref, row.template) == (CASE["email"], CASE["reference"], template)
        assert row.status == Notification.Status.SENT and row.sent_at > row.created_at == AT
        assert row.context["reference"] == CASE["reference"] and row.context["status"] == status
        templates = Path(settings.BASE_DIR) / "templates" / "notifications"
        assert (templates / f"{template}.body.txt").exists()


def test_a_generated_email_older_than_the_content_retention_has_its_content_blanked():
    """As the daily retention job leaves it (ADR 0057): the delivery record without the content."""
    row = Notification(**_email(CASE, "answer", "answered", AT, AT + dt.timedelta(seconds=1)))
    row.full_clean()
    assert row.context == {} and (row.to, row.subject_ref, row.status) == (CASE["email"], CASE["reference"], "sent")
