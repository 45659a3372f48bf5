"""Messages given up after a long outage can be sent again by support (the admin's action), as
long as their content is kept (ADR 0057); nothing else is touched, and it takes the right to
change the outbox."""

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.utils import timezone

from tawasul.notifications.models import Notification
from tawasul.notifications.services import notifications_send_again

pytestmark = pytest.mark.django_db

CHANGELIST = "/ar/admin/notifications/notification/"


def _row(status: str, *, context=None, to="a@example.ma") -> Notification:
    return Notification.objects.create(
        channel="email",
        to=to,
        template="case_received",
        context={"reference": "CHK-2026-0000001-9", "first_name": "Amina"} if context is None else context,
        status=status,
        attempts=5 if status == "failed" else 1,
        last_error="SMTPServerDisconnected: down" if status == "failed" else "",
        next_attempt_at=None if status in ("failed", "sent") else timezone.now(),
    )


def test_a_given_up_email_is_sent_again_once_and_nothing_else_is_touched(run_tasks):
    given_up = _row("failed", to="given-up@example.ma")
    blanked = _row("failed", context={}, to="blanked@example.ma")
    sent = _row("sent", to="sent@example.ma")
    assert notifications_send_again([given_up.pk, blanked.pk, sent.pk]) == 1
    given_up.refresh_from_db()
    assert (given_up.status, given_up.attempts) == ("pending", 0)
    run_tasks()
    assert [message.to for message in mail.outbox] == [["given-up@example.ma"]]
    assert Notification.objects.get(pk=given_up.pk).status == "sent"
    assert Notification.objects.get(pk=blanked.pk).status == "failed"
    assert Notification.objects.get(pk=sent.pk).status == "sent"


def _post_action(client, *rows):
    return client.post(
        CHANGELIST,
        {"action": "send_again", "_selected_action": [row.pk for row in rows]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="ar",
    )


def test_the_admin_action_says_what_it_did(admin_client, run_tasks):
    given_up, sent = _row("failed"), _row("sent", to="b@example.ma")
    response = _post_action(admin_client, given_up, sent)
    texts = [str(message) for message in response.context["messages"]]
    assert len(texts) == 2 and all(text for text in texts)
    run_tasks()
    assert len(mail.outbox) == 1


def test_a_staff_member_who_may_only_read_the_outbox_cannot_send_again(client, django_user_model):
    reader = django_user_model.objects.create_user(
        username="reader", email="reader@example.ma", password="x" * 12, is_staff=True
    )
    reader.user_permissions.add(Permission.objects.get(codename="view_notification"))
    client.force_login(reader)
    given_up = _row("failed")
    assert client.get(CHANGELIST).status_code == 200
    _post_action(client, given_up)
    assert Notification.objects.get(pk=given_up.pk).status == "failed"
