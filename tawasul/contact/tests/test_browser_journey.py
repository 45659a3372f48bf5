"""An agent's call in the browser, in Arabic (right to left): sign in, search the catalog while on
the call, note the procedure in the log, log the contact, then file a complaint for the caller and
read the reference back. Works without JavaScript: nothing here needs a script."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import PASSWORD
from tawasul.cases.models import Case
from tawasul.catalog.tests.factories import make_procedure
from tawasul.contact.models import Contact
from tawasul.registry.tests.factories import AdministrationFactory

from .conftest import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_searches_logs_and_files_a_complaint_in_arabic(page, live_server):
    from tawasul.complaints.loading import load_subjects

    load_subjects()  # transaction=True tests flush the data migration's rows
    ministry = AdministrationFactory(code="mtnra", name_ar="وزارة الانتقال الرقمي")
    health = AdministrationFactory(code="sante", name_ar="وزارة الصحة", name_fr="Ministère de la Santé")
    agent = member(ministry, Role.CONTACT_AGENT)
    procedure = make_procedure(title_ar="طلب جواز السفر البيومتري", title_fr="Demande de passeport")
    base = f"{live_server.url}/ar"

    page.goto(f"{base}/accounts/login/?next=/ar/contact/console/")
    page.fill("#id_login", agent.email)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/ar/contact/console/")
    assert page.evaluate("document.documentElement.dir") == "rtl"

    # on the call: search with diacritics, note the procedure in the log
    page.fill("#id_q", "جَوَاز السَّفَر")
    page.click("form.tw-console-search button[type=submit]")
    expect(page.locator(".tw-console-procedures li")).to_have_count(1)
    page.click(".tw-console-procedures li a[href*='procedure=']")
    expect(page.locator("#id_procedure")).to_have_value(procedure.code)
    page.select_option("#id_category", "procedure_info")
    page.click("form.tw-contact-log button[type=submit]")
    expect(page.locator(".alert-success")).to_have_count(1)
    assert Contact.objects.get().procedure_id == procedure.pk

    # the caller wants to complain: file it for them
    page.select_option("#file-administration", health.code)
    page.click("#file-title + form button[type=submit]")
    expect(page.locator("form.tw-caller-complaint")).to_have_count(1)
    page.select_option("#id_subject", index=1)
    page.fill("#id_description", "لم أتوصل بأي رد على طلب الحصول على الملف الطبي منذ شهرين.")
    page.fill("#id_first_name", "كريم")
    page.fill("#id_last_name", "التازي")
    page.fill("#id_id_number", "AB123456")
    page.fill("#id_phone", "0612345678")
    page.check("#id_consent")
    page.click("form.tw-caller-complaint button.btn-lg")
    expect(page.locator(".tw-reference")).to_have_count(1)
    case = Case.objects.get()
    expect(page.locator(".tw-reference")).to_have_text(case.reference)
    assert case.channel == "phone_3737" and case.administration == health
    assert Contact.objects.filter(complaint=case, agent=agent).exists()
