"""Filing a complaint without JavaScript, through the Django test client (issue 3)."""

import uuid
from html import escape

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from tawasul.cases.models import Attachment, Case, CaseEvent
from tawasul.complaints.models import Complaint
from tawasul.registry.tests.factories import AdministrationFactory, CommuneFactory

from .factories import main_subject, png_upload, valid_form_data

pytestmark = pytest.mark.django_db


def url(name, lang="fr", **kwargs):
    with translation.override(lang):
        return reverse(f"complaints:{name}", kwargs=kwargs or None)


@pytest.fixture
def administration():
    return AdministrationFactory(code="dgi", name_ar="المديرية العامة للضرائب", name_fr="Direction générale des impôts")


def test_step_one_finds_the_administration_by_arabic_name_without_hamza(client, administration):
    response = client.get(url("file", "ar"), {"q": "المديريه العامه للضرائب"})
    assert response.status_code == 200
    assert f"?administration={administration.code}".encode() in response.content


def test_step_two_without_administration_goes_back_to_step_one(client):
    response = client.get(url("file_form"))
    assert response.status_code == 302
    assert response["Location"] == url("file")


def test_step_two_offers_subjects_grouped_by_main_subject(client, administration):
    response = client.get(url("file_form"), {"administration": administration.code})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<optgroup" in html
    assert main_subject().name("fr") in html
    assert 'name="idempotency_key"' in html


def test_happy_path_files_case_complaint_event_and_email(
    client, administration, run_tasks, django_capture_on_commit_callbacks
):
    data = valid_form_data(administration)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("file_form"), {**data, "attachments": [png_upload()]})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get()
    assert response["Location"] == url("receipt", reference=case.reference)
    assert case.email == "amina@example.ma"
    assert case.phone == "+212612345678"
    assert case.id_number == "AB123456"
    assert case.language == "fr"
    complaint = Complaint.objects.get(case=case)
    assert complaint.commune.code == data["commune"]
    assert CaseEvent.objects.filter(case=case, action="submitted").count() == 1
    assert Attachment.objects.filter(case=case).count() == 1
    run_tasks()
    assert len(mail.outbox) == 1
    assert case.reference in mail.outbox[0].body
    assert "/fr/complaints/track/" in mail.outbox[0].body

    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    body = receipt.content.decode()
    assert case.reference in body
    assert "/complaints/track/" in body  # the secret link, shown once to the session that filed
    assert "amina@example.ma" in body


def test_receipt_is_not_shown_to_another_browser(client, administration):
    client.post(url("file_form"), valid_form_data(administration))
    case = Case.objects.get()
    from django.test import Client

    assert Client().get(url("receipt", reference=case.reference)).status_code == 404


def test_printable_receipt(client, administration):
    client.post(url("file_form"), valid_form_data(administration))
    case = Case.objects.get()
    response = client.get(url("receipt", reference=case.reference), {"print": "1"})
    assert response.status_code == 200
    assert "complaints-print.css" in response.content.decode()


def test_double_submit_with_the_same_key_files_one_case(client, administration):
    data = valid_form_data(administration)
    first = client.post(url("file_form"), data)
    second = client.post(url("file_form"), data)
    assert Case.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_signed_in_citizen_is_prefilled_and_owns_the_case(client, administration):
    from tawasul.accounts.tests.factories import UserFactory

    user = UserFactory(first_name="Youssef", last_name="Benali", email="youssef@example.ma")
    client.force_login(user)
    page = client.get(url("file_form"), {"administration": administration.code}).content.decode()
    assert 'value="Youssef"' in page and 'value="youssef@example.ma"' in page
    client.post(url("file_form"), valid_form_data(administration, email="", phone=""))
    case = Case.objects.get()
    assert case.requester_user == user


def test_refresh_shows_the_provinces_of_the_region_and_keeps_the_text(client, administration):
    commune = CommuneFactory()
    data = valid_form_data(administration, commune_obj=commune, province="", commune="", refresh="1")
    response = client.post(url("file_form"), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert f'value="{commune.province.code}"' in html
    assert escape(data["description"]) in html
    assert "is-invalid" not in html


# --- Every bad input: rejected with its message in ar and fr, the typed values kept, nothing stored ---

BAD_INPUTS = [
    # (field, overrides, French message, Arabic fragment is checked only for being non-English)
    ("kind", {"kind": "question"}, "Sélectionnez un choix valide"),
    ("kind", {"kind": ""}, "Ce champ est obligatoire"),
    ("subject", {"subject": ""}, "Ce champ est obligatoire"),
    ("subject", {"subject": "999999"}, "Sélectionnez un choix valide"),
    ("sub_subject", {"sub_subject": "999999"}, "Sélectionnez un choix valide"),
    ("description", {"description": "trop court"}, "au moins 20 caractères"),
    ("description", {"description": "x" * 5001}, "au plus 5000 caractères"),
    ("description", {"description": ""}, "Ce champ est obligatoire"),
    ("first_name", {"first_name": ""}, "Ce champ est obligatoire"),
    ("last_name", {"last_name": ""}, "Ce champ est obligatoire"),
    ("complainant_type", {"complainant_type": "alien"}, "Sélectionnez un choix valide"),
    ("id_type", {"id_type": "driving_licence"}, "Sélectionnez un choix valide"),
    ("id_number", {"id_number": "123456"}, None),
    ("id_number", {"id_number": "AB0123"}, None),
    ("id_number", {"id_number": "ABC12345"}, None),
    ("id_number", {"id_number": ""}, "Ce champ est obligatoire"),
    ("email", {"email": "not-an-email"}, "adresse électronique valide"),
    ("email", {"email": "", "phone": ""}, None),
    ("phone", {"phone": "12"}, None),
    ("phone", {"phone": "06123"}, None),
    ("consent", {"consent": ""}, None),
    ("region", {"region": "ZZ"}, "Sélectionnez un choix valide"),
    ("idempotency_key", {"idempotency_key": "not-a-uuid"}, None),
    ("attachments", {"attachments": "FILE:evil.png"}, None),
    ("attachments", {"attachments": "FILE:empty.pdf"}, None),
]


def _bad_file(name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if name == "evil.png":
        return SimpleUploadedFile(name, b"MZ\x90\x00" + b"\x00" * 200, content_type="image/png")
    return SimpleUploadedFile(name, b"", content_type="application/pdf")


def _post_bad(client, administration, lang, overrides):
    data = valid_form_data(administration)
    for key, value in overrides.items():
        if isinstance(value, str) and value.startswith("FILE:"):
            data[key] = _bad_file(value[5:])
        elif value == "" and key in ("consent",):
            data.pop(key)
        else:
            data[key] = value
    return client.post(url("file_form", lang), data), data


@pytest.mark.parametrize(("field", "overrides", "french"), BAD_INPUTS)
def test_bad_input_is_rejected_next_to_its_field_in_french_and_nothing_stored(
    client, administration, field, overrides, french
):
    response, data = _post_bad(client, administration, "fr", overrides)
    assert response.status_code == 400
    assert Case.objects.count() == 0
    assert Attachment.objects.count() == 0
    form = response.context["form"]
    assert field in form.errors, form.errors
    html = response.content.decode()
    if field != "idempotency_key":  # a hidden field: its message is in the summary only
        assert f'id="id_{field}_error"' in html  # the message sits next to its field
    assert f'href="#id_{field}' in html  # ... and the summary links to it
    if french:
        assert french in html
    # what was typed is kept
    if field != "description":
        assert escape(data["description"]) in html
    if field != "first_name":
        assert 'value="Amina"' in html


@pytest.mark.parametrize(("field", "overrides", "french"), BAD_INPUTS)
def test_bad_input_is_rejected_in_arabic_too(client, administration, field, overrides, french):
    response, _data = _post_bad(client, administration, "ar", overrides)
    assert response.status_code == 400
    assert Case.objects.count() == 0
    errors = response.context["form"].errors[field]
    assert errors
    for message in errors:
        assert any("\u0600" <= ch <= "\u06ff" for ch in message), f"not in Arabic: {message}"


def test_attachment_refusal_lists_the_files_to_attach_again(client, administration):
    data = valid_form_data(administration, description="court")
    response = client.post(url("file_form"), {**data, "attachments": [png_upload("facture.png")]})
    assert response.status_code == 400
    assert "facture.png" in response.content.decode()
    assert Case.objects.count() == 0


def test_sub_subject_of_another_main_subject_is_refused(client, administration):
    from tawasul.complaints.models import Subject

    subject = main_subject()
    other = Subject.objects.filter(parent__isnull=False).exclude(parent=subject).first()
    response = client.post(url("file_form"), valid_form_data(administration, sub_subject=str(other.pk)))
    assert response.status_code == 400
    assert "sub_subject" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_commune_outside_the_province_is_refused(client, administration):
    other = CommuneFactory()
    response = client.post(url("file_form"), valid_form_data(administration, commune=other.code))
    # the commune of another province is not even offered for the chosen province
    assert response.status_code == 400
    assert "commune" in response.context["form"].errors
    assert Case.objects.count() == 0


def test_unknown_administration_code_is_refused(client):
    data = valid_form_data(AdministrationFactory())
    data["administration"] = "no-such-body"
    response = client.post(url("file_form"), data)
    assert response.status_code == 302
    assert Case.objects.count() == 0


def test_idempotency_key_is_a_fresh_uuid_per_form(client, administration):
    first = client.get(url("file_form"), {"administration": administration.code}).context["form"]
    second = client.get(url("file_form"), {"administration": administration.code}).context["form"]
    assert uuid.UUID(str(first["idempotency_key"].value())) != uuid.UUID(str(second["idempotency_key"].value()))


def test_a_tampered_idempotency_key_is_replaced_so_the_next_send_works(client, administration):
    data = valid_form_data(administration, idempotency_key="tampered")
    response = client.post(url("file_form"), data)
    fresh = str(response.context["form"]["idempotency_key"].value())
    assert uuid.UUID(fresh)
    assert client.post(url("file_form"), {**data, "idempotency_key": fresh}).status_code == 302
    assert Case.objects.count() == 1
