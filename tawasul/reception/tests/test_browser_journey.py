"""Browser journey (Playwright, Debian Chromium): a visitor opens the survey in Arabic from the
URL of a site's QR poster and answers it without an account; the national unit then reads the
site's results in French."""

import pytest
from playwright.sync_api import expect

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import PASSWORD
from tawasul.cases.tests.factories import make_staff
from tawasul.reception import rules
from tawasul.reception.models import SurveyAnswer
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_answers, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_visitor_answers_in_arabic_and_the_national_unit_reads_in_french(page, live_server, settings, monkeypatch):
    settings.STAFF_2FA_REQUIRED = False
    settings.RECEPTION_SURVEY_MIN_ANSWERS = 3
    monkeypatch.setattr(rules, "SURVEY_MIN_SECONDS", 0)  # a robot fills the form faster than a person
    ministry = AdministrationFactory(kind="ministry", code="mtnra")
    site = make_site(name_ar="ولاية جهة الرباط سلا القنيطرة", name_fr="Wilaya de Rabat-Salé-Kénitra")
    make_answers(site, 2, score=3)
    national = make_staff(ministry, role=Role.NATIONAL_UNIT)

    # The poster printed at the desk: its QR code and the address under it.
    page.goto(f"{live_server.url}/ar/reception/sites/{site.code}/qr/")
    expect(page.locator(".tw-qr svg")).to_have_count(1)
    survey_url = page.locator(".tw-survey-url").get_attribute("href")
    assert survey_url.endswith(f"/ar/reception/survey/{site.code}/?via=qr")

    page.goto(survey_url)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".tw-survey-site")).to_have_text("ولاية جهة الرباط سلا القنيطرة")
    page.check("#id_welcome_4")  # 5
    page.check("#id_orientation_3")  # 4
    page.check("#id_waiting_1")  # 2
    page.check("#id_clarity_3")  # 4
    # forgot the last question: the form comes back with the answers kept
    page.fill("#id_comment", "الانتظار طويل لكن الاستقبال جيد")
    page.click("form.tw-survey-form button[type=submit]")
    expect(page.locator("#error-summary")).to_have_count(1)
    expect(page.locator("#id_welcome_4")).to_be_checked()
    expect(page.locator("#id_comment")).to_have_value("الانتظار طويل لكن الاستقبال جيد")
    page.check("#id_overall_3")  # 4
    page.click("form.tw-survey-form button[type=submit]")
    expect(page.locator(".tw-survey-thanks")).to_have_count(1)
    answer = SurveyAnswer.objects.get(comment__startswith="الانتظار")
    assert (answer.welcome, answer.waiting, answer.overall, answer.channel, answer.language) == (5, 2, 4, "qr", "ar")

    # The national unit signs in (French) and reads the site's results, now past the minimum.
    context = page.context.browser.new_context(locale="fr-FR")
    staff = context.new_page()
    next_path = f"/fr/reception/staff/sites/{site.pk}/results/"
    staff.goto(f"{live_server.url}/fr/accounts/login/?next={next_path}")
    staff.fill("#id_login", national.email)
    staff.fill("#id_password", PASSWORD)
    staff.click("form button[type=submit]")
    staff.wait_for_url(f"**{next_path}")
    expect(staff.locator("html")).to_have_attribute("lang", "fr")
    expect(staff.locator(".tw-survey-count")).to_contain_text("3")
    expect(staff.locator(".tw-survey-summary .tw-average").first).to_have_text("3,67")  # (3 + 3 + 5) / 3
    expect(staff.locator(".tw-comments")).to_contain_text("الانتظار طويل")
    staff.screenshot(path="test-artifacts/screenshots/reception-results-fr.png", full_page=True)
    context.close()
