"""The public shell: root redirect and health check."""

import pytest


@pytest.mark.django_db
def test_root_redirects_to_arabic_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/ar/"


@pytest.mark.django_db
def test_root_redirects_to_the_language_chosen_before(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/")["Location"] == "/fr/"


@pytest.mark.django_db
def test_root_ignores_an_unknown_language_cookie(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/")["Location"] == "/ar/"


@pytest.mark.django_db
def test_healthz_checks_database_and_task_queue(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["task_queue"] == "ok"
    assert body["checks"]["outbox_longest_wait_seconds"] == 0


@pytest.mark.django_db
def test_healthz_tells_how_long_the_outbox_has_waited(client):
    """A due email nobody sent (no worker relays the outbox, ADR 0060) shows in the health check."""
    import datetime as dt

    from django.utils import timezone

    from tawasul.notifications.models import Notification

    Notification.objects.create(
        channel="email",
        to="a@example.ma",
        template="case_received",
        next_attempt_at=timezone.now() - dt.timedelta(minutes=5),
    )
    Notification.objects.create(  # a retry whose time has not come yet does not count
        channel="email",
        to="b@example.ma",
        template="case_received",
        next_attempt_at=timezone.now() + dt.timedelta(hours=1),
    )
    assert 299 <= client.get("/healthz").json()["checks"]["outbox_longest_wait_seconds"] <= 310
