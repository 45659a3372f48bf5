"""Browser journey (issue 6): search "بطاقة التعريف" → procedure page → its nearest deposit place
→ the facility's page with phone and hours; the same in French with "carte d'identité".
Arabic uses the browser's location ("Use my location", JavaScript); French types a commune
(the no-JavaScript path)."""

import pytest
from playwright.sync_api import expect

from tawasul.catalog.models import Theme
from tawasul.catalog.tests.factories import document, make_procedure
from tawasul.facilities.tests.factories import FacilityFactory
from tawasul.registry.tests.factories import CommuneFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _setup():
    rabat = CommuneFactory(name_ar="أكدال الرياض", name_fr="Agdal Ryad")
    oujda = FacilityFactory(
        name_ar="ملحقة وجدة", name_fr="Centre CNIE Oujda", latitude=34.68, longitude=-1.91, phone="+212536000001"
    )
    agdal = FacilityFactory(
        name_ar="مركز تسجيل أكدال",
        name_fr="Centre CNIE Agdal",
        commune=rabat,
        latitude=34.0,
        longitude=-6.85,
        phone="+212537000002",
    )
    make_procedure(
        code="cnie-premiere-demande",
        title_ar="الحصول على البطاقة الوطنية للتعريف الإلكترونية",
        title_fr="Obtention de la carte nationale d'identité électronique",
        documents=[document("شهادة السكنى", "Certificat de résidence")],
        deposit_places=[oujda, agdal],
        is_free=False,
        stamp_duty=75,
    )
    make_procedure(
        code="permis",
        title_ar="رخصة السياقة",
        title_fr="Permis de conduire",
        theme=Theme.objects.get(slug="transport"),  # and so its sub-theme "Permis de conduire"
    )
    return agdal


def test_arabic_journey_search_procedure_nearest_place_by_location(page, live_server):
    agdal = _setup()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 34.02, "longitude": -6.84})
    page.goto(f"{live_server.url}/ar/procedures/")
    assert page.get_attribute("html", "dir") == "rtl"
    page.fill("#catalog-q", "بطاقة التعريف")
    page.click("form[role=search] button[type=submit]")
    page.click(".tw-results a >> nth=0")
    assert "البطاقة الوطنية للتعريف" in page.inner_text("h1")
    assert "75" in page.inner_text(".tw-procedure dl")
    page.click(".tw-locate")
    page.wait_for_url("**lat=*")
    first = page.locator(".tw-place").first
    assert "مركز تسجيل أكدال" in first.inner_text()
    assert "+212537000002" in first.inner_text()
    first.locator("a").first.click()
    page.wait_for_url(f"**/facilities/{agdal.pk}/")
    body = page.inner_text("main")
    assert "+212537000002" in body
    assert "08:30" in body


def test_french_journey_search_procedure_nearest_place_by_typed_commune(page, live_server):
    agdal = _setup()
    page.goto(f"{live_server.url}/fr/procedures/")
    page.fill("#catalog-q", "carte d'identité")
    page.click("form[role=search] button[type=submit]")
    results = page.locator(".tw-results a")
    expect(results).to_have_count(1)
    results.first.click()
    assert "carte nationale d'identité" in page.inner_text("h1")
    page.fill("#where-commune", "agdal ryad")
    page.click(".tw-where-form button[type=submit]")
    first = page.locator(".tw-place").first
    assert "Centre CNIE Agdal" in first.inner_text()
    first.locator("a").first.click()
    page.wait_for_url(f"**/facilities/{agdal.pk}/")
    body = page.inner_text("main")
    assert "+212537000002" in body and "08:30" in body
