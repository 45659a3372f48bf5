"""The dashboard in the browser, in Arabic and in French: the national unit filters by portal and
period with the plain GET form; each chart is an SVG with its data table beside it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import PASSWORD, MembershipFactory, UserFactory
from tawasul.complaints.tests.factories import make_complaint
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_national_unit_filters_the_dashboard(page, live_server, settings, lang):
    from tawasul.complaints.loading import load_subjects

    load_subjects()  # transaction=True tests flush the data migration's rows
    settings.STAFF_2FA_REQUIRED = False
    administration = AdministrationFactory(name_ar="جماعة طنجة", name_fr="Commune de Tanger")
    for _ in range(3):
        make_complaint(administration)
    unit = MembershipFactory(administration=AdministrationFactory(), role=Role.NATIONAL_UNIT, user=UserFactory()).user
    base = f"{live_server.url}/{lang}"

    page.goto(f"{base}/accounts/login/?next=/{lang}/insights/")
    page.fill("#id_login", unit.email)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url("**/insights/")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")

    page.select_option("#id_portal", "complaints")
    page.click("main form button[type=submit]")
    page.wait_for_url("**/insights/?*portal=complaints*")
    expect(page.locator("main svg[role=img]")).to_have_count(2)
    expect(page.locator("main section[aria-labelledby^=portal-]")).to_have_count(1)
    name = "جماعة طنجة" if lang == "ar" else "Commune de Tanger"
    expect(page.locator("main svg text", has_text=name[:10])).to_have_count(1)
    expect(page.locator("main table th[scope=row]", has_text=name)).to_have_count(1)

    page.fill("#id_start", "2026-13")
    page.click("main form button[type=submit]")
    expect(page.locator("#id_start.is-invalid")).to_have_count(1)
    expect(page.locator("#id_start")).to_have_value("2026-13")
