"""Tracking and the requester's actions: POST /api/v1/track/ and /api/v1/cases/<reference>/..."""

import io

import pytest
from PIL import Image

from tawasul.cases.actors import Actor
from tawasul.cases.models import Attachment, Case, Message
from tawasul.cases.services import case_transition

pytestmark = pytest.mark.django_db

OFFICER = Actor(user=None, roles=frozenset({"officer"}))


def proof(body):
    return {"HTTP_AUTHORIZATION": f"Tracking {body['reference']}:{body['tracking_token']}"}


def png_file(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (200, 30, 30)).save(buffer, format="PNG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def answer(reference):
    case = Case.objects.get(reference=reference)
    if case.status in ("submitted", "acknowledged"):
        case = case_transition(case=case, action="start", actor=OFFICER)
    return case_transition(case=case, action="answer", actor=OFFICER, note="تم تسليم الشهادة.")


# --- POST /track/ ------------------------------------------------------------------------------


def test_track_with_the_email_shows_the_public_view(client, file_complaint):
    filed = file_complaint()

    response = client.post(
        "/api/v1/track/", {"reference": filed["reference"], "email": "amina@example.ma"}, format="json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == filed["reference"]
    assert body["administration"] == {"code": "dgi-api", "name": "Direction générale des impôts"}
    assert body["status"] == "submitted" and body["status_label"]
    assert body["answer_due"] == filed["answer_due"]
    assert body["timeline"][0]["action"] == "submitted"
    assert body["details"]["subject"] == "Retards"
    assert set(body["actions"]) == {"message", "attachment"}
    assert "tracking_token" not in body and "email" not in response.content.decode()


def test_track_with_the_phone_in_any_written_form(client, file_complaint):
    filed = file_complaint()

    response = client.post(
        "/api/v1/track/", {"reference": filed["reference"], "phone": "+212 6 12 34 56 78"}, format="json"
    )

    assert response.status_code == 200


def test_wrong_email_and_unknown_reference_get_the_same_404(client, file_complaint):
    filed = file_complaint()
    wrong_email = client.post("/api/v1/track/", {"reference": filed["reference"], "email": "x@y.ma"}, format="json")
    unknown = client.post(
        "/api/v1/track/", {"reference": "CHK-2026-9999999-2", "email": "amina@example.ma"}, format="json"
    )
    garbage = client.post("/api/v1/track/", {"reference": "hello", "email": "amina@example.ma"}, format="json")

    assert wrong_email.status_code == unknown.status_code == garbage.status_code == 404
    assert wrong_email.content == unknown.content == garbage.content
    assert filed["reference"] not in wrong_email.content.decode()


def test_track_needs_exactly_one_contact(client):
    response = client.post("/api/v1/track/", {"reference": "CHK-2026-0000001-X"}, format="json")

    assert response.status_code == 400
    assert "email" in response.json()["errors"]


def test_tracking_is_throttled_per_client(client, file_complaint):
    filed = file_complaint()
    attempt = {"reference": filed["reference"], "email": "guess@example.ma"}

    codes = [client.post("/api/v1/track/", attempt, format="json").status_code for _ in range(11)]

    assert codes == [404] * 10 + [429]
    # another client is not affected
    other = client.post("/api/v1/track/", attempt, format="json", REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 404


# --- The tracking secret ------------------------------------------------------------------------


def test_a_missing_wrong_or_foreign_secret_gets_the_same_404(client, file_complaint):
    mine, theirs = file_complaint(), file_complaint(email="other@example.ma")
    url = f"/api/v1/cases/{mine['reference']}/"

    missing = client.get(url)
    wrong = client.get(url, HTTP_AUTHORIZATION=f"Tracking {mine['reference']}:not-the-token")
    foreign = client.get(url, **proof(theirs))
    malformed = client.get(url, HTTP_AUTHORIZATION="Tracking")
    unknown = client.get("/api/v1/cases/CHK-2026-9999999-2/", HTTP_AUTHORIZATION="Tracking CHK-2026-9999999-2:abc")
    track_404 = client.post("/api/v1/track/", {"reference": mine["reference"], "email": "x@y.ma"}, format="json")

    responses = [missing, wrong, foreign, malformed, unknown, track_404]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1


def test_requester_sends_a_message(client, file_complaint):
    filed = file_complaint()

    response = client.post(
        f"/api/v1/cases/{filed['reference']}/messages/", {"body": "هل من جديد؟"}, format="json", **proof(filed)
    )

    assert response.status_code == 201
    messages = [e for e in response.json()["timeline"] if e["type"] == "message"]
    assert messages[-1]["body"] == "هل من جديد؟" and messages[-1]["by"] == "requester"
    assert Message.objects.filter(case__reference=filed["reference"], kind="citizen_message").count() == 1


def test_empty_message_is_400(client, file_complaint):
    filed = file_complaint()

    response = client.post(
        f"/api/v1/cases/{filed['reference']}/messages/", {"body": "   "}, format="json", **proof(filed)
    )

    assert response.status_code == 400
    assert "body" in response.json()["errors"]
    assert not Message.objects.exists()


def test_requester_provides_the_information_asked_for(client, file_complaint):
    filed = file_complaint()
    case = Case.objects.get(reference=filed["reference"])
    case = case_transition(case=case, action="start", actor=OFFICER)
    case_transition(case=case, action="request_information", actor=OFFICER, note="أرسلوا نسخة من البطاقة.")
    url = f"/api/v1/cases/{filed['reference']}/information/"

    body = client.get(f"/api/v1/cases/{filed['reference']}/", **proof(filed)).json()
    assert body["is_waiting_for_requester"] and "provide_information" in body["actions"]

    response = client.post(url, {"body": "أرسلت النسخة."}, format="json", **proof(filed))

    assert response.status_code == 200
    assert response.json()["status"] == "in_progress"
    assert not response.json()["is_waiting_for_requester"]
    again = client.post(url, {"body": "مرة أخرى"}, format="json", **proof(filed))
    assert again.status_code == 409


def test_requester_adds_and_downloads_an_attachment(client, file_complaint):
    filed = file_complaint()
    url = f"/api/v1/cases/{filed['reference']}/attachments/"

    response = client.post(url, {"file": png_file()}, format="multipart", **proof(filed))

    assert response.status_code == 201, response.content
    (item,) = response.json()["attachments"]
    assert item["name"] == "photo.png" and item["kind"] == "image" and item["by"] == "requester"
    # the signed link works without the header; the header works without the signature
    download = client.get(item["url"])
    assert download.status_code == 200
    assert download["Content-Type"] == "image/png"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    plain = f"/api/v1/cases/{filed['reference']}/attachments/{item['id']}/"
    assert client.get(plain, **proof(filed)).status_code == 200
    assert client.get(plain).status_code == 404
    assert client.get(plain + "?signature=forged").status_code == 404


def test_signed_link_does_not_open_another_attachment(client, file_complaint):
    filed = file_complaint()
    url = f"/api/v1/cases/{filed['reference']}/attachments/"
    first = client.post(url, {"file": png_file("a.png")}, format="multipart", **proof(filed)).json()["attachments"][0]
    second = client.post(url, {"file": png_file("b.png")}, format="multipart", **proof(filed)).json()["attachments"][1]
    signature = first["url"].split("?signature=")[1]

    response = client.get(f"/api/v1/cases/{filed['reference']}/attachments/{second['id']}/?signature={signature}")

    assert response.status_code == 404


def test_a_refused_file_is_400_with_the_reason(client, file_complaint):
    filed = file_complaint()
    fake = io.BytesIO(b"MZ\x90\x00" + b"\x00" * 200)
    fake.name = "invoice.pdf"

    response = client.post(
        f"/api/v1/cases/{filed['reference']}/attachments/", {"file": fake}, format="multipart", **proof(filed)
    )

    assert response.status_code == 400
    assert response.json()["errors"]["file"]
    assert not Attachment.objects.exists()


def test_upload_without_a_file_is_400(client, file_complaint):
    filed = file_complaint()

    response = client.post(f"/api/v1/cases/{filed['reference']}/attachments/", {}, format="multipart", **proof(filed))

    assert response.status_code == 400
    assert "file" in response.json()["errors"]


def test_rating_waits_for_the_answer(client, file_complaint):
    filed = file_complaint()
    url = f"/api/v1/cases/{filed['reference']}/rating/"

    early = client.post(url, {"satisfaction": 4}, format="json", **proof(filed))
    answer(filed["reference"])
    rated = client.post(url, {"satisfaction": 4, "comment": "شكرا"}, format="json", **proof(filed))

    assert early.status_code == 409
    assert rated.status_code == 200
    assert rated.json()["details"]["satisfaction"] == 4


@pytest.mark.parametrize("value", [0, 6, "5", 4.5, True, None])
def test_rating_outside_1_to_5_is_400(client, file_complaint, value):
    filed = file_complaint()
    answer(filed["reference"])

    response = client.post(
        f"/api/v1/cases/{filed['reference']}/rating/", {"satisfaction": value}, format="json", **proof(filed)
    )

    assert response.status_code == 400
    assert "satisfaction" in response.json()["errors"]


def test_reopen_once_after_the_answer(client, file_complaint):
    filed = file_complaint()
    url = f"/api/v1/cases/{filed['reference']}/reopen/"

    before = client.post(url, {"reason": "لم يتم الحل"}, format="json", **proof(filed))
    answer(filed["reference"])
    after_answer = client.get(f"/api/v1/cases/{filed['reference']}/", **proof(filed)).json()
    reopened = client.post(url, {"reason": "لم يتم الحل"}, format="json", **proof(filed))
    answer(filed["reference"])
    twice = client.post(url, {"reason": "مرة ثانية"}, format="json", **proof(filed))

    assert before.status_code == 409
    assert {"rate", "reopen"} <= set(after_answer["actions"])
    assert after_answer["details"]["reopen_until"]
    assert reopened.status_code == 200 and reopened.json()["status"] == "in_progress"
    assert twice.status_code == 409
    assert Case.objects.get(reference=filed["reference"]).reopen_count == 1


def test_public_view_shows_the_answer_but_no_internal_note(client, file_complaint):
    from tawasul.cases.services import case_add_message

    filed = file_complaint()
    case = Case.objects.get(reference=filed["reference"])
    case_add_message(case=case, actor=OFFICER, kind="internal_note", body="ملاحظة داخلية سرية")
    answer(filed["reference"])

    response = client.get(f"/api/v1/cases/{filed['reference']}/", **proof(filed))

    text = response.content.decode()
    assert "تم تسليم الشهادة." in text
    assert "ملاحظة داخلية سرية" not in text
    assert {e["by"] for e in response.json()["timeline"]} <= {"requester", "administration", "system"}
