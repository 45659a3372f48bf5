"""R3 "Paid before transmission": an order that is not paid is not the office's yet. The
civil-status officer of the office's administration never sees it: not in the inbox (any status
filter, a search by its reference), not at its URL nor its actions, not in the CSV export, not in
a deadline reminder (the indicators leave it out too: tawasul/insights/tests/test_new_portals.py).
Once paid, it is there."""

import datetime as dt

import pytest
import time_machine

from tawasul.cases.actors import Actor
from tawasul.cases.tasks import sweep_once
from tawasul.documents.services import order_cancel
from tawasul.notifications.models import Notification, StaffAlert

from .factories import civil_status_officer, make_office, make_order, pay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def unpaid(client):
    office = make_office()
    case = make_order(office=office)
    client.force_login(civil_status_officer(office.administration))
    return case


def _seen_anywhere(client, case) -> list[str]:
    seen = []
    for params in ({}, {"status": "all"}, {"status": "awaiting_payment"}, {"q": case.reference}):
        if f"/staff/case/{case.reference}/" in client.get("/en/staff/", params).text:  # (q echoes it)
            seen.append(f"inbox {params}")
        export = b"".join(client.get("/en/staff/export.csv", params).streaming_content).decode()
        if case.reference in export:
            seen.append(f"export {params}")
    if client.get(f"/en/staff/case/{case.reference}/").status_code != 404:
        seen.append("detail")
    data = {"version": str(case.version)}
    if client.post(f"/en/staff/case/{case.reference}/files/", data).status_code != 404:
        seen.append("files")
    if client.post(f"/en/staff/case/{case.reference}/note/", data).status_code != 404:
        seen.append("note")
    if client.post(f"/en/staff/case/{case.reference}/act/start_check/", data).status_code != 404:
        seen.append("act")
    return seen


def test_the_office_never_sees_an_unpaid_order(client, unpaid):
    assert _seen_anywhere(client, unpaid) == []
    unpaid.refresh_from_db()
    assert unpaid.status == "awaiting_payment"


def test_an_order_cancelled_before_payment_never_reaches_the_office(client, unpaid):
    order_cancel(case=unpaid, actor=Actor.system())
    unpaid.refresh_from_db()
    assert unpaid.status == "cancelled"
    assert _seen_anywhere(client, unpaid) == []


def test_once_paid_the_order_is_in_the_office_inbox(client, unpaid):
    pay(unpaid)
    assert client.get(f"/en/staff/case/{unpaid.reference}/").status_code == 200
    assert unpaid.reference in client.get("/en/staff/").text


def test_the_sweep_sends_the_office_no_reminder_of_an_unpaid_order():
    office = make_office()
    civil_status_officer(office.administration)
    ordered = dt.datetime(2026, 6, 8, 9, tzinfo=dt.UTC)  # its 7 days' D-5 reminder falls the next day
    with time_machine.travel(ordered, tick=False):
        case = make_order(office=office)
    for days in (1, 2):
        with time_machine.travel(ordered + dt.timedelta(days=days), tick=False):
            assert sweep_once()["reminded"] == 0
    assert not StaffAlert.objects.filter(case_reference=case.reference).exists()
    assert not Notification.objects.filter(template="case_reminder_staff").exists()
