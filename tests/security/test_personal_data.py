"""Personal data under law 09-08 (issue 8 item 7): access, erasure, retention, national unit."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone, translation

from tawasul.accounts.personal_data import personal_data_erase, personal_data_export, personal_data_purge_expired
from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import PASSWORD, UserFactory
from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, CaseEvent, Message
from tawasul.cases.selectors import case_by_token, cases_for_staff
from tawasul.cases.services import case_add_message, case_transition
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.tests.factories import make_complaint, staff_actor
from tawasul.notifications.models import Notification

pytestmark = pytest.mark.django_db


def url(name):
    with translation.override("fr"):
        return reverse(name)


@pytest.fixture
def citizen():
    return UserFactory(first_name="Amina", last_name="Alaoui", phone="+212612345678", cin="AB123456")


@pytest.fixture
def filed(citizen):
    case = make_complaint(requester_user=citizen, email=citizen.email)
    case_add_message(case=case, actor=Actor.requester(case), kind=Message.Kind.CITIZEN_MESSAGE, body="Voici le reçu.")
    actor = staff_actor(case)
    case_add_message(case=case, actor=actor, kind=Message.Kind.INTERNAL_NOTE, body="Note interne secrète")
    return case


def test_a_citizen_downloads_everything_held_about_them(client, citizen, filed):
    other = make_complaint(email="someone-else@example.ma")
    client.force_login(citizen)
    response = client.get(url("accounts:personal_data_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == citizen.email
    assert data["account"]["cin"] == "AB123456"
    references = [c["reference"] for c in data["cases"]]
    assert references == [filed.reference]
    assert other.reference not in response.content.decode()
    exported = data["cases"][0]
    assert exported["identity"]["last_name"] == "El Idrissi"
    bodies = [entry["body"] for entry in exported["timeline"]]
    assert "Voici le reçu." in bodies
    assert "Note interne secrète" not in response.content.decode()  # staff notes are not the requester's


def test_the_personal_data_page_needs_a_signed_in_person(client):
    response = client.get(url("accounts:personal_data_export"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_erasure_removes_the_identity_closes_the_account_and_keeps_the_case(client, citizen, filed):
    client.force_login(citizen)
    token = filed.tracking_token
    assert client.post(url("accounts:personal_data_erase"), {}).status_code == 400  # not confirmed
    response = client.post(url("accounts:personal_data_erase"), {"confirm": "on"})
    assert response.status_code == 302
    case = Case.objects.get(pk=filed.pk)
    assert (case.first_name, case.last_name, case.id_number, case.email, case.phone) == ("", "", "", "", "")
    assert case.requester_user_id is None
    assert case.status == filed.status and case.description == filed.description  # still in the statistics
    assert case_by_token(case.reference, token) is None  # the old secret link opens nothing
    assert CaseEvent.objects.filter(case=case, action="identity_erased", is_public=False).count() == 1
    citizen.refresh_from_db()
    assert not citizen.is_active and citizen.email is None and citizen.cin == "" and citizen.first_name == ""
    assert not citizen.has_usable_password()
    assert not Notification.objects.filter(to=filed.email if filed.email else "x").exists()
    # Signed out, and the old password no longer opens anything.
    assert not client.get(url("home:index")).wsgi_request.user.is_authenticated
    from django.contrib.auth.backends import ModelBackend

    assert ModelBackend().authenticate(None, username=f"erased-{citizen.pk}", password=PASSWORD) is None


def test_erasure_is_only_for_oneself(citizen, filed):
    intruder = UserFactory()
    with pytest.raises(PermissionError):
        personal_data_erase(actor=intruder, user=citizen)
    assert Case.objects.get(pk=filed.pk).last_name == "El Idrissi"


def test_erasure_twice_finds_nothing_left(citizen, filed):
    personal_data_erase(actor=citizen, user=citizen)
    assert set(personal_data_erase(actor=citizen, user=citizen).values()) == {0}


def _close(case):
    actor = staff_actor(case)
    case_transition(case=case, action="start", actor=actor)
    case_transition(case=case, action="answer", actor=actor, note="Réglé.", payload={"outcome": "positive"})
    case.refresh_from_db()
    return case


def test_retention_purges_identities_of_cases_closed_long_ago_only(settings):
    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    with time_machine.travel(dt.datetime(2026, 1, 15, 10, 0, tzinfo=dt.UTC)):
        old = make_complaint()
        old = _close(old)
    if old.closed_at is None:
        Case.objects.filter(pk=old.pk).update(closed_at=timezone.now() - dt.timedelta(days=6 * 365))
    recent = make_complaint()
    with time_machine.travel(dt.datetime(2031, 3, 1, 10, 0, tzinfo=dt.UTC)):
        purged = personal_data_purge_expired()
        assert personal_data_purge_expired() == 0  # idempotent
    # The old case's identity, and the records of its three emails, written over five years ago
    # (ADR 0057); nothing of the recent case.
    assert purged == 1 + 3
    assert set(Notification.objects.values_list("subject_ref", flat=True)) == {recent.reference}
    assert Case.objects.get(pk=old.pk).last_name == ""
    assert Case.objects.get(pk=recent.pk).last_name == "El Idrissi"
    assert Case.objects.count() == 2  # both still counted


def test_the_purge_is_a_periodic_job():
    from config.jobs import JOBS

    assert "tawasul.accounts.tasks.purge_expired_personal_data" in {job.task for job in JOBS}


def test_the_national_unit_cannot_read_any_identity(filed):
    """No national-unit view of identities exists: its members reach no case at all (so there is
    no read to log); a national-unit view must call `log_personal_data_read`."""
    from tawasul.registry.tests.factories import AdministrationFactory

    national = make_staff(AdministrationFactory(code="mrf"), role=Role.NATIONAL_UNIT)
    assert not cases_for_staff(national).exists()
    contact = make_staff(AdministrationFactory(code="3737"), role=Role.CONTACT_AGENT)
    assert not cases_for_staff(contact).exists()


def test_export_of_a_person_with_no_case_is_just_the_account(citizen):
    data = personal_data_export(user=citizen)
    assert data["cases"] == []
    assert data["account"]["phone"] == "+212612345678"


def _closed_long_ago(count, **fields):
    cases = [make_complaint(**fields) for _ in range(count)]
    Case.objects.filter(pk__in=[case.pk for case in cases]).update(
        closed_at=timezone.now() - dt.timedelta(days=6 * 365)
    )
    return cases


def test_a_purge_of_many_cases_goes_a_chunk_at_a_time_and_misses_none(settings, monkeypatch):
    """A first purge may meet a whole year of closed cases: it works through them in chunks, each
    chunk's emails scrubbed by reference or address, and leaves nothing behind."""
    from tawasul.cases import personal_data

    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    monkeypatch.setattr(personal_data, "CHUNK", 2)
    old = _closed_long_ago(5, email="amina@example.ma")
    others = [make_complaint(email=f"n{i}@example.ma") for i in range(2)]
    other_emails = Notification.objects.filter(to__in=[case.email for case in others]).count()
    assert Notification.objects.filter(to="amina@example.ma").count() >= 5

    assert personal_data_purge_expired() == 5

    for case in Case.objects.filter(pk__in=[case.pk for case in old]):
        assert (case.first_name, case.last_name, case.email, case.phone) == ("", "", "", "")
        assert CaseEvent.objects.filter(case=case, action="identity_erased").count() == 1
    assert not Notification.objects.filter(to="amina@example.ma").exists()
    assert not Notification.objects.filter(subject_ref__in=[case.reference for case in old]).exclude(to="").exists()
    assert Notification.objects.filter(to__in=[case.email for case in others]).count() == other_emails
    assert all(case.last_name == "El Idrissi" for case in Case.objects.filter(pk__in=[case.pk for case in others]))


def test_a_purge_runs_the_same_statements_for_a_few_cases_as_for_a_chunk(settings):
    from django.test.utils import CaptureQueriesContext

    settings.PERSONAL_DATA_RETENTION_YEARS = 5
    _closed_long_ago(2, email="a@example.ma")
    with CaptureQueriesContext(connection) as few:
        assert personal_data_purge_expired() == 2
    _closed_long_ago(12, email="b@example.ma")
    with CaptureQueriesContext(connection) as more:
        assert personal_data_purge_expired() == 12
    assert len(more) == len(few)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan; SQLite's outbox is small")
def test_erasure_finds_a_persons_emails_through_indexes_not_by_reading_the_outbox():
    """The outbox grows with every filing: the erasure's look-up by reference or address is served
    by an index on each (the plan, with sequential scans ruled out, reads no table whole)."""
    query = Notification.objects.filter(
        models.Q(subject_ref__in=["CHK-2026-0000001-9"]) | models.Q(to__in=["amina@example.ma"])
    )
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = "\n".join(str(line) for line in query.explain().splitlines())
    assert "notif_subject_ref_idx" in plan and "notif_to_idx" in plan, plan
    assert "Seq Scan" not in plan, plan
