"""The facilities API: GeoJSON with bbox and filters, nearest-N with distances, in the schema."""

import pytest
from rest_framework.test import APIClient

from tawasul.facilities.selectors import haversine_km
from tawasul.registry.tests.factories import CommuneFactory

from .factories import FacilityFactory, FacilityTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def facilities():
    commune = CommuneFactory(code="06.141.01.0")
    post, school = FacilityTypeFactory(code="post_office"), FacilityTypeFactory(code="school")
    return {
        "casa": FacilityFactory(name_fr="Poste Casa", type=post, commune=commune, latitude=33.59, longitude=-7.62),
        "rabat": FacilityFactory(name_fr="Poste Rabat", type=post, latitude=34.02, longitude=-6.84),
        "school": FacilityFactory(name_fr="École Casa", type=school, commune=commune, latitude=33.57, longitude=-7.6),
        "marrakech": FacilityFactory(name_fr="Poste Marrakech", type=post, latitude=31.63, longitude=-8.01),
    }


def test_geojson_shape(api, facilities):
    data = api.get("/api/v1/facilities/").json()
    assert data["type"] == "FeatureCollection" and data["count"] == 4
    feature = next(f for f in data["features"] if f["id"] == facilities["casa"].pk)
    assert feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [-7.62, 33.59]}  # [lon, lat]
    assert feature["properties"]["name"] == "Poste Casa"
    assert feature["properties"]["commune"] == "06.141.01.0"
    assert feature["properties"]["phone"] == "+212537000000"


def test_bbox_keeps_points_inside(api, facilities):
    data = api.get("/api/v1/facilities/", {"bbox": "-8.0,33.3,-7.3,33.8"}).json()
    assert {f["properties"]["name"] for f in data["features"]} == {"Poste Casa", "École Casa"}
    data = api.get("/api/v1/facilities/", {"bbox": "-8.0,33.3,-7.3,33.8", "type": "school"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["École Casa"]
    data = api.get("/api/v1/facilities/", {"commune": "06.141.01.0", "type": "post_office"}).json()
    assert [f["properties"]["name"] for f in data["features"]] == ["Poste Casa"]


@pytest.mark.parametrize("bbox", ["1,2,3", "a,b,c,d", "-7,33,-8,34", "-8,34,-7,33"])
def test_bad_bbox_is_a_400(api, facilities, bbox):
    response = api.get("/api/v1/facilities/", {"bbox": bbox})
    assert response.status_code == 400


def test_geojson_pages(api, facilities):
    first = api.get("/api/v1/facilities/", {"limit": 3}).json()
    assert len(first["features"]) == 3 and first["next_offset"] == 3
    rest = api.get("/api/v1/facilities/", {"limit": 3, "offset": 3}).json()
    assert len(rest["features"]) == 1 and rest["next_offset"] is None
    assert api.get("/api/v1/facilities/", {"limit": 100000}).status_code == 400


def test_nearest_returns_n_with_distances_nearest_first(api, facilities):
    data = api.get("/api/v1/facilities/nearest/", {"lat": 34.0, "lon": -6.85, "n": 2, "type": "post_office"}).json()
    names = [f["properties"]["name"] for f in data["features"]]
    assert names == ["Poste Rabat", "Poste Casa"]
    expected = round(haversine_km(34.0, -6.85, 34.02, -6.84), 3)
    assert data["features"][0]["properties"]["distance_km"] == expected


def test_nearest_needs_lat_and_lon_and_caps_n(api, facilities):
    assert api.get("/api/v1/facilities/nearest/", {"lat": 34.0}).status_code == 400
    assert api.get("/api/v1/facilities/nearest/", {"lat": 34.0, "lon": -6.8, "n": 1000}).status_code == 400
    assert api.get("/api/v1/facilities/nearest/", {"lat": 95, "lon": -6.8}).status_code == 400


def test_unknown_parameter_is_refused(api, facilities):
    assert api.get("/api/v1/facilities/", {"color": "red"}).status_code == 400


def test_facility_endpoints_are_in_the_openapi_schema(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/facilities/" in schema and "/api/v1/facilities/nearest/" in schema
