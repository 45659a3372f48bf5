"""The latitude band (`LatBand`, held only by the two expression indexes) is never stale: every
writer's facility is found through the box query at its own coordinates, and Python's band equals
the database's on and near band borders. The banded nearest-N equals a brute-force scan for random
points and filters, near band borders, at the poles and at ±180°."""

import json
import math
import random
import re

import pytest
from django.db import connection, transaction
from django.db.models import F
from django.test import override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tawasul.facilities import demo, selectors
from tawasul.facilities.importers import VALID_ONLY, facilities_import
from tawasul.facilities.models import Facility, LatBand, band_sql, lat_band
from tawasul.facilities.selectors import (
    bbox_around,
    box_q,
    facilities_filter,
    facilities_nearest,
    haversine_km,
)
from tawasul.registry.divisions import divisions_import
from tawasul.registry.tests.factories import CommuneFactory

from .factories import FacilityFactory, FacilityTypeFactory

pytestmark = pytest.mark.django_db

PROPERTY = hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

# Latitudes exactly on band borders (k / 100 - 90), a hair either side, and the poles.
BORDER_LATITUDES = [33.57, 34.0, 20.7, 35.99, -89.99, 0.0, -90.0, 90.0, 31.6299999999, 31.63000000001, 45.005]


def _stale() -> list[tuple[int, float, int]]:
    """Facilities whose band, as the database computes it, differs from Python's (the box query
    would then seek the wrong band), or that the box query at their own coordinates misses."""
    wrong = [
        (pk, lat, band)
        for pk, lat, band in Facility.objects.annotate(band=LatBand("latitude")).values_list("pk", "latitude", "band")
        if band != lat_band(lat)
    ]
    for pk, lat, lon in Facility.objects.values_list("pk", "latitude", "longitude"):
        if not Facility.objects.filter(box_q(lon, lat, lon, lat), pk=pk).exists():
            wrong.append((pk, lat, -1))
    return wrong


def _brute_force(lat, lon, limit, **filters):
    rows = facilities_filter(**filters).values_list("pk", "latitude", "longitude")
    return sorted((haversine_km(lat, lon, la, lo), pk) for pk, la, lo in rows)[:limit]


def _assert_exact(lat, lon, limit, **filters):
    got = facilities_nearest(lat=lat, lon=lon, limit=limit, **filters)
    expected = _brute_force(lat, lon, limit, **filters)
    # Ties at the same distance may come in either order: compare distances, then the sets.
    assert [d for _f, d in got] == [round(d, 3) for d, _pk in expected]
    assert {f.pk for f, _d in got} == {pk for _d, pk in expected}


def test_band_formula_matches_the_database_on_and_near_borders():
    commune = CommuneFactory()
    kind = FacilityTypeFactory()
    rng = random.Random(3)
    lats = BORDER_LATITUDES + [rng.randint(-9000, 9000) / 100 for _ in range(200)]
    lats += [math.nextafter(x, 100) for x in lats] + [math.nextafter(x, -100) for x in lats]
    lats = [x for x in lats if -90.0 <= x <= 90.0]
    Facility.objects.bulk_create(
        Facility(code=f"b{i}", name_ar="م", name_fr="F", type=kind, commune=commune, latitude=x, longitude=-7.0)
        for i, x in enumerate(lats)
    )
    assert Facility.objects.count() == len(lats)
    assert _stale() == []
    assert Facility.objects.annotate(band=LatBand("latitude")).get(code="b0").band == 12357  # (33.57 + 90) × 100


def test_every_writer_keeps_the_band_right():
    """save(), create(), bulk_create, bulk_update, QuerySet.update, raw SQL, the importer, the demo
    generator: the band lives only in the indexes, which the database keeps on every write, so
    none of them can leave it stale; each moved facility is the nearest to its new position."""
    commune = CommuneFactory(code="99.999.99.9")
    kind = FacilityTypeFactory()
    one = FacilityFactory(latitude=33.57, longitude=-7.59, commune=commune, type=kind)  # save()
    one.latitude = 34.02
    one.save()
    two = Facility.objects.create(
        code="c2", name_ar="م", name_fr="F", type=kind, commune=commune, latitude=30.4, longitude=-9.6
    )
    many = Facility.objects.bulk_create(
        [
            Facility(
                code=f"bulk{i}",
                name_ar="م",
                name_fr="F",
                type=kind,
                commune=commune,
                latitude=31 + i / 7,
                longitude=-8.0,
            )
            for i in range(20)
        ]
    )
    for i, facility in enumerate(many):
        facility.latitude = 28 + i / 3
    Facility.objects.bulk_update(many, ["latitude"])
    Facility.objects.filter(pk=two.pk).update(latitude=F("latitude") + 1.2345)
    table = Facility._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET latitude = %s WHERE id = %s", [27.15, many[0].pk])
    rows = [
        (2, {"code": "imp-1", "name_ar": "م", "name_fr": "F", "type": kind.code, "commune": commune.code,
             "latitude": "32.29", "longitude": "-9.23"}),
    ]  # fmt: skip
    assert facilities_import(actor=None, rows=rows, mode=VALID_ONLY).created == 1
    rows[0][1]["latitude"] = "29.999999"
    assert facilities_import(actor=None, rows=rows, mode=VALID_ONLY).updated == 1
    divisions_import()
    assert demo.generate(total=2000, existing=0) > 1900
    assert _stale() == []
    for facility in Facility.objects.filter(code__in=["c2", "imp-1", "bulk0", "bulk7", one.code]):
        nearest, distance = facilities_nearest(lat=facility.latitude, lon=facility.longitude, limit=1)[0]
        assert distance == 0.0 and nearest.latitude == facility.latitude


def test_an_admin_edit_keeps_the_band_right(client, django_user_model):
    """The admin's change form (Model.save() through ModelAdmin.save_model) moves a facility; the
    band is no form field (a generated column is not editable) and follows the new latitude."""
    from django.contrib.auth import get_user_model

    field = get_user_model().USERNAME_FIELD
    extra = {} if field == "email" else {field: "root"}
    user = django_user_model.objects.create_superuser(email="root@example.ma", password="x" * 12, **extra)
    client.force_login(user)
    facility = FacilityFactory(latitude=33.57, longitude=-7.59)
    url = f"/fr/admin/facilities/facility/{facility.pk}/change/"
    with override_settings(STAFF_2FA_REQUIRED=False):
        form = client.get(url).context["adminform"].form
        assert "latitude" in form.fields
        data = {}
        for name, bound in ((name, form[name]) for name in form.fields):
            value = bound.value()
            if value is None or value is False:
                continue
            data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else value
        data.update(latitude="35.7595", longitude="-5.834", opening_hours=json.dumps(facility.opening_hours))
        response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    facility.refresh_from_db()
    assert facility.latitude == 35.7595
    assert facilities_nearest(lat=35.7595, lon=-5.834, limit=1)[0] == (facility, 0.0)
    assert _stale() == []


def test_box_q_uses_one_seek_per_band():
    band = band_sql('"facilities_facility"."latitude"', connection.vendor)
    sql = str(Facility.objects.filter(box_q(-7.7, 33.5, -7.5, 33.6)).query)
    assert f"{band} IN (12350, 12351" in sql  # the index expression, written as the index holds it
    wide = str(Facility.objects.filter(box_q(-17.2, 20.7, -0.9, 36.0)).query)
    assert f"{band} >= 11070" in wide and " IN (" not in wide  # a whole-country box: one range of bands


@pytest.mark.parametrize("kind", [None, "post_office"])
def test_the_box_queries_read_the_band_indexes(kind):
    """The raw box SQL of nearest-N writes the band exactly as the indexes hold it, so the database
    uses them. On a tiny test table PostgreSQL's planner may prefer any index that narrows the rows
    (its choice follows statistics, which bench/facilities_nearest.py measures at scale): there the
    other indexes of the table (but those of constraints) are dropped inside a transaction that is
    rolled back, so the plan shows whether the band index matches the query's expression."""
    FacilityFactory(type=FacilityTypeFactory(code="post_office"))
    candidates = selectors._Candidates(facilities_filter(type=kind))
    assert candidates.raw
    box_sql, params = candidates._box_sql(bbox_around(33.57, -7.59, 2.0))
    index = "facilities_type_band_lon_idx" if kind else "facilities_band_lon_idx"
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(  # every index but this one and those of constraints
                "SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = %s AND i.relname NOT LIKE %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
                [Facility._meta.db_table, index],
            )
            for (other,) in cursor.fetchall():
                cursor.execute(f'DROP INDEX "{other}"')
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
        prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
        cursor.execute(f"{prefix}{candidates.sql} AND ({box_sql})", [*candidates.params, *params])
        plan = " ".join(str(cell) for row in cursor.fetchall() for cell in row)
        transaction.set_rollback(True)
    assert index in plan, plan
    if connection.vendor == "postgresql" and not kind:  # the band bounds the index walk (not a filter after it)
        assert re.search(r"Index Cond: \(+floor\(", plan), plan
    if connection.vendor == "sqlite":
        assert "COVERING INDEX" in plan, plan  # latitude, longitude, is_active, id from the index


@pytest.fixture
def cloud():
    """600 facilities: a dense city, a sparse country, points on band borders, two types."""
    rng = random.Random(11)
    commune = CommuneFactory()
    post = FacilityTypeFactory(code="post_office")
    school = FacilityTypeFactory(code="school")
    rows = []
    for i in range(600):
        if i % 3 == 0:
            lat, lon = 33.57 + rng.gauss(0, 0.02), -7.59 + rng.gauss(0, 0.02)
        elif i % 3 == 1:
            lat, lon = rng.uniform(21.0, 35.9), rng.uniform(-17.0, -1.0)
        else:  # on a band border, or a hair off it
            lat = rng.randint(3000, 3600) / 100 + rng.choice([0.0, 1e-9, -1e-9, 0.005])
            lon = rng.uniform(-9.0, -5.0)
        rows.append(
            Facility(
                code=f"g{i}", name_ar=f"م{i}", name_fr=f"F{i}", type=post if i % 4 else school,
                commune=commune, latitude=lat, longitude=lon, is_active=i % 37 != 5,
            )
        )  # fmt: skip
    Facility.objects.bulk_create(rows)
    return rows


@PROPERTY
@given(
    lat=st.one_of(
        st.floats(20.5, 36.2),
        st.integers(2000, 3600).map(lambda k: k / 100),  # exactly on a band border
        st.sampled_from([90.0, -90.0, 0.0, 89.999, -89.999]),
    ),
    lon=st.one_of(st.floats(-17.5, -0.5), st.sampled_from([180.0, -180.0, 179.999, 0.0])),
    limit=st.integers(1, 25),
    kind=st.sampled_from([None, "school", "post_office", ["school", "post_office"], "missing"]),
)
def test_nearest_equals_brute_force_for_random_points_and_filters(cloud, lat, lon, limit, kind):
    filters = {} if kind is None else {"type": kind}
    _assert_exact(lat, lon, limit, **filters)


@PROPERTY
@given(
    points=st.lists(
        st.tuples(
            st.one_of(st.floats(-90, 90), st.integers(-9000, 9000).map(lambda k: k / 100)),
            st.one_of(st.floats(-180, 180), st.sampled_from([-180.0, 180.0, 179.9999, -179.9999])),
        ),
        min_size=0,
        max_size=40,
    ),
    lat=st.floats(-90, 90),
    lon=st.floats(-180, 180),
    limit=st.integers(1, 8),
)
def test_nearest_equals_brute_force_anywhere_on_earth(lat, lon, limit, points):
    """Whole-globe points (outside Morocco too): the poles, ±180° and empty tables must not crash
    and the answer stays exact (across the antimeridian as well)."""
    Facility.objects.all().delete()
    commune = CommuneFactory()
    kind = FacilityTypeFactory()
    Facility.objects.bulk_create(
        Facility(code=f"w{i}", name_ar="م", name_fr="F", type=kind, commune=commune, latitude=la, longitude=lo)
        for i, (la, lo) in enumerate(points)
    )
    selectors._counts.clear()  # the density cache is per filter set and this table changes
    _assert_exact(lat, lon, limit)


@pytest.mark.parametrize(
    "lat,lon",
    [(90.0, 0.0), (-90.0, 0.0), (89.9999, 180.0), (0.0, 180.0), (0.0, -180.0), (-33.0, 179.99), (35.0, -179.99)],
)
def test_nearest_at_the_poles_and_the_antimeridian(lat, lon):
    commune = CommuneFactory()
    kind = FacilityTypeFactory()
    places = [(89.5, 10.0), (89.9, -170.0), (-89.8, 45.0), (0.0, 179.9), (0.0, -179.9), (35.0, 179.95), (33.57, -7.59)]
    Facility.objects.bulk_create(
        Facility(code=f"p{i}", name_ar="م", name_fr="F", type=kind, commune=commune, latitude=la, longitude=lo)
        for i, (la, lo) in enumerate(places)
    )
    for limit in (1, 3, 7, 10):
        _assert_exact(lat, lon, limit)


@pytest.mark.parametrize(
    "lat,lon,radius", [(33.57, -7.59, 1.0), (89.9, 0.0, 50.0), (0.0, 179.99, 5.0), (60.0, 10.0, 3000.0)]
)
def test_the_box_holds_the_whole_circle(lat, lon, radius):
    west, south, east, north = bbox_around(lat, lon, radius)
    rng = random.Random(5)
    for _ in range(2000):
        bearing = rng.uniform(0, 2 * math.pi)
        # the point at `radius` along `bearing` (spherical destination formula)
        d = radius / 6371.0088
        p1, l1 = math.radians(lat), math.radians(lon)
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(bearing))
        l2 = l1 + math.atan2(math.sin(bearing) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2))
        la, lo = math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
        assert south <= la <= north
        assert west <= lo <= east


def test_a_crowd_just_outside_a_sparse_box_does_not_loop(monkeypatch):
    """A dense cluster 20 km away and nothing nearer: the first box is crowded, the shrunk one
    empty, the widened one crowded again. The search narrows between the two instead of
    swinging forever, and stays exact."""
    commune = CommuneFactory()
    kind = FacilityTypeFactory()
    rng = random.Random(2)
    rows = [(30.0 + rng.gauss(0, 0.001), -7.8 + rng.gauss(0, 0.001)) for _ in range(1000)]
    rows += [(rng.uniform(21, 35.5), rng.uniform(-16.5, -1.5)) for _ in range(200)]
    Facility.objects.bulk_create(
        Facility(code=f"k{i}", name_ar="م", name_fr="F", type=kind, commune=commune, latitude=la, longitude=lo)
        for i, (la, lo) in enumerate(rows)
    )
    selectors._counts.clear()
    fetches = []
    fetch = selectors._Candidates.fetch

    def counted(self, box, **kwargs):
        fetches.append(box)
        assert len(fetches) < 40, "the box keeps swinging"
        return fetch(self, box, **kwargs)

    monkeypatch.setattr(selectors._Candidates, "fetch", counted)
    for limit in (1, 5, 12):
        fetches.clear()
        _assert_exact(30.0, -8.0, limit)
