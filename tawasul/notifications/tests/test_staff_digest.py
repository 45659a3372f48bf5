"""The daily email digest of staff alerts (issue 4 "Staff notifications: in the back office and
by email digest"): one email per staff user with their unread alerts not yet emailed, in their
language, at 07:00 Africa/Casablanca; idempotent."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import translation

from tawasul.notifications.models import Notification, StaffAlert
from tawasul.notifications.sending import render
from tawasul.notifications.services import staff_alert_create, staff_alerts_mark_read
from tawasul.notifications.tasks import digest_cutoff, send_digests_once

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in the msgids' language (English); translations are checked by
    check_translations."""
    with translation.override("en"):
        yield


CASABLANCA = ZoneInfo("Africa/Casablanca")
_numbers = itertools.count(1)


def at(*args):
    return dt.datetime(*args, tzinfo=CASABLANCA)


def staff_user(language="fr"):
    number = next(_numbers)
    return get_user_model().objects.create_user(
        username=f"digest{number}", email=f"digest{number}@example.ma", password="x", preferred_language=language
    )


def alert(user, reference="CHK-2026-0000001-K", **kwargs):
    kwargs.setdefault("kind", "assigned")
    kwargs.setdefault("text", "Case %(reference)s was assigned to you.")
    return staff_alert_create(users=[user], case_reference=reference, params={"reference": reference}, **kwargs)


def test_one_email_per_user_with_their_undigested_unread_alerts_then_nothing_more():
    amina, youssef = staff_user("fr"), staff_user("ar")
    with time_machine.travel(at(2026, 10, 5, 15, 0), tick=False):
        alert(amina, "CHK-2026-0000001-K")
        alert(amina, "CHK-2026-0000002-H")
        alert(youssef, "CHK-2026-0000003-F")
    assert send_digests_once(now=at(2026, 10, 6, 7, 5)) == 2
    mails = {n.to: n for n in Notification.objects.filter(template="staff_digest")}
    assert mails[amina.email].language == "fr" and mails[youssef.email].language == "ar"
    assert [item["reference"] for item in mails[amina.email].context["items"]] == [
        "CHK-2026-0000001-K",
        "CHK-2026-0000002-H",
    ]
    subject, body = render(mails[amina.email])
    assert "CHK-2026-0000002-H" in body and subject
    assert not StaffAlert.objects.filter(digested_at__isnull=True).exists()
    assert send_digests_once(now=at(2026, 10, 6, 8, 5)) == 0  # the next hourly run: nothing left
    assert Notification.objects.filter(template="staff_digest").count() == 2


def test_nothing_before_the_digest_hour_and_alerts_after_it_wait_for_tomorrow():
    user = staff_user()
    with time_machine.travel(at(2026, 10, 6, 6, 0), tick=False):
        alert(user, "CHK-2026-0000001-K")
    assert digest_cutoff(at(2026, 10, 6, 6, 59)) is None
    assert send_digests_once(now=at(2026, 10, 6, 6, 59)) == 0
    with time_machine.travel(at(2026, 10, 6, 7, 30), tick=False):
        alert(user, "CHK-2026-0000002-H")
    assert send_digests_once(now=at(2026, 10, 6, 8, 0)) == 1
    (mail,) = Notification.objects.filter(template="staff_digest")
    assert [item["reference"] for item in mail.context["items"]] == ["CHK-2026-0000001-K"]
    assert send_digests_once(now=at(2026, 10, 7, 7, 0)) == 1  # the 07:30 alert, the next morning


def test_read_alerts_and_alerts_already_emailed_are_not_in_the_digest():
    user = staff_user()
    with time_machine.travel(at(2026, 10, 5, 15, 0), tick=False):
        (read,) = alert(user, "CHK-2026-0000001-K")
        alert(user, "CHK-2026-0000002-H", kind="escalated", emailed=True)
    staff_alerts_mark_read(user=user, ids=[read.pk])
    assert send_digests_once(now=at(2026, 10, 6, 7, 5)) == 0


def test_a_repeated_alert_with_the_same_key_is_written_once():
    user = staff_user()
    alert(user, dedupe_key="reminder:1:5")
    alert(user, dedupe_key="reminder:1:5")
    assert StaffAlert.objects.count() == 1


def test_display_text_is_filled_at_read_time():
    user = staff_user()
    (created,) = alert(user, "CHK-2026-0000009-A")
    assert StaffAlert.objects.get(pk=created.pk).display_text == "Case CHK-2026-0000009-A was assigned to you."


def _digest_in_child(barrier, results, now):
    from django.db import connections

    try:
        barrier.wait(timeout=30)
        results.put(("ok", send_digests_once(now=now)))
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        results.put(("error", repr(exc)))
    finally:
        connections.close_all()


@pytest.mark.processes
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_processes_digesting_at_once_send_one_email_per_user():
    import multiprocessing

    from django.db import connections

    users = [staff_user() for _ in range(6)]
    with time_machine.travel(at(2026, 10, 5, 15, 0), tick=False):
        for user in users:
            alert(user, "CHK-2026-0000001-K")
            alert(user, "CHK-2026-0000002-H")
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(2), context.Queue()
    connections.close_all()
    workers = [
        context.Process(target=_digest_in_child, args=(barrier, results, at(2026, 10, 6, 7, 5))) for _ in range(2)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    assert sum(count for _, count in outcomes) == len(users)
    assert Notification.objects.filter(template="staff_digest").count() == len(users)
    assert sorted(Notification.objects.values_list("to", flat=True)) == sorted(u.email for u in users)
