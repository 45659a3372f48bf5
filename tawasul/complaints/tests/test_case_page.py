"""The requester's case page and its actions: message, information, rate, reopen, withdraw, files."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from tawasul.cases.models import Case, CaseEvent, Message
from tawasul.cases.selectors import requester_identity_for
from tawasul.cases.services import case_transition
from tawasul.complaints.models import Complaint

from .factories import make_complaint, png_upload, staff_actor

pytestmark = pytest.mark.django_db


def url(name, lang="fr", **kwargs):
    with translation.override(lang):
        return reverse(f"complaints:{name}", kwargs=kwargs or None)


def _proven(client, case):
    client.get(url("track_link", reference=case.reference, token=case.tracking_token))
    return client


def _answer(case, outcome="positive"):
    actor = staff_actor(case)
    case_transition(case=case, action="start", actor=actor)
    return case_transition(
        case=case, action="answer", actor=actor, note="Votre dossier est réglé.", payload={"outcome": outcome}
    )


def test_case_page_shows_status_in_plain_words_and_dates(client):
    case = make_complaint()
    page = _proven(client, case).get(url("case", reference=case.reference)).content.decode()
    assert "Reçue" in page or "Received" in page
    with translation.override("fr"):
        from django.utils.formats import date_format

        assert date_format(timezone.localtime(case.answer_due_at), "DATE_FORMAT") in page


def test_message_with_document_is_added_while_open(client):
    case = make_complaint()
    _proven(client, case)
    response = client.post(
        url("case_message", reference=case.reference),
        {"body": "Voici la copie du reçu.", "attachments": [png_upload("recu.png")]},
    )
    assert response.status_code == 302
    message = Message.objects.get(case=case, kind="citizen_message")
    assert message.attachments.count() == 1
    assert "recu.png" in client.get(url("case", reference=case.reference)).content.decode()


def test_empty_message_is_refused_and_nothing_stored(client):
    case = make_complaint()
    response = _proven(client, case).post(url("case_message", reference=case.reference), {"body": ""})
    assert response.status_code == 400
    assert not Message.objects.filter(case=case).exists()


def test_when_information_is_requested_the_message_is_the_provide_information_transition(client):
    case = make_complaint()
    case_transition(case=case, action="request_information", actor=staff_actor(case), note="Envoyez le reçu.")
    _proven(client, case)
    page = client.get(url("case", reference=case.reference)).content.decode()
    assert "Envoyez le reçu." in page
    client.post(
        url("case_message", reference=case.reference),
        {"body": "Le reçu est joint.", "attachments": [png_upload()]},
    )
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.paused_at is None
    assert CaseEvent.objects.filter(case=case, action="provide_information").count() == 1
    assert case.attachments.count() == 1


def test_download_checks_the_proof_and_sends_an_attachment(client):
    case = make_complaint(attachments=[png_upload("photo.png")])
    attachment = case.attachments.get()
    link = url("attachment", reference=case.reference, pk=attachment.pk)
    assert client.get(link).status_code == 404
    response = _proven(client, case).get(link)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")


def test_rating_only_after_the_answer(client):
    case = make_complaint()
    _proven(client, case)
    page = client.get(url("case", reference=case.reference)).content.decode()
    assert url("case_rate", reference=case.reference) not in page
    client.post(url("case_rate", reference=case.reference), {"satisfaction": "5"})
    assert Complaint.objects.get(case=case).satisfaction is None
    _answer(case)
    assert (
        url("case_rate", reference=case.reference) in client.get(url("case", reference=case.reference)).content.decode()
    )
    response = client.post(url("case_rate", reference=case.reference), {"satisfaction": "4", "comment": "Merci"})
    assert response.status_code == 302
    complaint = Complaint.objects.get(case=case)
    assert complaint.satisfaction == 4 and complaint.satisfaction_comment == "Merci"


@pytest.mark.parametrize("bad", ["0", "6", "abc", ""])
def test_rating_out_of_range_is_refused(client, bad):
    case = make_complaint()
    _answer(case)
    response = _proven(client, case).post(url("case_rate", reference=case.reference), {"satisfaction": bad})
    assert response.status_code == 400
    assert Complaint.objects.get(case=case).satisfaction is None


def test_reopen_once_within_the_window(client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        case = make_complaint()
        _answer(case)
    _proven(client, case)
    reason = "La réponse ne règle pas mon problème de permis."
    with time_machine.travel(
        dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC) + dt.timedelta(days=settings.COMPLAINTS_REOPEN_WINDOW_DAYS - 1)
    ):
        page = client.get(url("case", reference=case.reference)).content.decode()
        assert url("case_reopen", reference=case.reference) in page
        assert client.post(url("case_reopen", reference=case.reference), {"reason": reason}).status_code == 302
        case.refresh_from_db()
        assert case.status == "in_progress" and case.reopen_count == 1
        _answer_again = staff_actor(case)
        case_transition(case=case, action="answer", actor=_answer_again, note="Nouvelle réponse.")
        client.post(url("case_reopen", reference=case.reference), {"reason": reason})
        case.refresh_from_db()
        assert case.status == "answered" and case.reopen_count == 1  # at most once


def test_reopen_after_the_window_is_refused(client):
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        case = make_complaint()
        _answer(case)
    _proven(client, case)
    later = dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC) + dt.timedelta(days=settings.COMPLAINTS_REOPEN_WINDOW_DAYS + 1)
    with time_machine.travel(later):
        page = client.get(url("case", reference=case.reference)).content.decode()
        assert url("case_reopen", reference=case.reference) not in page
        client.post(url("case_reopen", reference=case.reference), {"reason": "La réponse ne me satisfait pas du tout."})
    case.refresh_from_db()
    assert case.status == "answered" and case.reopen_count == 0


def test_reopen_reason_too_short_is_refused(client):
    case = make_complaint()
    _answer(case)
    response = _proven(client, case).post(url("case_reopen", reference=case.reference), {"reason": "non"})
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "answered"


def test_withdraw_before_work_started_only(client):
    case = make_complaint()
    _proven(client, case)
    assert client.post(url("case_withdraw", reference=case.reference)).status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"
    started = make_complaint()
    case_transition(case=started, action="start", actor=staff_actor(started))
    _proven(client, started)
    client.post(url("case_withdraw", reference=started.reference))
    started.refresh_from_db()
    assert started.status == "in_progress"


def test_confidential_identity_is_never_shown_to_staff(client):
    case = make_complaint(is_confidential=True, first_name="Zineb", last_name="Secret", id_number="ZZ987654")
    identity = requester_identity_for(case, viewer_is_staff=True)
    staff_visible = " ".join(str(v) for v in vars(identity).values())
    for secret in ("Zineb", "Secret", "ZZ987654", case.email, case.phone):
        assert secret not in staff_visible
    assert identity.masked
    # the requester still sees their own case
    page = _proven(client, case).get(url("case", reference=case.reference))
    assert page.status_code == 200


def test_the_form_marks_a_confidential_filing(client):
    from tawasul.registry.tests.factories import AdministrationFactory

    from .factories import valid_form_data

    administration = AdministrationFactory()
    client.post(url("file_form"), valid_form_data(administration, is_confidential="on"))
    assert Case.objects.get().is_confidential is True
