"""The map page in a real browser (Debian Chromium): the list shows the facilities, filtering by
type works, and with the tile server unreachable the list and filters still work (Arabic, French)."""

import pytest
from playwright.sync_api import expect

from tawasul.registry.tests.factories import CommuneFactory

from .factories import FacilityFactory, FacilityTypeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNREACHABLE_TILES = "http://127.0.0.1:9/{z}/{x}/{y}.png"  # port 9 (discard): connection refused


@pytest.fixture
def facilities(settings):
    settings.FACILITIES_TILE_URL = UNREACHABLE_TILES
    commune = CommuneFactory(code="04.421.01.0", name_ar="الرباط", name_fr="Rabat")
    post = FacilityTypeFactory(code="post_office", name_ar="وكالة بريد المغرب", name_fr="Agence Barid Al-Maghrib")
    school = FacilityTypeFactory(code="school", name_ar="مؤسسة تعليمية", name_fr="Établissement scolaire")
    FacilityFactory(name_ar="البريد المركزي الرباط", name_fr="Poste centrale de Rabat", type=post, commune=commune)
    FacilityFactory(
        name_ar="ثانوية مولاي يوسف", name_fr="Lycée Moulay Youssef", type=school, commune=commune, latitude=34.01
    )


@pytest.mark.parametrize(
    "lang,post_name,school_name",
    [("ar", "البريد المركزي الرباط", "ثانوية مولاي يوسف"), ("fr", "Poste centrale de Rabat", "Lycée Moulay Youssef")],
    ids=["ar", "fr"],
)
def test_list_and_type_filter_work_with_tiles_unreachable(page, live_server, facilities, lang, post_name, school_name):
    page.goto(f"{live_server.url}/{lang}/facilities/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    items = page.locator(".tw-facilities-list .tw-facility")
    expect(items).to_have_count(2)
    # Leaflet loaded from static/vendor/ and drew the clusters although no tile could load
    page.wait_for_selector("#tw-facilities-map.leaflet-container")
    page.wait_for_selector(".leaflet-interactive, .marker-cluster")
    page.select_option("#id_type", "school")
    page.click(".tw-facilities-form button[type=submit]")
    page.wait_for_load_state()
    assert "type=school" in page.url
    expect(page.locator(".tw-facilities-list .tw-facility")).to_have_count(1)
    assert school_name in page.inner_text(".tw-facilities-list")
    assert post_name not in page.inner_text(".tw-facilities-list")
    outside = [u for u in page.requested_urls if not u.startswith(live_server.url) and "127.0.0.1:9/" not in u]
    assert outside == []  # no CDN: everything else came from the live server
