"""Public and staff pages: who may see what."""

import re

import pytest
from django.urls import reverse

from tawasul.catalog.models import Procedure
from tawasul.catalog.tests.factories import make_editor, make_national_unit, make_procedure
from tawasul.facilities.tests.factories import FacilityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


def test_catalog_home_lists_the_14_themes(client):
    response = client.get(reverse("catalog:index"))
    assert response.status_code == 200
    assert len(response.context["themes"]) == 14


def test_search_page_works_without_javascript(client):
    make_procedure(code="passeport", title_fr="Passeport biométrique", title_ar="جواز السفر البيومتري")
    response = client.get(reverse("catalog:search"), {"q": "جواز"})
    assert response.status_code == 200
    assert "جواز السفر البيومتري" in response.content.decode()


def test_the_public_never_sees_a_draft(client):
    draft = make_procedure(code="brouillon", status=Procedure.Status.DRAFT)
    assert client.get(reverse("catalog:detail", args=[draft.code])).status_code == 404


def test_procedure_page_lists_deposit_places_nearest_first_from_the_browser_position(client):
    far = FacilityFactory(name_fr="Annexe Oujda", latitude=34.68, longitude=-1.91, phone="+212536000000")
    near = FacilityFactory(name_fr="Annexe Agdal Rabat", latitude=34.0, longitude=-6.85, phone="+212537000001")
    procedure = make_procedure(code="cnie", deposit_places=[far, near])
    response = client.get(reverse("catalog:detail", args=[procedure.code]), {"lat": "34.02", "lon": "-6.84"})
    places = [p["facility"].pk for p in response.context["places"]]
    assert places == [near.pk, far.pk]
    assert "+212537000001" in response.content.decode()


def test_editor_list_and_review_queue_permissions(client):
    procedure = make_procedure(code="en-revue", status=Procedure.Status.IN_REVIEW)
    editor = make_editor(procedure.administration)
    client.force_login(editor)
    assert client.get(reverse("catalog:staff_list")).status_code == 200
    assert client.get(reverse("catalog:staff_review")).status_code == 403
    assert client.post(reverse("catalog:staff_action", args=[procedure.code]), {"action": "publish"}).status_code == 403
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.IN_REVIEW
    client.force_login(make_national_unit())
    assert client.get(reverse("catalog:staff_review")).status_code == 200
    client.post(reverse("catalog:staff_action", args=[procedure.code]), {"action": "publish"})
    procedure.refresh_from_db()
    assert procedure.status == Procedure.Status.PUBLISHED


def test_other_administrations_editor_cannot_open_the_edit_page(client):
    procedure = make_procedure(code="autre", status=Procedure.Status.DRAFT)
    client.force_login(make_editor())
    assert client.get(reverse("catalog:staff_edit", args=[procedure.code])).status_code == 403


def test_edit_form_keeps_input_and_shows_law_55_19_error_next_to_the_field(client):
    procedure = make_procedure(code="draft", status=Procedure.Status.DRAFT)
    client.force_login(make_editor(procedure.administration))
    url = reverse("catalog:staff_edit", args=[procedure.code])
    page = client.get(url)
    data = {}
    for name, field in page.context["form"].fields.items():
        value = page.context["form"].initial.get(name)
        if value not in (None, False):
            data[name] = value.pk if hasattr(value, "pk") else value
    data.update({"theme": procedure.theme_id, "max_delay_days": "90", "title_fr": "Titre tapé"})
    data.update({"doc-TOTAL_FORMS": "1", "doc-INITIAL_FORMS": "0", "doc-0-name_ar": "نسخة", "doc-0-copies": "2"})
    data.update({"step-TOTAL_FORMS": "1", "step-INITIAL_FORMS": "0", "step-0-text_ar": "إيداع"})
    response = client.post(url, data)
    assert response.status_code == 200
    # The messages are in the active language (55.19 in Arabic, 55-19 in French); their English
    # text is tested in test_law_55_19.
    delay_error = str(response.context["form"].errors["max_delay_days"])
    assert re.search(r"55[.-]19", delay_error) and "60" in delay_error
    assert re.search(r"55[.-]19", str(response.context["documents"].forms[0].errors["copies"]))
    assert "Titre tapé" in response.content.decode()


def test_history_page_shows_the_changed_field(client):
    from tawasul.catalog import services

    procedure = make_procedure(code="hist", status=Procedure.Status.DRAFT, max_delay_days=30)
    editor = make_editor(procedure.administration)
    services.procedure_update(actor=editor, procedure=procedure, data={"max_delay_days": 15})
    client.force_login(editor)
    body = client.get(reverse("catalog:staff_history", args=[procedure.code])).content.decode()
    assert 'data-field="max_delay_days"' in body


def _pdf_bytes() -> bytes:
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_editor_adds_a_checked_pdf_form_and_the_public_downloads_it(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tawasul.catalog import services
    from tawasul.catalog.tests.factories import make_national_unit

    procedure = make_procedure(code="avec-formulaire", status=Procedure.Status.DRAFT)
    editor = make_editor(procedure.administration)
    client.force_login(editor)
    upload = SimpleUploadedFile("demande.pdf", _pdf_bytes(), content_type="application/pdf")
    client.post(
        reverse("catalog:staff_upload_form", args=[procedure.code]),
        {"title_ar": "مطبوع الطلب", "title_fr": "Formulaire de demande", "file": upload},
    )
    form = procedure.forms.get()
    assert form.kind == "pdf"
    services.procedure_submit_for_review(actor=editor, procedure=procedure)
    services.procedure_publish(actor=make_national_unit(), procedure=procedure)
    client.logout()
    response = client.get(reverse("catalog:form_download", args=[procedure.code, form.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_fake_pdf_form_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    procedure = make_procedure(code="faux", status=Procedure.Status.DRAFT)
    client.force_login(make_editor(procedure.administration))
    fake = SimpleUploadedFile("demande.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    client.post(reverse("catalog:staff_upload_form", args=[procedure.code]), {"title_ar": "مطبوع", "file": fake})
    assert not procedure.forms.exists()


def test_forms_of_a_draft_are_not_downloadable(client):
    procedure = make_procedure(code="brouillon-form", status=Procedure.Status.DRAFT)
    assert client.get(reverse("catalog:form_download", args=[procedure.code, 1])).status_code == 404


def test_search_and_procedure_pages_keep_a_query_budget(client, django_assert_max_num_queries):
    """BENCHMARKING.md: deterministic budgets instead of timings in the suite."""
    places = [FacilityFactory(latitude=34.0 + i / 100, longitude=-6.8) for i in range(5)]
    for i in range(25):
        make_procedure(code=f"p-{i}", title_fr=f"Passeport {i}", title_ar=f"جواز {i}", deposit_places=places)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("catalog:search"), {"q": "passeport"}).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("catalog:detail", args=["p-3"]), {"lat": "34", "lon": "-6.8"}).status_code == 200
