"""Browser journey (Playwright, Debian Chromium): a candidate signs in, fills the profile and
applies in Arabic without JavaScript-only widgets; after the deadline the recruiting unit
publishes the lists; a visitor reads the results list in French."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tawasul.accounts.tests.factories import PASSWORD, UserFactory
from tawasul.jobs.models import Application, ListKind, Notice
from tawasul.jobs.services import applications_preselect, list_publish
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_notice

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 40)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_apply_in_arabic_and_read_the_results_in_french(page, live_server):
    adm = AdministrationFactory(code="jobs-browser", name_ar="وزارة الصحة", name_fr="Ministère de la Santé")
    notice = make_notice(adm, title_ar="مباراة لتوظيف ممرضين", title_fr="Concours d'infirmiers")
    user = UserFactory(first_name="Amina", last_name="Alaoui")
    base = live_server.url

    page.goto(f"{base}/ar/accounts/login/?next=/ar/jobs/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/ar/jobs/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.click(f"a[href='/ar/jobs/notice/{notice.pk}/']")
    expect(page.locator("h1")).to_have_text("مباراة لتوظيف ممرضين")
    page.click(f"a[href='/ar/jobs/notice/{notice.pk}/apply/']")

    # No profile yet: the profile form first; a bad CIN is refused and what was typed stays.
    expect(page.locator("#id_cin")).to_have_count(1)
    page.fill("#id_cin", "123")
    page.fill("#id_phone", "0612345678")
    page.fill("#id_birth_date", "1996-04-12")
    page.fill("#id_diplomas", "إجازة في العلوم التمريضية 2019")
    page.click("form button[type=submit].btn-primary")
    expect(page.locator("#error-summary")).to_have_count(1)
    expect(page.locator("#id_diplomas")).to_have_value("إجازة في العلوم التمريضية 2019")
    page.fill("#id_cin", "ab123456")
    page.click("form button[type=submit].btn-primary")

    # Back on the application form: line, centre, documents.
    expect(page.locator("#id_line")).to_have_count(1)
    page.select_option("#id_centre", label="Rabat")
    for doc in notice.documents.all():
        page.set_input_files(
            f"#id_doc_{doc.pk}", files=[{"name": f"doc{doc.pk}.png", "mimeType": "image/png", "buffer": _png()}]
        )
    page.check("#id_certify")
    page.click("form button[type=submit].btn-primary")
    expect(page.locator("strong.font-monospace")).to_have_count(1)
    application = Application.objects.get(candidate=user)
    expect(page.locator("strong.font-monospace")).to_have_text(application.reference)

    # After the deadline, the recruiting unit publishes the first list.
    Notice.objects.filter(pk=notice.pk).update(deadline_at=timezone.now() - dt.timedelta(minutes=1))
    notice.refresh_from_db()
    applications_preselect(actor=notice.recruiter, notice=notice, selected_ids=[application.pk])
    list_publish(
        actor=notice.recruiter, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[application.pk]
    )

    # A visitor reads it in French.
    visitor = page.context.browser.new_context(locale="fr-FR").new_page()
    visitor.goto(f"{base}/fr/jobs/notice/{notice.pk}/")
    expect(visitor.locator("h1")).to_have_text("Concours d'infirmiers")
    visitor.click(f"a[href='/fr/jobs/notice/{notice.pk}/list/preselected_written/']")
    expect(visitor.locator("table tbody tr")).to_have_count(1)
    expect(visitor.locator("table tbody")).to_contain_text("Amina Alaoui")
    expect(visitor.locator("table tbody")).to_contain_text(application.reference)
    expect(visitor.locator("table tbody")).not_to_contain_text("AB123456")
    assert visitor.locator("html").get_attribute("lang") == "fr"
    visitor.context.close()
