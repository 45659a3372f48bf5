"""An officer's journey in the browser (issue 4 "What it must show"), in Arabic and in French:
log in through the real login page with TOTP, filter the inbox, open a complaint, assign it to
themself, request information; the citizen sends it from the tracking page; the officer answers;
the citizen reads the answer on the tracking page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tawasul.accounts.roles import Role
from tawasul.accounts.testing import enrol_totp, totp_code
from tawasul.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from tawasul.complaints.tests.factories import make_complaint
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "ar": {"request": "المرجو إرسال نسخة من الوصل.", "info": "هذه نسخة الوصل المطلوبة.", "answer": "تمت معالجة ملفكم."},
    "fr": {
        "request": "Envoyez la copie du reçu.",
        "info": "Voici la copie du reçu.",
        "answer": "Votre dossier est réglé.",
    },
}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_officer_filters_assigns_requests_information_and_answers(page, live_server, browser, settings, lang):
    from tawasul.complaints.loading import load_subjects

    load_subjects()  # transaction=True tests flush the data migration's rows
    settings.STAFF_2FA_REQUIRED = True
    administration = AdministrationFactory(name_ar="وزارة الصحة", name_fr="Ministère de la Santé")
    officer = MembershipFactory(administration=administration, role=Role.OFFICER, user=UserFactory()).user
    secret = enrol_totp(officer)
    case = make_complaint(administration, language=lang)
    make_complaint(administration, language=lang)  # another case, filtered out below
    texts = TEXTS[lang]
    base = f"{live_server.url}/{lang}"

    # log in with the password, then the authenticator's code
    page.goto(f"{base}/accounts/login/?next=/{lang}/staff/")
    page.fill("#id_login", officer.email)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.fill("#id_code", totp_code(secret))
    page.click("form button[type=submit]")
    page.wait_for_url(f"**/{lang}/staff/")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")

    # filter the inbox by the reference typed without dashes
    page.fill("#id_q", case.reference.replace("-", "").lower())
    page.click("form[role=search] button[type=submit]")
    expect(page.locator("table.tw-inbox tbody tr")).to_have_count(1)
    page.click(f"a[href$='/staff/case/{case.reference}/']")

    # assign to myself
    page.select_option("#id_assignee", str(officer.pk))
    page.click("form[action$='/assign/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_have_count(1)
    assert officer.email in page.inner_text("[data-field=assignee]")

    # request information (the clock pauses)
    page.fill("#id_request_information-note", texts["request"])
    page.click("form[action$='/act/request_information/'] button[type=submit]")
    expect(page.locator(".badge.text-bg-warning").first).to_be_attached()  # "clock paused"

    # the citizen sends the information from the tracking page
    citizen_context = browser.new_context(locale="ar-MA" if lang == "ar" else "fr-FR")
    citizen = citizen_context.new_page()
    citizen.goto(f"{base}/complaints/track/")
    citizen.fill("#id_reference", case.reference)
    citizen.fill("#id_contact", case.email)
    citizen.click("form.card button[type=submit]")
    expect(citizen.locator("body")).to_contain_text(texts["request"])
    citizen.fill("#id_body", texts["info"])
    citizen.click("form[action$='/message/'] button[type=submit]")

    # the officer reads it and answers with an outcome
    page.reload()
    expect(page.locator("body")).to_contain_text(texts["info"])
    page.check("#id_answer-outcome_0")
    page.fill("#id_answer-note", texts["answer"])
    page.click("form[action$='/act/answer/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_have_count(1)

    # the citizen sees the answer
    citizen.reload()
    expect(citizen.locator("body")).to_contain_text(texts["answer"])
    citizen_context.close()
