"""A problem in the browser, in Arabic and in French (issue 4; ITIL problem management, DOMAIN.md
§7): an officer opens a problem, links two complaints (one from the case panel of the back
office, one by reference), resolves it; each complainant reads the resolution as the answer on
the tracking page. Without JavaScript-only steps: plain forms."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_complaint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXTS = {
    "ar": {"title": "انقطاع الماء بحي السلام", "resolution": "تم تغيير القناة الرئيسية يوم 12 أكتوبر."},
    "fr": {
        "title": "Coupures d'eau à Hay Salam",
        "resolution": "La conduite principale a été remplacée le 12 octobre.",
    },
}


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_officer_links_complaints_to_a_problem_and_its_resolution_reaches_every_complainant(
    page, live_server, browser, settings, lang
):
    from tawasul.complaints.loading import load_subjects

    load_subjects()  # transaction=True tests flush the data migration's rows
    settings.STAFF_2FA_REQUIRED = False  # the TOTP login has its own journey (backoffice)
    administration = AdministrationFactory(name_ar="جماعة الرباط", name_fr="Commune de Rabat")
    officer = MembershipFactory(administration=administration, role=Role.OFFICER, user=UserFactory()).user
    first, second = make_complaint(administration, language=lang), make_complaint(administration, language=lang)
    texts = TEXTS[lang]
    base = f"{live_server.url}/{lang}"

    page.goto(f"{base}/accounts/login/?next=/{lang}/complaints/staff/problems/new/")
    page.fill("#id_login", officer.email)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/complaints/staff/problems/new/")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")

    # open the problem
    page.fill("#id_title", texts["title"])
    page.click("main form button[type=submit]")
    page.wait_for_url("**/complaints/staff/problems/*/")
    problem_url = page.url

    # link the first complaint from its case page in the back office (the portal's panel)
    page.goto(f"{base}/staff/case/{first.reference}/")
    page.select_option("form[action$='/problem/'] select", label=texts["title"])
    page.click("form[action$='/problem/'] button[type=submit]")
    assert texts["title"] in page.inner_text("#complaint-panel-title + dl ~ p")

    # link the second by its reference, typed in lower case
    page.goto(problem_url)
    page.fill("#id_reference", second.reference.lower())
    page.click("form[action$='/link/'] button[type=submit]")
    expect(page.locator("tbody tr")).to_have_count(2)

    # resolve: every complainant is answered
    page.check("input[name=outcome][value=positive]")
    page.fill("#id_resolution", texts["resolution"])
    page.click("form[action$='/resolve/'] button[type=submit]")
    expect(page.locator(".alert-success")).to_have_count(1)

    citizen = browser.new_context(locale="ar-MA" if lang == "ar" else "fr-FR").new_page()
    for case in (first, second):
        citizen.goto(f"{base}/complaints/track/")
        citizen.fill("#id_reference", case.reference)
        citizen.fill("#id_contact", case.email)
        citizen.click("form.card button[type=submit]")
        expect(citizen.locator("body")).to_contain_text(texts["resolution"])
    citizen.context.close()
