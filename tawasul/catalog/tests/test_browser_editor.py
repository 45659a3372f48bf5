"""The procedure editor in a browser (issue 6): with JavaScript the sub-theme select shows only
the chosen theme's sub-themes; without JavaScript the deposit-place picker still finds, ticks and
saves places."""

import pytest
from playwright.sync_api import expect

from tawasul.accounts.tests.factories import PASSWORD
from tawasul.catalog.models import Procedure
from tawasul.catalog.tests.factories import make_editor, make_procedure
from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.registry.tests.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(page, base, user, next_path):
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def test_the_sub_theme_select_follows_the_chosen_theme(page, live_server, settings):
    settings.STAFF_2FA_REQUIRED = False
    draft = make_procedure(code="js-sous-theme", status=Procedure.Status.DRAFT)
    editor = make_editor(draft.administration)
    _login(page, f"{live_server.url}/fr", editor, f"/fr/procedures/staff/{draft.code}/")
    visible = "[...document.querySelectorAll('#id_subtheme optgroup')].filter(g => !g.hidden).map(g => g.label)"
    assert page.evaluate(visible) == ["Pièces d'identité et documents de voyage"]
    page.select_option("#id_theme", label="État civil")
    assert page.evaluate(visible) == ["État civil"]
    assert page.input_value("#id_subtheme") == ""  # the old theme's sub-theme was cleared
    page.select_option("#id_subtheme", label="Naissance")
    with page.expect_navigation():
        page.click("main form button.btn-primary[type=submit]")
    draft.refresh_from_db()
    assert (draft.theme.slug, draft.subtheme.slug) == ("etat-civil", "naissance")


def test_the_deposit_place_picker_works_without_javascript(browser, live_server, settings):
    settings.STAFF_2FA_REQUIRED = False
    agdal = CommuneFactory(name_ar="أكدال الرياض", name_fr="Agdal Riyad")
    annexe = FacilityFactory(
        code="annexe-agdal", name_ar="الملحقة الإدارية أكدال", name_fr="Annexe Agdal", commune=agdal
    )
    FacilityFactory(code="annexe-fes", name_ar="الملحقة الإدارية فاس", name_fr="Annexe Fès")
    draft = make_procedure(code="sans-js", status=Procedure.Status.DRAFT)
    editor = make_editor(draft.administration)
    context = browser.new_context(java_script_enabled=False, locale="ar-MA")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        path = f"/ar/procedures/staff/{draft.code}/"
        _login(page, f"{live_server.url}/ar", editor, path)
        page.fill("#id_places-q", "ملحقه اداريه")  # other spellings of "الملحقة الإدارية"
        page.fill("#id_places-commune", "اكدال")
        with page.expect_navigation():
            page.click("button[name=places-find]")
        found = page.locator("[data-places-found] input[type=checkbox]")
        expect(found).to_have_count(1)
        found.first.check()
        with page.expect_navigation():
            page.click("main form button.btn-primary[type=submit]")
        assert list(draft.deposit_places.all()) == [annexe]
        expect(page.locator("[data-places-kept] input[type=checkbox]:checked")).to_have_count(1)
    finally:
        context.close()
