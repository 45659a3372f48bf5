"""Browser journey (Playwright, Debian Chromium): a citizen orders a birth extract in Arabic (one
mistake first: nothing typed is lost), sees the price, pays on the demo gateway; the office works
the order; the citizen, in another browser, tracks it in French by reference + email and reads the
status, the registered item number, the delay and the identity notice."""

import pytest
from playwright.sync_api import expect

from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.documents.services import order_hand_to_post

from .factories import make_office, officer_actor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_order_in_arabic_pay_then_track_in_french(page, live_server, browser):
    office = make_office(name_ar="مكتب الحالة المدنية - جماعة الرباط", name_fr="Bureau d'état civil - Rabat")
    page.goto(f"{live_server.url}/ar/documents/order/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.select_option("#id_office", office.code)
    page.check("input[name=doc_type][value=birth_extract]")
    page.fill("#id_copies", "2")
    page.fill("#id_holder_first_name_ar", "أمينة")
    page.fill("#id_holder_last_name_ar", "العلوي")
    page.fill("#id_holder_first_name_latin", "Amina")
    page.fill("#id_holder_last_name_latin", "Alaoui")
    page.fill("#id_holder_birth_date", "1990-05-17")
    page.check("input[name=holder_sex][value=f]")
    page.fill("#id_act_year", "1990")
    page.fill("#id_act_number", "1234")
    page.fill("#id_father_first_name", "أحمد")
    page.fill("#id_mother_first_name", "فاطمة")
    page.select_option("#id_orderer_relation", "self")
    page.fill("#id_recipient_name", "أمينة العلوي")
    page.fill("#id_address", "12 شارع محمد الخامس")
    page.fill("#id_city", "الرباط")
    page.fill("#id_postal_code", "100")  # a mistake: five digits needed
    page.fill("#id_phone", "0612345678")
    page.fill("#id_email", "amina@example.ma")
    page.click("form.tw-order-form button[type=submit]")
    expect(page.locator("#error-summary")).to_have_count(1)
    expect(page.locator("#id_holder_first_name_ar")).to_have_value("أمينة")
    expect(page.locator("#id_act_number")).to_have_value("1234")
    page.fill("#id_postal_code", "10000")
    page.click("form.tw-order-form button[type=submit]")

    expect(page.locator(".tw-reference")).to_have_count(1)
    case = Case.objects.get(portal="documents")
    expect(page.locator(".tw-total")).to_have_text("30,00")
    page.click(f"form[action$='/order/{case.reference}/pay/'] button")
    expect(page.locator("form button.btn-success")).to_have_count(1)  # the demo gateway's page
    page.click("form button.btn-success")
    expect(page.locator(".tw-delay")).to_have_count(1)
    case.refresh_from_db()
    assert case.status == "transmitted"

    staff = officer_actor(case)
    case_transition(case=case, action="start_check", actor=staff)
    case_transition(case=case, action="issue", actor=staff)
    order_hand_to_post(case=case, actor=staff, item_number="RR123456785MA")

    context = browser.new_context(locale="fr-FR")
    other = context.new_page()
    other.set_default_timeout(10_000)
    other.goto(f"{live_server.url}/fr/documents/track/")
    assert other.locator("html").get_attribute("lang") == "fr"
    other.fill("#id_reference", case.reference)
    other.fill("#id_contact", "amina@example.ma")
    other.click("form[action$='/documents/track/'] button[type=submit]")
    expect(other.locator(".tw-item-number")).to_have_text("RR123456785MA")
    expect(other.locator(".tw-id-notice")).to_have_count(1)
    expect(other.locator(".tw-status")).to_have_count(1)
    other.screenshot(path="test-artifacts/screenshots/documents-track-fr.png", full_page=True)
    context.close()
