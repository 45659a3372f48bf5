"""Nearest-5 facilities (`tawasul.facilities.selectors.facilities_nearest`), in process, at
16,043 and at 1,000,000 facilities, against a bare ORM select-by-pk baseline in the same run.

    python -m bench.facilities_nearest [--sizes 16043,1000000] [--queries 300] [--reps 3] [--db sqlite|postgres]

Each size has its own database (generated when missing: facilities placed in the real communes
by 2024 population, around their GeoNames position, with raw `executemany` inserts on SQLite and
`COPY` on PostgreSQL so that a million rows take a few minutes at most): a file in var/bench/ on
SQLite, `tawasul_bench_facilities_<size>` on the PostgreSQL server of BENCH_PG_ADMIN_URL. Query
points are real Moroccan places (GeoNames) with a few kilometres of jitter. The scenario and its
baseline are interleaved (A B A B, `--reps` times), the load average recorded at the start of each
repetition; the report gives p50/p95/p99 in milliseconds for each (all repetitions, and those
started with a load average at most twice the cores when there are any, BENCHMARKING.md), the
ratio of the scenario's p95 to the baseline's p95, and the SQL queries per call (mean, max).
A few answers are checked against a brute-force scan first. Results: results/facilities_nearest-<db>.json.
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

    def flush(cursor) -> None:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        else:
            cursor.executemany(sql, batch)
        batch.clear()

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
                flush(cursor)
        if batch:
            flush(cursor)
    with connection.cursor() as cursor:
        # fresh statistics for the planner; on PostgreSQL VACUUM also sets the visibility map, so
        # that the covering (lat_band, longitude, latitude, is_active, id) index serves index-only scans
        cursor.execute("ANALYZE" if connection.vendor == "sqlite" else f"VACUUM ANALYZE {table}")
    print(f"  generated {size:,} facilities in {time.monotonic() - started:.1f} s", file=sys.stderr)


def _brute_force(lat, lon, limit, **filters):
    from tawasul.facilities.selectors import facilities_filter, haversine_km

    rows = facilities_filter(**filters).values_list("pk", "latitude", "longitude")
    return [pk for _d, pk in sorted((haversine_km(lat, lon, la, lo), pk) for pk, la, lo in rows)[:limit]]


def _point_at(db: str, label: str) -> None:
    """Point Django's default connection at this size's database (created when missing)."""
    from django.db import connection

    connection.close()
    if db == "postgres":
        import psycopg

        name = common.database_name(label)
        with psycopg.connect(common._libpq(common.PG_ADMIN_URL), autocommit=True) as admin:
            if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                admin.execute(f'CREATE DATABASE "{name}"')
        connection.settings_dict["NAME"] = name
    else:
        common.VAR.mkdir(parents=True, exist_ok=True)
        connection.settings_dict["NAME"] = str(common.VAR / f"tawasul-{label}.sqlite3")


def run_size(size: int, *, db: str, queries: int, reps: int) -> dict:
    label = f"facilities-{size}"
    os.environ.update(common.bench_environ(db, label))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tawasul.facilities.models import Facility
    from tawasul.facilities.places import moroccan_places
    from tawasul.facilities.selectors import facilities_nearest

    _point_at(db, label)
    try:
        count = Facility.objects.count()
    except Exception:  # noqa: BLE001 (a fresh database has no tables yet)
        connection.close()
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
        got = [f.pk for f, _d in facilities_nearest(lat=lat, lon=lon, limit=5, type="hospital")]
        assert got == _brute_force(lat, lon, 5, type="hospital"), "nearest-5 hospitals differ from brute force"

    query_counts = {"nearest5": [], "nearest5_hospital": []}
    for lat, lon in points:  # a deterministic budget beside the timings: SQL queries per call
        for kind, filters in (("nearest5", {}), ("nearest5_hospital", {"type": "hospital"})):
            with CaptureQueriesContext(connection) as ctx:
                facilities_nearest(lat=lat, lon=lon, limit=5, **filters)
            query_counts[kind].append(len(ctx.captured_queries))

    backend = _backend_pid(connection)

    def scenario(kind: str) -> tuple[list[float], list[float], float]:
        """Wall-clock and CPU seconds of each call (this process: on SQLite the database's work
        too), and the PostgreSQL backend's CPU seconds for the whole batch (None on SQLite)."""
        samples, cpu = [], []
        server_before = _cpu_seconds(backend)
        for i in range(queries):
            started, cpu_started = time.perf_counter(), time.thread_time()
            if kind == "baseline":
                Facility.objects.filter(pk=pks[i]).first()
            elif kind == "nearest5":
                facilities_nearest(lat=points[i][0], lon=points[i][1], limit=5)
            else:
                facilities_nearest(lat=points[i][0], lon=points[i][1], limit=5, type="hospital")
            samples.append(time.perf_counter() - started)
            cpu.append(time.thread_time() - cpu_started)
        server = None if backend is None else _cpu_seconds(backend) - server_before
        return samples, cpu, server

    kinds = ("baseline", "nearest5", "nearest5_hospital")
    calm_limit = 2 * (os.cpu_count() or 1)
    results: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[float]] = {kind: [] for kind in kinds}
    server: dict[str, float] = dict.fromkeys(kinds, 0.0)
    calm: dict[str, list[float]] = {kind: [] for kind in kinds}
    loads = []
    for _rep in range(reps):
        load = os.getloadavg()[0]
        loads.append(load)
        for kind in kinds:
            samples, cpu_samples, server_seconds = scenario(kind)
            results[kind].extend(samples)
            cpu[kind].extend(cpu_samples)
            server[kind] += server_seconds or 0.0
            if load <= calm_limit:
                calm[kind].extend(samples)
    report: dict = {"database": db, "facilities": size, "queries_per_rep": queries, "reps": reps}
    report.update({kind: _percentiles(samples) for kind, samples in results.items()})
    # CPU time is steadier than wall time on a shared machine (BENCHMARKING.md): a busy neighbour
    # stretches the wall clock of every call, not the work the call does.
    report["client_cpu_ms"] = {kind: _percentiles(samples) for kind, samples in cpu.items()}
    if backend is not None:
        report["postgres_backend_cpu_ms_per_call"] = {
            kind: round(seconds * 1000 / (queries * reps), 3) for kind, seconds in server.items()
        }
    report["ratio_p95_nearest5_to_baseline"] = round(report["nearest5"]["p95"] / report["baseline"]["p95"], 2)
    report["ratio_p95_hospital_to_baseline"] = round(report["nearest5_hospital"]["p95"] / report["baseline"]["p95"], 2)
    report["load_average_at_reps"] = [round(x, 2) for x in loads]
    report[f"calm_reps_load_le_{calm_limit}"] = (
        {kind: _percentiles(samples) for kind, samples in calm.items()} if calm["baseline"] else None
    )
    report["sql_queries_per_call"] = {
        kind: {"mean": round(sum(counts) / len(counts), 2), "max": max(counts)} for kind, counts in query_counts.items()
    }
    return report


def _backend_pid(connection) -> int | None:
    """The PostgreSQL server process serving this connection (None on SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _cpu_seconds(pid: int | None) -> float:
    """utime + stime of a process on this machine, from /proc (0 when unknown)."""
    if pid is None:
        return 0.0
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="16043,1000000")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args(argv)
    common.setup_django(args.db, "facilities-16043")
    reports = [run_size(int(size), db=args.db, queries=args.queries, reps=args.reps) for size in args.sizes.split(",")]
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    out = common.RESULTS / f"facilities_nearest-{args.db}.json"
    out.write_text(json.dumps(reports, indent=2))
    print(json.dumps(reports, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
