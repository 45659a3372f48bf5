"""Nearest-5 facilities (`tawasul.facilities.selectors.facilities_nearest`), in process, at
16,043 and at 1,000,000 facilities, against a bare ORM select-by-pk baseline in the same run.

    python -m bench.facilities_nearest [--sizes 16043,1000000] [--queries 300] [--reps 3] [--db sqlite]

Each size has its own SQLite database in var/bench/ (generated when missing: facilities placed
in the real communes by 2024 population, around their GeoNames position, with raw `executemany`
inserts so that a million rows take seconds, not minutes). Query points are real Moroccan places
(GeoNames) with a few kilometres of jitter. The scenario and its baseline are interleaved
(A B A B, `--reps` times); the report gives p50/p95/p99 in milliseconds for each, and the ratio of
the scenario's p95 to the baseline's p95 (the steadier figure on a shared machine,
BENCHMARKING.md). A few answers are checked against a brute-force scan first.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

from bench import common

TYPES = ["school", "health_centre", "post_office", "civil_status_office", "police", "caidat", "hospital"]
TYPE_WEIGHTS = [30, 20, 12, 10, 8, 10, 2]


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    return {"p50": round(at(0.50), 3), "p95": round(at(0.95), 3), "p99": round(at(0.99), 3)}


def _generate(size: int, seed: int = 7) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from tawasul.facilities.models import Facility, FacilityType
    from tawasul.facilities.places import commune_positions
    from tawasul.registry.divisions import divisions_import
    from tawasul.registry.models import Commune

    call_command("migrate", verbosity=0)
    divisions_import()
    Facility.objects.all().delete()
    rng = random.Random(seed)
    types = dict(FacilityType.objects.values_list("code", "pk"))
    communes = list(Commune.objects.select_related("province"))
    positions = commune_positions(communes)
    placed = [c for c in communes if c.code in positions]
    weights = [max(c.population or 1, 1) for c in placed]
    chosen = placed + rng.choices(placed, weights=weights, k=max(size - len(placed), 0))
    type_of = rng.choices(TYPES, weights=TYPE_WEIGHTS, k=size)
    now = timezone.now().isoformat()
    table = Facility._meta.db_table
    columns = (
        "name_ar, name_fr, name_zgh, name_en, search_text, code, type_id, commune_id, address_ar, address_fr, "
        "address_zgh, address_en, phone, email, website, opening_hours, hours_note_ar, hours_note_fr, "
        "hours_note_zgh, hours_note_en, latitude, longitude, wheelchair_access, accessible_toilets, "
        "reserved_parking, sign_language, is_active, created_at, updated_at"
    )
    marks = ", ".join(["%s"] * 29)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    batch = []
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(size):
            commune = chosen[i]
            lat0, lon0, exact = positions[commune.code]
            spread = 0.03 if exact else 0.1
            type_code = type_of[i]
            batch.append(
                (
                    f"مرفق {i}", f"Facility {i}", "", "", "", f"bench-{i}", types[type_code], commune.pk,
                    "", "", "", "", "", "", "", "{}", "", "", "", "",
                    rng.gauss(lat0, spread), rng.gauss(lon0, spread), False, False, False, False, True, now, now,
                )
            )  # fmt: skip
            if len(batch) == 20_000:
                cursor.executemany(sql, batch)
                batch.clear()
        if batch:
            cursor.executemany(sql, batch)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"  generated {size:,} facilities in {time.monotonic() - started:.1f} s", file=sys.stderr)


def _brute_force(lat, lon, limit, **filters):
    from tawasul.facilities.selectors import facilities_filter, haversine_km

    rows = facilities_filter(**filters).values_list("pk", "latitude", "longitude")
    return [pk for _d, pk in sorted((haversine_km(lat, lon, la, lo), pk) for pk, la, lo in rows)[:limit]]


def run_size(size: int, *, db: str, queries: int, reps: int) -> dict:
    label = f"facilities-{size}"
    os.environ.update(common.bench_environ(db, label))
    from django.db import connection

    from tawasul.facilities.models import Facility
    from tawasul.facilities.places import moroccan_places
    from tawasul.facilities.selectors import facilities_nearest

    connection.close()
    connection.settings_dict["NAME"] = str(common.VAR / f"tawasul-{label}.sqlite3")
    common.VAR.mkdir(parents=True, exist_ok=True)
    try:
        count = Facility.objects.count()
    except Exception:  # noqa: BLE001 (a fresh file has no tables yet)
        count = -1
    if count != size:
        _generate(size)
    else:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)  # new indexes on an existing data set
    rng = random.Random(size)
    places = moroccan_places()
    points = [
        (p["latitude"] + rng.gauss(0, 0.03), p["longitude"] + rng.gauss(0, 0.03))
        for p in rng.choices(places, k=queries)
    ]
    top = Facility.objects.order_by("-pk").values_list("pk", flat=True).first()
    pks = [rng.randint(1, top) for _ in range(queries)]

    for lat, lon in points[:5]:  # correctness first
        got = [f.pk for f, _d in facilities_nearest(lat=lat, lon=lon, limit=5)]
        assert got == _brute_force(lat, lon, 5), "nearest-5 differs from brute force"

    def scenario(kind: str) -> list[float]:
        samples = []
        for i in range(queries):
            started = time.perf_counter()
            if kind == "baseline":
                Facility.objects.filter(pk=pks[i]).first()
            elif kind == "nearest5":
                facilities_nearest(lat=points[i][0], lon=points[i][1], limit=5)
            else:
                facilities_nearest(lat=points[i][0], lon=points[i][1], limit=5, type="hospital")
            samples.append(time.perf_counter() - started)
        return samples

    results: dict[str, list[float]] = {"baseline": [], "nearest5": [], "nearest5_hospital": []}
    loads = []
    for _rep in range(reps):
        loads.append(os.getloadavg()[0])
        for kind in results:
            results[kind].extend(scenario(kind))
    report = {kind: _percentiles(samples) for kind, samples in results.items()}
    report["ratio_p95_nearest5_to_baseline"] = round(report["nearest5"]["p95"] / report["baseline"]["p95"], 2)
    report["ratio_p95_hospital_to_baseline"] = round(report["nearest5_hospital"]["p95"] / report["baseline"]["p95"], 2)
    report["load_average_at_reps"] = [round(x, 2) for x in loads]
    report["facilities"] = size
    report["queries_per_rep"] = queries
    return report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16043,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite"], default="sqlite")
    args = parser.parse_args(argv)
    common.setup_django(args.db, "facilities-16043")
    reports = [run_size(int(size), db=args.db, queries=args.queries, reps=args.reps) for size in args.sizes.split(",")]
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    out = common.RESULTS / "facilities_nearest.json"
    out.write_text(json.dumps(reports, indent=2))
    print(json.dumps(reports, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
