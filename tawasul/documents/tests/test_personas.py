"""Who sees and works which order (ARCHITECTURE.md §4 personas; the brief's priorities 4 and 5):
the civil-status officer of the office's administration works it in the back office; an officer of
another administration never sees it; a liaison officer of the same administration sees it but
cannot work it; citizen B never opens citizen A's order."""

import pytest
from django.utils import translation

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import UserFactory
from tawasul.cases.tests.factories import make_staff
from tawasul.documents.models import DocumentOrder, RejectionReason

from .factories import civil_status_officer, make_office, make_order, pay

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def two_offices():
    office_x, office_y = make_office(), make_office()
    order_x = make_order(office=office_x)
    pay(order_x)
    order_x.refresh_from_db()
    return office_x, office_y, order_x


def _act(client, case, action, **fields):
    data = {"version": str(case.version), **{f"{action}-{k}": v for k, v in fields.items()}}
    return client.post(f"/en/staff/case/{case.reference}/act/{action}/", data)


def test_the_office_officer_sees_the_paid_order_in_the_inbox_and_works_it(client, two_offices):
    office_x, _, case = two_offices
    client.force_login(civil_status_officer(office_x.administration))
    assert case.reference in client.get("/en/staff/").content.decode()
    page = client.get(f"/en/staff/case/{case.reference}/").content.decode()
    assert "Civil-status document order" in page and "1234/1990" in page  # the portal's panel
    assert _act(client, case, "start_check").status_code == 302
    case.refresh_from_db()
    assert case.status == "in_process"
    case.refresh_from_db()
    _act(client, case, "issue")
    case.refresh_from_db()
    bad = _act(client, case, "hand_to_post", item_number="12345")
    assert bad.status_code == 400 and "RR123456785MA" in bad.content.decode()
    case.refresh_from_db()
    assert _act(client, case, "hand_to_post", item_number="RR123456785MA").status_code == 302
    assert DocumentOrder.objects.get(case=case).post_item_number == "RR123456785MA"


def test_the_office_officer_rejects_with_a_reason_and_the_refund_opens(client, two_offices):
    office_x, _, case = two_offices
    client.force_login(civil_status_officer(office_x.administration))
    assert _act(client, case, "reject", reason="record_not_found", note="").status_code == 302
    case.refresh_from_db()
    assert case.status == "refund_pending"
    assert DocumentOrder.objects.get(case=case).rejection_reason == "record_not_found"
    with translation.override(case.language):  # the reason, in the requester's language
        expected = str(RejectionReason.RECORD_NOT_FOUND.label)
    assert case.messages.get().body.startswith(expected)


def test_an_officer_of_another_administration_never_sees_the_order(client, two_offices):
    _, office_y, case = two_offices
    client.force_login(civil_status_officer(office_y.administration))
    assert case.reference not in client.get("/en/staff/").content.decode()
    assert client.get(f"/en/staff/case/{case.reference}/").status_code == 404
    assert _act(client, case, "start_check").status_code == 404
    case.refresh_from_db()
    assert case.status == "transmitted"


def test_a_liaison_officer_of_the_same_administration_cannot_work_the_order(client, two_offices):
    office_x, _, case = two_offices
    client.force_login(make_staff(office_x.administration, role=Role.OFFICER))
    _act(client, case, "start_check")
    case.refresh_from_db()
    assert case.status == "transmitted"


def test_an_unpaid_order_offers_the_office_no_action(client):
    office = make_office()
    case = make_order(office=office)
    client.force_login(civil_status_officer(office.administration))
    _act(client, case, "start_check")
    case.refresh_from_db()
    assert case.status == "awaiting_payment"


def test_citizen_b_never_opens_citizen_a_order(client):
    citizen_a, citizen_b = UserFactory(), UserFactory()
    case = make_order(requester_user=citizen_a, email=citizen_a.email)
    client.force_login(citizen_b)
    for url in (f"/fr/documents/order/{case.reference}/", "/fr/documents/order/DOC-2026-9999999-Z/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/fr/documents/order/{case.reference}/pay/").status_code == 404
    assert client.post(f"/fr/documents/order/{case.reference}/cancel/").status_code == 404
    assert case.reference not in client.get("/fr/documents/track/").content.decode()
    client.force_login(citizen_a)
    assert client.get(f"/fr/documents/order/{case.reference}/").status_code == 200
    assert case.reference in client.get("/fr/documents/track/").content.decode()


def test_the_office_is_alerted_once_when_an_order_is_paid():
    from tawasul.notifications.models import StaffAlert

    office = make_office()
    officer = civil_status_officer(office.administration)
    case = make_order(office=office)
    pay(case)
    alerts = StaffAlert.objects.filter(user=officer, case_reference=case.reference)
    assert alerts.count() == 1
    assert "was paid" in alerts.get().text
