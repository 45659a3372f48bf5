"""The citizen side (seed 002's seven steps): choose the body, fill the form, receipt with the
INF reference and the legal deadline as a date, tracking with the same privacy rules as
complaints, the recourse block on every refusal, filing complaints from the page."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tawasul.cases.models import Case
from tawasul.information.models import InfoRequest
from tawasul.information.services import info_request_refuse
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_request, staff_actor

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


def _form(administration, **overrides):
    data = {
        "administration": administration.code,
        "idempotency_key": "6f1c2f7e-4d43-4a57-9d5b-0a0f6d1d9a11",
        "is_urgent": "0",
        "subject": "ميزانية الجماعة",
        "description": "أطلب الاطلاع على ميزانية الجماعة برسم سنة 2025 وتنفيذها.",
        "period_from": "2025-01-01",
        "period_to": "2025-12-31",
        "document_kinds": ["report", "decision"],
        "delivery_mode": "email",
        "requester_type": "ma_citizen",
        "first_name": "أمينة",
        "last_name": "الإدريسي",
        "id_number": "ab123456",
        "address": "زنقة علال بن عبد الله، الرباط",
        "email": "Amina@Example.MA",
        "phone": "",
        "lawful_use_undertaking": "on",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_choose_body_lists_matching_administrations(client):
    body = AdministrationFactory(name_fr="Commune de Tétouan", name_ar="جماعة تطوان")
    response = client.get(reverse("information:file"), {"q": "تطوان"})
    assert response.status_code == 200
    assert f"administration={body.code}" in response.content.decode()


def test_filing_in_arabic_gives_the_inf_reference_and_the_deadline_date(client):
    body = AdministrationFactory(level="local")
    with time_machine.travel(datetime(2026, 7, 20, 10, tzinfo=CASA), tick=False):
        response = client.post(reverse("information:file_form"), _form(body))
        page = client.get(response["Location"]).content.decode()
    assert response.status_code == 302
    case = Case.objects.get(portal="information")
    assert case.reference.startswith("INF-2026-") and case.id_number == "AB123456" and case.email == "amina@example.ma"
    info = InfoRequest.objects.get(case=case)
    assert info.document_kinds == ["report", "decision"] and info.body_level == "local"
    assert str(info.period_from) == "2025-01-01"
    assert case.reference in page
    assert "tw-answer-due" in page and "2026" in page


def test_rejected_form_keeps_what_was_typed_and_shows_the_error_next_to_the_field(client):
    body = AdministrationFactory()
    response = client.post(
        reverse("information:file_form"), _form(body, is_urgent="1", urgency_reason="", id_number="123")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_urgency_reason_error"' in html and 'id="id_id_number_error"' in html
    assert "ميزانية الجماعة" in html
    assert not Case.objects.exists()


def test_foreign_resident_gives_the_residence_document_number(client):
    body = AdministrationFactory()
    response = client.post(
        reverse("information:file_form"), _form(body, requester_type="foreign_resident", id_number="ab-778899")
    )
    assert response.status_code == 302
    case = Case.objects.get(portal="information")
    assert case.id_type == "residence_doc" and case.id_number == "AB-778899" and case.complainant_type == "foreigner"


def test_tracking_with_the_wrong_email_reveals_nothing_and_the_right_one_opens_the_request(client):
    case = make_request(email="owner@example.ma")
    wrong = client.post(reverse("information:track"), {"reference": case.reference, "contact": "other@example.ma"})
    unknown = client.post(reverse("information:track"), {"reference": "INF-2026-9999999-Z", "contact": "x@example.ma"})
    assert wrong.status_code == unknown.status_code == 200
    assert case.subject not in wrong.content.decode()
    assert client.get(reverse("information:case", args=[case.reference])).status_code == 404
    right = client.post(reverse("information:track"), {"reference": case.reference, "contact": "OWNER@example.ma"})
    assert right.status_code == 302
    assert client.get(right["Location"]).status_code == 200


def test_a_citizen_never_sees_another_citizens_request(client):
    mine = make_request(email="a@example.ma")
    theirs = make_request(email="b@example.ma")
    client.post(reverse("information:track"), {"reference": mine.reference, "contact": "a@example.ma"})
    assert client.get(reverse("information:case", args=[mine.reference])).status_code == 200
    assert client.get(reverse("information:case", args=[theirs.reference])).status_code == 404
    assert client.get(reverse("information:receipt", args=[theirs.reference])).status_code == 404
    response = client.post(reverse("information:complaint_head", args=[theirs.reference]), {"description": "x" * 30})
    assert response.status_code == 404


def test_a_complaint_tracking_link_does_not_open_a_complaints_portal_case(client):
    case = make_request()
    response = client.get(reverse("complaints:track_link", args=[case.reference, case.tracking_token]))
    assert response.status_code == 404
    assert client.get(reverse("information:track_link", args=[case.reference, case.tracking_token])).status_code == 302


def _proven(client, case):
    client.get(reverse("information:track_link", args=[case.reference, case.tracking_token]))


def test_explicit_refusal_page_shows_the_ground_and_the_recourse_dates_and_files_the_head_complaint(client):
    with time_machine.travel(datetime(2026, 7, 20, 10, tzinfo=CASA), tick=False):
        case = make_request()
    with time_machine.travel(datetime(2026, 7, 24, 10, tzinfo=CASA), tick=False):
        info_request_refuse(case=case, actor=staff_actor(case), ground="national_defence", note="Défense nationale.")
        _proven(client, case)  # the session lives in the travelled time
        html = client.get(reverse("information:case", args=[case.reference])).content.decode()
        assert "tw-recourse" in html and "tw-ground" in html
        assert "tw-recourse-head" in html and "tw-recourse-cdai" in html and "tw-recourse-court" in html
        assert "31" in html  # head complaint until 31 August 2026
        response = client.post(
            reverse("information:complaint_head", args=[case.reference]),
            {"description": "Cette information ne touche pas la défense nationale."},
        )
        assert response.status_code == 302
        head = Case.objects.get(kind="complaint_to_head")
        assert head.details["parent_reference"] == case.reference
        assert client.get(reverse("information:case", args=[head.reference])).status_code == 200


def test_implicit_refusal_page_shows_the_recourse_block(client):
    with time_machine.travel(datetime(2026, 7, 20, 10, tzinfo=CASA), tick=False):
        case = make_request()
    with time_machine.travel(datetime(2026, 8, 20, 10, tzinfo=CASA), tick=False):
        _proven(client, case)
        html = client.get(reverse("information:case", args=[case.reference])).content.decode()
    assert "tw-recourse" in html and "complaint/head/" in html


def test_public_pages_answer(client):
    for name in ("index", "file", "track", "register", "publications", "statistics"):
        assert client.get(reverse(f"information:{name}")).status_code == 200, name
