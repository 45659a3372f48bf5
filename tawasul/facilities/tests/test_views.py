"""The text directory works without JavaScript: filters, pagination, nearest to a typed commune."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from tawasul.registry.tests.factories import CommuneFactory, ProvinceFactory, RegionFactory

from .factories import FacilityFactory, FacilityTypeFactory, ServiceFactory

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def places():
    region = RegionFactory(code="06", iso_code="MA-06", name_fr="Casablanca-Settat", name_ar="الدار البيضاء سطات")
    province = ProvinceFactory(code="06.141", region=region, name_fr="Casablanca", name_ar="الدار البيضاء")
    casa = CommuneFactory(code="06.141.01.1", province=province, name_fr="Anfa", name_ar="أنفا")
    rabat = CommuneFactory(code="04.441.01.1", name_fr="Agdal Riyad", name_ar="أكدال الرياض")
    post = FacilityTypeFactory(code="post_office")
    school = FacilityTypeFactory(code="school")
    return {
        "casa_post": FacilityFactory(
            name_fr="Poste Anfa",
            name_ar="بريد أنفا",
            type=post,
            commune=casa,
            latitude=33.59,
            longitude=-7.63,
            services=[ServiceFactory(code="parcels")],
        ),
        "casa_school": FacilityFactory(
            name_fr="École Anfa", name_ar="مدرسة أنفا", type=school, commune=casa, latitude=33.58, longitude=-7.62
        ),
        "rabat_post": FacilityFactory(
            name_fr="Poste Agdal", name_ar="بريد أكدال", type=post, commune=rabat, latitude=34.0, longitude=-6.85
        ),
        "closed": FacilityFactory(name_fr="Poste fermée", type=post, commune=rabat, is_active=False),
    }


def test_directory_lists_active_facilities_without_javascript(client, places):
    response = client.get("/fr/facilities/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Poste Anfa" in html and "Poste Agdal" in html and "École Anfa" in html
    assert "Poste fermée" not in html
    assert 'href="tel:+212537000000"' in html


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"type": "school"}, {"École Anfa"}),
        ({"service": "parcels"}, {"Poste Anfa"}),
        ({"region": "06"}, {"Poste Anfa", "École Anfa"}),
        ({"region": "06", "province": "06.141", "commune": "06.141.01.1", "type": "post_office"}, {"Poste Anfa"}),
        ({"q": "agdal"}, {"Poste Agdal"}),
    ],
)
def test_directory_filters(client, places, params, expected):
    html = client.get("/fr/facilities/", params).content.decode()
    shown = {name for name in ("Poste Anfa", "École Anfa", "Poste Agdal") if name in html}
    assert shown == expected


def test_province_of_another_region_is_dropped_not_an_error(client, places):
    RegionFactory(code="04", iso_code="MA-04")
    html = client.get("/fr/facilities/", {"region": "04", "province": "06.141"}).content.decode()
    assert "is-invalid" not in html and "Sélectionnez un choix valide" not in html


def test_nearest_to_a_typed_commune_lists_nearest_first(client, places):
    response = client.get("/fr/facilities/", {"near": "Agdal Riyad"})
    html = response.content.decode()
    assert html.index("Poste Agdal") < html.index("Poste Anfa")
    assert html.index("Poste Agdal") < html.index("École Anfa")
    assert " km" in html
    assert response.context["origin"][2] == "Agdal Riyad"


def test_nearest_to_unknown_commune_shows_the_error_next_to_the_field(client, places):
    response = client.get("/fr/facilities/", {"near": "Atlantis", "type": "school"})
    html = response.content.decode()
    assert 'id="id_near_error"' in html and "Atlantis" in html
    assert response.context["nearest"] is None  # back to the plain directory, filters kept
    assert "École Anfa" in html and "Poste Agdal" not in html


def test_nearest_to_browser_position(client, places):
    response = client.get("/ar/facilities/", {"lat": "33.59", "lon": "-7.63", "type": "post_office"})
    assert [f.name_fr for f, _d in response.context["nearest"]] == ["Poste Anfa", "Poste Agdal"]


def test_directory_paginates(client, settings, places):
    settings.FACILITIES_DIRECTORY_PAGE_SIZE = 2
    first = client.get("/fr/facilities/").context["page"]
    assert first.paginator.num_pages == 2 and len(first.object_list) == 2
    assert 'rel="next"' in client.get("/fr/facilities/").content.decode()


def test_page_works_with_no_tile_server(client, settings, places):
    settings.FACILITIES_TILE_URL = ""
    html = client.get("/fr/facilities/").content.decode()
    assert "leaflet.js" not in html and "Poste Anfa" in html


def test_points_are_compact_and_revalidated_with_an_etag(client, places):
    response = client.get(reverse("facilities:points"))
    points = response.json()
    assert sorted(p[0] for p in points) == sorted(places[k].pk for k in ("casa_post", "casa_school", "rabat_post"))
    assert all(len(p) == 4 for p in points)
    again = client.get(reverse("facilities:points"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304
    FacilityFactory(name_fr="Nouvelle", latitude=31.6, longitude=-8.0)
    assert client.get(reverse("facilities:points"), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
    only_schools = client.get(reverse("facilities:points"), {"type": "school"}).json()
    assert [p[0] for p in only_schools] == [places["casa_school"].pk]


@time_machine.travel(dt.datetime(2026, 5, 6, 10, 0, tzinfo=CASA), tick=False)  # a Wednesday, 10:00
def test_detail_shows_phone_hours_and_open_now_in_french(client, places):
    facility = places["casa_post"]
    html = client.get(f"/fr/facilities/{facility.pk}/").content.decode()
    assert 'href="tel:+212537000000"' in html
    assert "Ouvert maintenant" in html or "Open now" in html
    assert "samedi" in html.lower()
    assert "08:30–16:30" in html


@time_machine.travel(dt.datetime(2026, 5, 9, 10, 0, tzinfo=CASA), tick=False)  # a Saturday
def test_detail_says_closed_on_saturday(client, places):
    response = client.get(f"/ar/facilities/{places['casa_post'].pk}/")
    assert response.context["open_now"] is False


def test_inactive_facility_is_not_found(client, places):
    assert client.get(f"/fr/facilities/{places['closed'].pk}/").status_code == 404
    assert client.get(f"/fr/facilities/{places['closed'].pk}/card.json").status_code == 404


def test_card_for_the_map_popup(client, places):
    card = client.get(f"/fr/facilities/{places['casa_post'].pk}/card.json").json()
    assert card["name"] == "Poste Anfa" and card["phone"] == "+212537000000"


def test_a_place_without_a_verified_phone_points_to_the_national_contact_platform(client, places):
    """ADR 0020: no invented number for a real place; the 3737 platform answers instead."""
    facility = places["casa_school"]
    facility.phone = ""
    facility.save()
    html = client.get(f"/fr/facilities/{facility.pk}/").content.decode()
    assert 'href="tel:3737"' in html
    assert 'class="tw-facility-phone"' not in html
