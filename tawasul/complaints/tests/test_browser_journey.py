"""Browser journey in Arabic and French (Playwright, Debian Chromium): file with an attachment →
receipt → email → track with the right email → a wrong email sees nothing → answer → rate → reopen."""

import io

import pytest
from django.core import mail
from django.core.management import call_command
from PIL import Image
from playwright.sync_api import expect

from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.registry.tests.factories import AdministrationFactory, CommuneFactory

from .factories import staff_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_file_track_answer_rate_reopen(page, live_server, tmp_path, lang, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    from tawasul.complaints.loading import load_subjects

    load_subjects()  # transaction=True tests flush the data migration's rows
    administration = AdministrationFactory(name_ar="وزارة الصحة", name_fr="Ministère de la Santé")
    CommuneFactory()
    png = tmp_path / "photo.png"
    buffer = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 120, 200)).save(buffer, format="PNG")
    png.write_bytes(buffer.getvalue())
    base = f"{live_server.url}/{lang}/complaints"

    page.goto(f"{base}/file/form/?administration={administration.code}")
    page.check("#id_kind_0")
    page.select_option("#id_subject", index=1)
    page.fill("#id_description", "Mon dossier déposé en janvier est resté sans réponse malgré deux relances.")
    page.set_input_files("#id_attachments", str(png))
    page.fill("#id_first_name", "Amina")
    page.fill("#id_last_name", "El Idrissi")
    page.fill("#id_id_number", "AB123456")
    page.fill("#id_email", "amina@example.ma")
    page.check("#id_consent")
    page.click("button[type=submit].btn-primary")
    case = Case.objects.get()
    assert case.reference in page.inner_text(".tw-reference")
    assert case.attachments.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--queue-name", "*", verbosity=0)
    assert any(case.reference in m.body for m in mail.outbox)

    # a wrong email in a fresh browser context sees nothing
    other = page.context.browser.new_context()
    stranger = other.new_page()
    stranger.goto(f"{base}/track/")
    stranger.fill("#id_reference", case.reference)
    stranger.fill("#id_contact", "someone@example.ma")
    stranger.click("form button[type=submit]")
    expect(stranger.locator(".alert-danger")).to_have_count(1)
    expect(stranger.locator("body")).not_to_contain_text(case.description[:20])
    other.close()

    page.goto(f"{base}/track/")
    page.fill("#id_reference", case.reference)
    page.fill("#id_contact", "amina@example.ma")
    page.click("form.card button[type=submit]")
    assert f"/complaints/case/{case.reference}/" in page.url

    actor = staff_actor(case)
    case_transition(case=case, action="start", actor=actor)
    case_transition(
        case=case, action="answer", actor=actor, note="Votre dossier est réglé.", payload={"outcome": "positive"}
    )
    page.reload()
    expect(page.locator("body")).to_contain_text("Votre dossier est réglé.")
    page.check("#id_satisfaction_3")
    page.click("form[action$='/rate/'] button[type=submit]")
    case.complaint.refresh_from_db()
    assert case.complaint.satisfaction == 4
    page.fill("#id_reason", "La réponse ne règle pas le fond de ma réclamation.")
    page.click("form[action$='/reopen/'] button[type=submit]")
    case.refresh_from_db()
    assert case.status == "in_progress" and case.reopen_count == 1
