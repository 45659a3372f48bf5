"""Browser journey in Arabic (Playwright, Debian Chromium), issue 5: request → (officer, in the
back office) extension → partial answer → (citizen) complaint to the head → (head of the body,
in the back office) answer → the citizen reads it and sees the next route (the CDAI)."""

import pytest
from playwright.sync_api import expect

from tawasul.accounts.tests.factories import PASSWORD
from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import cdai, staff_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _staff_page(browser, live_server, user):
    """A browser context signed in as `user` through the real login page (2FA off in this test)."""
    context = browser.new_context(locale="ar-MA")
    staff = context.new_page()
    staff.set_default_timeout(10_000)
    staff.goto(f"{live_server.url}/ar/accounts/login/?next=/ar/staff/")
    staff.fill("#id_login", user.email)
    staff.fill("#id_password", PASSWORD)
    staff.click("form button[type=submit]")
    staff.wait_for_url("**/ar/staff/")
    return context, staff


def test_request_extension_partial_answer_complaint_to_head_answer_in_arabic(page, live_server, browser, settings):
    settings.STAFF_2FA_REQUIRED = False
    cdai()  # the commission is on the platform: the last route can be filed
    body = AdministrationFactory(name_ar="جماعة الرباط", name_fr="Commune de Rabat", level="local")
    base = f"{live_server.url}/ar/information"

    # the citizen: choose the body, fill the form, send, read the receipt
    page.goto(f"{base}/file/?q=الرباط")
    page.click(f"a[href*='administration={body.code}']")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.fill("#id_subject", "ميزانية الجماعة 2025")
    page.fill("#id_description", "أطلب الاطلاع على الميزانية المصادق عليها وتنفيذها برسم سنة 2025.")
    page.check("input[name=document_kinds][value=report]")
    page.fill("#id_first_name", "أمينة")
    page.fill("#id_last_name", "الإدريسي")
    page.fill("#id_id_number", "AB123456")
    page.fill("#id_address", "حي الرياض، الرباط")
    page.fill("#id_email", "amina@example.ma")
    page.check("#id_lawful_use_undertaking")
    page.check("#id_consent")
    page.click("button[type=submit].btn-primary")
    case = Case.objects.get(portal="information")
    assert case.reference.startswith("INF-") and case.reference in page.inner_text(".tw-reference")
    assert page.inner_text(".tw-answer-due").strip()  # the legal deadline as a date

    # the information officer, in the back office: start, extend (legal reason), answer in part
    officer = staff_actor(case)
    case_transition(case=case, action="start", actor=officer)
    context, staff = _staff_page(browser, live_server, officer.user)
    staff.goto(f"{live_server.url}/ar/staff/case/{case.reference}/")
    staff.select_option("#id_extend-reason", "large_volume")
    staff.fill("#id_extend-note", "الوثائق كثيرة.")
    staff.click("form[action$='/act/extend/'] button[type=submit]")
    case.refresh_from_db()
    assert case.extension_days == 20
    page.goto(f"{base}/case/{case.reference}/")
    assert "الوثائق كثيرة." in page.inner_text(".tw-extension")

    staff.goto(f"{live_server.url}/ar/staff/case/{case.reference}/")
    staff.check("input[name='answer-outcome'][value=partial]")
    staff.select_option("#id_answer-ground", "private_life")
    staff.fill("#id_answer-note", "نرفق الميزانية دون المعطيات الشخصية.")
    staff.click("form[action$='/act/answer/'] button[type=submit]")
    context.close()
    case.refresh_from_db()
    assert case.status == "answered"

    # the citizen sees the recourse routes and complains to the head of the body
    page.reload()
    expect(page.locator("body")).to_contain_text("نرفق الميزانية دون المعطيات الشخصية.")
    expect(page.locator(".tw-recourse-head")).to_have_count(1)
    page.fill("#id_description", "المعطيات المحجوبة لا تتعلق بالحياة الخاصة للأفراد.")
    page.click("form[action$='/complaint/head/'] button[type=submit]")
    head = Case.objects.get(kind="complaint_to_head")
    assert head.reference in page.inner_text(".tw-reference")

    # the head of the body answers in the back office
    head_user = staff_actor(head, role="body_head").user
    context, staff = _staff_page(browser, live_server, head_user)
    staff.goto(f"{live_server.url}/ar/staff/case/{head.reference}/")
    staff.check("input[name='answer-outcome'][value=full]")
    staff.fill("#id_answer-note", "قرر رئيس الجماعة تسليم الوثيقة كاملة.")
    staff.click("form[action$='/act/answer/'] button[type=submit]")
    context.close()

    page.goto(f"{base}/case/{head.reference}/")
    expect(page.locator("body")).to_contain_text("قرر رئيس الجماعة تسليم الوثيقة كاملة.")
    page.goto(f"{base}/case/{case.reference}/")
    assert head.reference in page.inner_text(".tw-recourse-head")
    expect(page.locator("form[action$='/complaint/cdai/']")).to_have_count(1)  # the next route is open
