"""Nearest-N equals a brute-force scan; bounding-box filters keep what lies inside."""

import random

import pytest

from tawasul.facilities.models import Facility
from tawasul.facilities.selectors import facilities_filter, facilities_nearest, haversine_km
from tawasul.registry.tests.factories import CommuneFactory

from .factories import FacilityFactory, FacilityTypeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def scattered():
    """400 facilities spread over Morocco, dense around Casablanca, sparse in the south."""
    rng = random.Random(6)
    commune = CommuneFactory()
    post = FacilityTypeFactory(code="post_office")
    school = FacilityTypeFactory(code="school")
    rows = []
    for i in range(400):
        if i % 4:
            lat, lon = 33.57 + rng.gauss(0, 0.3), -7.59 + rng.gauss(0, 0.3)
        else:
            lat, lon = rng.uniform(21.0, 35.5), rng.uniform(-16.5, -1.5)
        rows.append(
            Facility(
                code=f"f{i}",
                name_ar=f"م{i}",
                name_fr=f"F{i}",
                type=post if i % 3 else school,
                commune=commune,
                latitude=lat,
                longitude=lon,
                is_active=i % 50 != 7,
            )
        )
    Facility.objects.bulk_create(rows)
    return rows


def _brute_force(lat, lon, limit, **filters):
    rows = facilities_filter(**filters).values_list("pk", "latitude", "longitude")
    return sorted((haversine_km(lat, lon, la, lo), pk) for pk, la, lo in rows)[:limit]


@pytest.mark.parametrize(
    "lat,lon",
    [(33.57, -7.59), (34.02, -6.84), (23.7, -15.93), (31.63, -8.0), (35.78, -5.81), (28.0, -10.0)],
)
@pytest.mark.parametrize("limit", [1, 5, 20])
def test_nearest_matches_brute_force(scattered, lat, lon, limit):
    got = facilities_nearest(lat=lat, lon=lon, limit=limit)
    expected = _brute_force(lat, lon, limit)
    assert [f.pk for f, _d in got] == [pk for _d, pk in expected]
    assert [d for _f, d in got] == [round(d, 3) for d, _pk in expected]


def test_nearest_with_type_filter_and_ids(scattered):
    got = facilities_nearest(lat=23.7, lon=-15.93, limit=5, type="school")
    assert [f.pk for f, _d in got] == [pk for _d, pk in _brute_force(23.7, -15.93, 5, type="school")]
    assert all(f.type.code == "school" for f, _d in got)
    ids = [f.pk for f in Facility.objects.filter(is_active=True).order_by("pk")[:7]]
    got = facilities_nearest(lat=33.57, lon=-7.59, limit=3, ids=ids)
    assert [f.pk for f, _d in got] == [pk for _d, pk in _brute_force(33.57, -7.59, 3, ids=ids)]


def test_nearest_never_returns_inactive_facilities(scattered):
    inactive = set(Facility.objects.filter(is_active=False).values_list("pk", flat=True))
    assert inactive
    got = facilities_nearest(lat=33.57, lon=-7.59, limit=400)
    assert len(got) == 400 - len(inactive)
    assert not inactive & {f.pk for f, _d in got}


def test_nearest_with_fewer_facilities_than_asked_returns_them_all():
    FacilityFactory(latitude=30.42, longitude=-9.6)
    assert len(facilities_nearest(lat=35.7, lon=-5.8, limit=5)) == 1
    assert facilities_nearest(lat=35.7, lon=-5.8, limit=0) == []


def test_bbox_filter_keeps_only_points_inside(scattered):
    bbox = (-8.0, 33.3, -7.3, 33.8)
    inside = set(facilities_filter(bbox=bbox).values_list("pk", flat=True))
    expected = {f.pk for f in scattered if f.is_active and 33.3 <= f.latitude <= 33.8 and -8.0 <= f.longitude <= -7.3}
    assert inside == expected and inside


def test_haversine_rabat_casablanca_is_about_87_km():
    assert 85 < haversine_km(34.0209, -6.8416, 33.5731, -7.5898) < 89
