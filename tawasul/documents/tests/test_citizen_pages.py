"""The citizen side: the order form (Arabic first, no JavaScript), bad input comes back with its
message and what was typed, the price before paying, the tracking page (status, item number,
3-7 days, identity notice), tracking by reference + email that reveals nothing, emails at each step."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.documents.models import DocumentOrder
from tawasul.documents.services import order_hand_to_post
from tawasul.notifications.models import Notification

from .factories import make_office, make_order, officer_actor, pay

NOT_FOUND = "We could not find an order with this reference and this email or phone. Check both and try again."

pytestmark = pytest.mark.django_db


def _form(office, **overrides):
    data = {
        "office": office.code,
        "idempotency_key": "6f1c2f7e-4d43-4a57-9d5b-0a0f6d1d9a11",
        "doc_type": "birth_extract",
        "copies": "2",
        "holder_first_name_ar": "أمينة",
        "holder_last_name_ar": "العلوي",
        "holder_first_name_latin": "Amina",
        "holder_last_name_latin": "Alaoui",
        "holder_birth_date": "1990-05-17",
        "holder_sex": "f",
        "act_year": "1990",
        "act_number": "1234",
        "father_first_name": "أحمد",
        "mother_first_name": "فاطمة",
        "orderer_relation": "self",
        "recipient_name": "أمينة العلوي",
        "address": "12 شارع محمد الخامس",
        "city": "الرباط",
        "postal_code": "10000",
        "country": "MA",
        "phone": "06 12 34 56 78",
        "email": "Amina@Example.MA",
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_picker_lists_only_joined_offices(client):
    joined, other = make_office(name_ar="مكتب الرباط"), make_office(joined=False, name_ar="مكتب غير منخرط")
    html = client.get("/ar/documents/order/").content.decode()
    assert f'value="{joined.code}"' in html and f'value="{other.code}"' not in html
    assert 'dir="rtl"' in client.get("/ar/documents/").content.decode()


def test_ordering_in_arabic_shows_the_price_before_paying(client):
    office = make_office()
    response = client.post("/ar/documents/order/", _form(office))
    case = Case.objects.get(portal="documents")
    assert response.status_code == 302 and response.url.endswith(f"/documents/order/{case.reference}/")
    page = client.get(response.url).content.decode()
    assert case.reference in page and 'class="tw-total">30,00<' in page  # 20 + 2 × 5 + 0
    assert f"/documents/order/{case.reference}/pay/" in page
    assert case.phone == "+212612345678" and case.email == "amina@example.ma" and case.language == "ar"
    assert Notification.objects.filter(to="amina@example.ma", template="case_received").count() == 1


def test_a_rejected_form_keeps_what_was_typed_and_says_why(client):
    office = make_office()
    data = _form(office, holder_birth_date="2015-01-01", act_year="2015", phone="12", holder_last_name_latin="علوي")
    response = client.post("/fr/documents/order/", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "parent" in html  # the minor's rule, on the relation
    with translation.override("fr"):
        assert escape(gettext("Write this name in Latin letters.")) in html  # the name's script
    assert 'value="أمينة"' in html and 'value="1234"' in html  # nothing typed is lost
    assert not Case.objects.filter(portal="documents").exists()


def test_the_full_copy_for_another_person_is_refused_with_a_message(client):
    data = _form(make_office(), doc_type="birth_full_copy", orderer_relation="other")
    response = client.post("/en/documents/order/", data)
    assert response.status_code == 400
    assert "The full copy is only for the holder" in response.content.decode()


def test_a_moroccan_address_needs_a_five_digit_postal_code_but_abroad_not(client):
    office = make_office()
    assert client.post("/en/documents/order/", _form(office, postal_code="1000")).status_code == 400
    ok = client.post("/en/documents/order/", _form(office, country="FR", postal_code="", city="Paris"))
    assert ok.status_code == 302
    order = DocumentOrder.objects.get()
    assert order.destination == "abroad" and order.price_total == 60  # 20 + 2 × 5 + 30


def test_the_same_form_sent_twice_places_one_order(client):
    office = make_office()
    client.post("/ar/documents/order/", _form(office))
    client.post("/ar/documents/order/", _form(office))
    assert Case.objects.filter(portal="documents").count() == 1


def test_pay_then_track_shows_status_item_number_delay_and_id_notice(client):
    office = make_office()
    client.post("/en/documents/order/", _form(office))
    case = Case.objects.get(portal="documents")
    response = client.post(f"/en/documents/order/{case.reference}/pay/")
    assert "/documents/pay/demo/" in response.url
    client.post(response.url)
    case.refresh_from_db()
    assert case.status == "transmitted"
    page = client.get(f"/en/documents/order/{case.reference}/").content.decode()
    assert "Sent to the civil-status office" in page and "3 to 7 days" in page
    assert "identity document" in page
    staff = officer_actor(case)
    case_transition(case=case, action="start_check", actor=staff)
    case_transition(case=case, action="issue", actor=staff)
    order_hand_to_post(case=case, actor=staff, item_number="rr 123456785 ma")
    page = client.get(f"/en/documents/order/{case.reference}/").content.decode()
    assert "RR123456785MA" in page and "Handed to the post" in page


def test_emails_go_through_the_outbox_at_each_step(run_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = make_order()
        pay(case)
        staff = officer_actor(case)
        case_transition(case=case, action="start_check", actor=staff)
        case_transition(case=case, action="issue", actor=staff)
    templates = sorted(Notification.objects.filter(to=case.email).values_list("template", flat=True))
    # received; paid and sent to the office (one email for the two moves); being checked; issued
    assert templates == ["case_received", "case_updated", "case_updated", "case_updated"]
    run_tasks()
    assert len(mail.outbox) == 4
    assert all(case.reference in message.subject + message.body for message in mail.outbox)


def test_tracking_with_the_wrong_email_reveals_nothing(client):
    case = make_order(email="amina@example.ma")
    wrong = client.post("/fr/documents/track/", {"reference": case.reference, "contact": "x@example.ma"})
    unknown = client.post("/fr/documents/track/", {"reference": "DOC-2026-9999999-Z", "contact": "x@example.ma"})
    assert wrong.status_code == unknown.status_code == 200
    with translation.override("fr"):
        not_found = gettext(NOT_FOUND)
    assert wrong.content.decode().count(not_found) == 1 == unknown.content.decode().count(not_found)
    right = client.post("/fr/documents/track/", {"reference": case.reference, "contact": "AMINA@example.ma"})
    assert right.status_code == 302
    assert client.get(right.url).status_code == 200


def test_another_portals_reference_does_not_open_through_the_documents_tracking(client):
    from tawasul.cases.testing import complaint_like_workflow
    from tawasul.cases.tests.factories import make_case
    from tawasul.cases.workflow import register_workflow, unregister_workflow

    register_workflow(complaint_like_workflow())
    try:
        other = make_case(email="amina@example.ma")
    finally:
        unregister_workflow("test_complaints")
    response = client.post("/fr/documents/track/", {"reference": other.reference, "contact": "amina@example.ma"})
    with translation.override("fr"):
        not_found = gettext(NOT_FOUND)
    assert response.status_code == 200 and not_found in response.content.decode()


def test_the_requester_cancels_an_unpaid_order_but_not_a_paid_one(client):
    office = make_office()
    client.post("/fr/documents/order/", _form(office))
    case = Case.objects.get(portal="documents")
    client.post(f"/fr/documents/order/{case.reference}/cancel/")
    case.refresh_from_db()
    assert case.status == "cancelled"


def test_public_pages_answer(client):
    make_office()
    for url in ("/ar/documents/", "/fr/documents/offices/", "/en/documents/track/", "/zgh/documents/order/"):
        assert client.get(url).status_code == 200, url
