"""The staff case page and its actions, each through the page (issue 4): POST, redirect back
with a message (PRG), or the form again with the input kept and the error at its field."""

from __future__ import annotations

import pytest

from tawasul.cases.models import CaseEvent, Message
from tawasul.cases.services import case_transition
from tawasul.complaints.tests.factories import make_complaint, png_upload, staff_actor

from ..models import AnswerTemplate

pytestmark = pytest.mark.django_db


def url(case, tail=""):
    return f"/fr/staff/case/{case.reference}/{tail}"


def act(client, case, action, data=None):
    case.refresh_from_db()
    return client.post(url(case, f"act/{action}/"), {"version": case.version, **(data or {})})


def test_page_shows_timeline_deadlines_identity_and_language(world, login):
    response = login(world.officer_x).get(url(world.case_x))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Amina El Idrissi" in html and "AB123456" in html
    assert "working days left" in html or "jours ouvrables" in html
    assert 'data-action="submitted"' in html
    assert response.context["case_language"] == "Français"
    assert response.context["answer_due"]["days_left"] > 0
    assert {a["action"].action for a in response.context["action_forms"]} >= {
        "acknowledge", "request_information", "answer", "transfer", "declare_inadmissible", "mark_duplicate"
    }  # fmt: skip


def test_confidential_identity_is_hidden_on_the_page(world, login):
    secret = make_complaint(world.x, is_confidential=True, last_name="Secretname", id_number="ZZ999999")
    html = login(world.officer_x).get(url(secret)).content.decode()
    assert "Secretname" not in html and "ZZ999999" not in html and secret.email not in html


def test_acknowledge_then_assign_then_request_information_then_answer(world, login):
    client = login(world.officer_x)
    case = world.case_x
    response = act(client, case, "acknowledge")
    assert response.status_code == 302 and response["Location"].endswith(url(case))
    case.refresh_from_db()
    response = client.post(url(case, "assign/"), {"version": case.version, "assignee": world.officer_x2.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == world.officer_x2
    act(client, case, "request_information", {"request_information-note": "Envoyez la copie du reçu."})
    case.refresh_from_db()
    assert case.status == "info_requested" and case.is_paused
    case_transition(case=case, action="provide_information", actor=_requester(case), note="Voici le reçu.")
    response = act(client, case, "answer", {"answer-outcome": "partial", "answer-note": "Votre dossier est réglé."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "answered"
    assert CaseEvent.objects.get(case=case, action="answer").payload["outcome"] == "partial"
    page = client.get(url(case))
    assert "Partiel" in page.content.decode() or "Partial" in page.content.decode()
    inbox = client.get("/fr/staff/", {"status": "answered"})
    assert inbox.context["items"][0]["outcome"]
    response = act(client, case, "close")
    case.refresh_from_db()
    assert case.status == "closed"


def _requester(case):
    from tawasul.cases.actors import Actor

    return Actor.requester(case)


def test_answer_without_text_keeps_the_input_and_shows_the_error(world, login):
    response = act(login(world.officer_x), world.case_x, "answer", {"answer-outcome": "positive", "answer-note": ""})
    assert response.status_code == 400
    form = next(a["form"] for a in response.context["action_forms"] if a["action"].action == "answer")
    assert "note" in form.errors and form["outcome"].value() == "positive"
    world.case_x.refresh_from_db()
    assert world.case_x.status == "submitted"


def test_internal_note_is_added_and_marked_internal(world, login):
    client = login(world.officer_x)
    world.case_x.refresh_from_db()
    client.post(url(world.case_x, "note/"), {"version": world.case_x.version, "body": "Vérifier avec le service RH."})
    note = Message.objects.get(case=world.case_x, kind="internal_note")
    assert not note.is_public
    assert "tw-internal" in client.get(url(world.case_x)).content.decode()


def test_transfer_with_reason_moves_the_case_to_y_with_a_fresh_clock(world, login):
    client = login(world.officer_x)
    case = world.case_x
    before = case.answer_due_at
    response = act(client, case, "transfer", {"transfer-administration": world.y.pk, "transfer-note": "Compétence Y."})
    assert response.status_code == 302 and response["Location"].endswith("/fr/staff/")
    case.refresh_from_db()
    assert case.administration == world.y and case.status == "submitted" and case.assignee is None
    assert case.answer_due_at >= before
    event = CaseEvent.objects.get(case=case, action="transfer")
    assert event.is_public and event.payload["reason"] == "Compétence Y."
    assert case.reference not in [i["case"].reference for i in client.get("/fr/staff/").context["items"]]
    assert client.get(url(case)).status_code == 404
    other = login(world.officer_y)
    assert case.reference in [i["case"].reference for i in other.get("/fr/staff/").context["items"]]
    assert other.get(url(case)).status_code == 200


def test_transfer_to_the_same_administration_is_refused(world, login):
    response = act(
        login(world.officer_x), world.case_x, "transfer", {"transfer-administration": world.x.pk, "transfer-note": "x"}
    )
    assert response.status_code == 400


def test_declare_inadmissible_and_mark_duplicate(world, login):
    client = login(world.officer_x)
    response = act(
        client, world.case_x, "declare_inadmissible",
        {"declare_inadmissible-ground": "sub_judice", "declare_inadmissible-note": "L'affaire est devant le tribunal."},
    )  # fmt: skip
    assert response.status_code == 302
    world.case_x.refresh_from_db()
    assert world.case_x.status == "inadmissible"
    second = make_complaint(world.x)
    third = make_complaint(world.x)
    response = act(client, third, "mark_duplicate", {"mark_duplicate-original_reference": second.reference})
    assert response.status_code == 302
    third.refresh_from_db()
    assert third.status == "duplicate"


def test_a_stale_version_is_refused_and_nothing_is_done(world, login):
    client = login(world.officer_x)
    stale = world.case_x.version
    case_transition(case=world.case_x, action="acknowledge", actor=staff_actor(world.case_x))
    response = client.post(url(world.case_x, "act/start/"), {"version": stale}, follow=True)
    world.case_x.refresh_from_db()
    assert world.case_x.status == "acknowledged"
    assert "changed while you were writing" in response.content.decode() or response.status_code == 200
    assert any(m.level_tag == "warning" for m in response.context["messages"])


def test_a_template_pre_fills_the_note_with_placeholders(world, login):
    template = AnswerTemplate.objects.create(
        administration=world.x, portal="complaints", action="answer", language="fr",
        title="Réponse type", body="Votre réclamation {reference} du {received_date} a été traitée.",
    )  # fmt: skip
    AnswerTemplate.objects.create(
        administration=world.x, portal="complaints", action="answer", language="ar", title="جواب", body="جواب"
    )
    foreign = AnswerTemplate.objects.create(
        administration=world.y, portal="complaints", action="answer", language="fr", title="Y", body="secret Y"
    )
    client = login(world.officer_x)
    page = client.get(url(world.case_x))
    answer = next(a for a in page.context["action_forms"] if a["action"].action == "answer")
    assert [t.language for t in answer["templates"]] == ["fr", "ar"]  # the case's language first
    response = client.get(url(world.case_x), {"template": template.pk, "action": "answer"})
    form = next(a["form"] for a in response.context["action_forms"] if a["action"].action == "answer")
    assert form["note"].value().startswith(f"Votre réclamation {world.case_x.reference} du ")
    response = client.get(url(world.case_x), {"template": foreign.pk, "action": "answer"})
    assert "secret Y" not in response.content.decode()


def test_staff_file_upload_and_download(world, login):
    client = login(world.officer_x)
    world.case_x.refresh_from_db()
    response = client.post(
        url(world.case_x, "files/"), {"version": world.case_x.version, "file": png_upload(), "visibility": "internal"}
    )
    assert response.status_code == 302
    attachment = world.case_x.attachments.get()
    assert not attachment.is_public
    download = client.get(url(world.case_x, f"files/{attachment.pk}/"))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert login(world.officer_y).get(url(world.case_x, f"files/{attachment.pk}/")).status_code == 404
