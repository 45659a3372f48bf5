"""POST /api/v1/complaints/: filing, idempotency, and every bad input answered 400 with nothing stored."""

import datetime as dt
import json

import pytest

from tawasul.cases.models import Case
from tawasul.complaints.models import Complaint

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


def test_filing_answers_201_with_the_reference_dates_and_token(client, payload, sub_subject):
    response = client.post(URL, payload, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == {
        "reference",
        "reference_spoken",
        "status",
        "status_label",
        "submitted_at",
        "first_action_due",
        "answer_due",
        "tracking_token",
    }
    case = Case.objects.get()
    assert body["reference"] == case.reference and body["reference"].startswith("CHK-")
    assert body["status"] == "submitted"
    assert body["status_label"]  # in plain words
    dt.date.fromisoformat(body["first_action_due"])
    assert dt.date.fromisoformat(body["answer_due"]) > dt.date.fromisoformat(body["first_action_due"])
    assert case.channel == "mobile_app"
    assert case.email == "amina@example.ma" and case.phone == "+212612345678"
    assert case.id_number == "AB123456"
    assert Complaint.objects.get(case=case).sub_subject == sub_subject


def test_the_tracking_token_proves_the_case(client, payload):
    body = client.post(URL, payload, format="json").json()

    response = client.get(
        f"/api/v1/cases/{body['reference']}/",
        HTTP_AUTHORIZATION=f"Tracking {body['reference']}:{body['tracking_token']}",
    )

    assert response.status_code == 200
    assert response.json()["reference"] == body["reference"]


def test_arabic_is_not_escaped_in_responses(client, payload):
    response = client.post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="ar")

    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Language"] == "ar"
    text = response.content.decode("utf-8")
    assert "\\u0" not in text
    label = response.json()["status_label"]
    assert label in text


def test_same_idempotency_key_twice_files_one_case(client, payload):
    first = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="7f9c0a9e-1a2b-4c3d-9e8f-001122334455")
    second = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="7f9c0a9e-1a2b-4c3d-9e8f-001122334455")

    assert first.status_code == 201 and second.status_code == 200
    assert Case.objects.count() == 1
    assert second.json()["reference"] == first.json()["reference"]
    assert "tracking_token" not in second.json()
    assert {k: v for k, v in first.json().items() if k != "tracking_token"} == second.json()


def test_a_key_reused_by_someone_else_reveals_nothing(client, payload):
    key = "shared-key-1"
    client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    response = client.post(
        URL, {**payload, "email": "someone@else.ma", "phone": ""}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 409
    assert "reference" not in response.content.decode()
    assert Case.objects.count() == 1


def test_different_keys_file_two_cases(client, payload):
    client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="key-a")
    client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="key-b")

    assert Case.objects.count() == 2


def test_confidential_and_place_are_kept(client, payload, commune):
    body = {
        **payload,
        "is_confidential": True,
        "commune": commune.code,
        "province": commune.province.code,
        "region": commune.province.region.iso_code,
    }

    assert client.post(URL, body, format="json").status_code == 201

    case = Case.objects.get()
    assert case.is_confidential
    complaint = Complaint.objects.get(case=case)
    assert complaint.commune == commune and complaint.region == commune.province.region


def test_phone_alone_is_enough(client, payload):
    assert client.post(URL, {**payload, "email": ""}, format="json").status_code == 201


# --- Bad inputs ---------------------------------------------------------------------------------


def _without(payload, *names):
    return {k: v for k, v in payload.items() if k not in names}


BAD_BODIES = {
    # name: (change to the valid payload, field expected in the errors)
    "missing_administration": (lambda p: _without(p, "administration"), "administration"),
    "missing_description": (lambda p: _without(p, "description"), "description"),
    "missing_kind": (lambda p: _without(p, "kind"), "kind"),
    "missing_subject": (lambda p: _without(p, "subject"), "subject"),
    "missing_first_name": (lambda p: _without(p, "first_name"), "first_name"),
    "missing_consent": (lambda p: _without(p, "consent"), "consent"),
    "consent_false": (lambda p: {**p, "consent": False}, "consent"),
    "consent_as_string": (lambda p: {**p, "consent": "true"}, "consent"),
    "unknown_kind": (lambda p: {**p, "kind": "question"}, "kind"),
    "unknown_complainant_type": (lambda p: {**p, "complainant_type": "alien"}, "complainant_type"),
    "unknown_id_type": (lambda p: {**p, "id_type": "driving_licence"}, "id_type"),
    "unknown_language": (lambda p: {**p, "language": "de"}, "language"),
    "unknown_administration": (lambda p: {**p, "administration": "no-such-administration"}, "administration"),
    "unknown_subject": (lambda p: {**p, "subject": "no-such-subject"}, "subject"),
    "unknown_region": (lambda p: {**p, "region": "MA-99"}, "region"),
    "unknown_commune": (lambda p: {**p, "commune": "00.000.0000"}, "commune"),
    "description_too_short": (lambda p: {**p, "description": "قصير"}, "description"),
    "description_only_spaces": (lambda p: {**p, "description": " " * 40}, "description"),
    "description_too_long": (lambda p: {**p, "description": "ش" * 5001}, "description"),
    "description_huge": (lambda p: {**p, "description": "x" * 200_000}, "description"),
    "description_as_number": (lambda p: {**p, "description": 123456789012345678901234}, "description"),
    "description_as_list": (lambda p: {**p, "description": ["a" * 30]}, "description"),
    "description_with_nul": (lambda p: {**p, "description": "abc\x00" * 10}, "description"),
    "first_name_too_long": (lambda p: {**p, "first_name": "a" * 101}, "first_name"),
    "bad_email": (lambda p: {**p, "email": "not-an-email"}, "email"),
    "bad_phone": (lambda p: {**p, "phone": "12345"}, "phone"),
    "phone_as_number": (lambda p: {**p, "phone": 612345678}, "phone"),
    "no_contact": (lambda p: {**p, "email": "", "phone": ""}, "email"),
    "bad_cin": (lambda p: {**p, "id_number": "1234ABC"}, "id_number"),
    "cin_too_long": (lambda p: {**p, "id_number": "AB1234567"}, "id_number"),
    "confidential_as_number": (lambda p: {**p, "is_confidential": 1}, "is_confidential"),
    "administration_as_object": (lambda p: {**p, "administration": {"code": "x"}}, "administration"),
    "unknown_field": (lambda p: {**p, "favourite_colour": "blue"}, "favourite_colour"),
    "place_address_too_long": (lambda p: {**p, "place_address": "x" * 301}, "place_address"),
}


@pytest.mark.parametrize("name", sorted(BAD_BODIES))
def test_bad_field_is_400_with_its_message_and_stores_nothing(client, payload, name):
    change, field = BAD_BODIES[name]

    response = client.post(URL, change(payload), format="json")

    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert field in errors, errors
    assert all(isinstance(m, str) and m for m in errors[field])
    assert Case.objects.count() == 0


def test_sub_subject_of_another_subject_is_refused(client, payload, other_sub_subject):
    response = client.post(URL, {**payload, "sub_subject": other_sub_subject.code}, format="json")

    assert response.status_code == 400
    assert "sub_subject" in response.json()["errors"]
    assert Case.objects.count() == 0


def test_subject_of_another_administration_is_refused(client, payload, other_administration):
    from tawasul.complaints.models import Subject

    own = Subject.objects.create(code="api-own", administration=other_administration, name_ar="خاص")

    response = client.post(URL, {**payload, "subject": own.code, "sub_subject": ""}, format="json")

    assert response.status_code == 400
    assert "subject" in response.json()["errors"]
    assert Case.objects.count() == 0


def test_commune_outside_the_province_is_refused(client, payload, commune):
    from tawasul.registry.tests.factories import ProvinceFactory

    response = client.post(URL, {**payload, "commune": commune.code, "province": ProvinceFactory().code}, format="json")

    assert response.status_code == 400
    assert "commune" in response.json()["errors"]
    assert Case.objects.count() == 0


RAW_BODIES = {
    "malformed_json": b'{"kind": "complaint",',
    "trailing_garbage": b'{"kind": "complaint"} xyz',
    "bare_string": b'"a complaint"',
    "json_array": b'[{"kind": "complaint"}]',
    "json_null": b"null",
    "json_number": b"42",
    "nan": b'{"kind": NaN}',
    "duplicate_keys": b'{"kind": "complaint", "kind": "suggestion"}',
    "lone_surrogate": b'{"description": "\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800\\ud800"}',
    "not_utf8": '{"description": "é"}'.encode("latin-1"),
    "empty_body": b"",
    "deep_nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("name", sorted(RAW_BODIES))
def test_unparseable_body_is_400_and_stores_nothing(client, name):
    response = client.generic("POST", URL, RAW_BODIES[name], content_type="application/json")

    assert response.status_code == 400, response.content
    assert response.json()["errors"]
    assert Case.objects.count() == 0


def test_too_large_body_is_refused(client, payload, settings):
    settings.API_MAX_JSON_BYTES = 1000

    response = client.post(URL, {**payload, "description": "x" * 2000}, format="json")

    assert response.status_code == 400
    assert Case.objects.count() == 0


def test_wrong_content_type_is_415(client, payload):
    response = client.post(URL, payload)  # multipart form, not JSON

    assert response.status_code == 415
    assert "detail" in response.json()["errors"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("key", ["x" * 129, "with space", "é-accent", ""])
def test_bad_idempotency_key_is_400(client, payload, key):
    response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]
    assert Case.objects.count() == 0


def test_errors_are_in_the_requested_language(client, payload):
    bad = {**payload, "description": "short"}

    french = client.post(URL, bad, format="json", HTTP_ACCEPT_LANGUAGE="fr").json()["errors"]["description"]
    arabic = client.post(URL, bad, format="json", HTTP_ACCEPT_LANGUAGE="ar").json()["errors"]["description"]
    english = client.post(URL, bad, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["errors"]["description"]

    assert english == ["Ensure this field has at least 20 characters."]
    assert french != english and arabic != english and french != arabic


def test_submissions_are_throttled(client, payload, settings):
    settings.API_THROTTLE_RATES = {**settings.API_THROTTLE_RATES, "submit": "3/hour"}

    codes = [client.post(URL, {**payload, "kind": "bad"}, format="json").status_code for _ in range(4)]

    assert codes == [400, 400, 400, 429]
    assert "Retry-After" in client.post(URL, payload, format="json")


def test_unknown_api_url_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert json.loads(response.content)["errors"]["detail"]


@pytest.mark.parametrize(
    ("header", "language"),
    [("zgh", "zgh"), ("fr-MA,fr;q=0.9", "fr"), ("en-GB", "en"), ("de-DE", "ar"), ("", "ar"), ("*", "ar")],
)
def test_the_answer_is_in_the_language_asked_for(client, header, language):
    response = client.get("/api/v1/complaint-subjects/", HTTP_ACCEPT_LANGUAGE=header)

    assert response["Content-Language"] == language


def test_filing_emails_the_acknowledgement_with_the_secret_link(
    client, payload, run_tasks, mailoutbox, django_capture_on_commit_callbacks
):
    from tawasul.notifications.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        body = client.post(URL, payload, format="json").json()
    run_tasks()

    notification = Notification.objects.get(subject_ref=body["reference"])
    assert notification.to == "amina@example.ma" and notification.language == "ar"
    link = f"/ar/complaints/track/{body['reference']}/{body['tracking_token']}/"
    assert len(mailoutbox) == 1 and body["reference"] in mailoutbox[0].body
    assert link in mailoutbox[0].body
    assert "tracking_url" not in notification.context  # the secret is not kept once sent


def test_wrong_method_is_405_in_the_error_shape(client):
    response = client.get(URL)

    assert response.status_code == 405
    assert response.json()["errors"]["detail"]
