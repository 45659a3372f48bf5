"""Catalog search p95 at 803 and at 100,000 procedures, with a baseline in the same run
(BENCHMARKING.md: a bare indexed SELECT by primary key, interleaved A B A B, medians of
repetitions). In process, against a throwaway SQLite database (or DATABASE_URL's PostgreSQL).

    .venv/bin/python bench/catalog_search.py [--sizes 803 100000] [--reps 3] [--queries 200]

With DATABASE_URL set, that database is used and its procedures are kept: sizes it already
holds are measured without generating again (smaller ones are skipped).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "بطاقة التعريف",
    "جواز السفر",
    "رخصة السياقة",
    "رسم الولادة",
    "شهادة السكنى",
    "السجل التجاري",
    "carte d'identité",
    "passeport",
    "permis de conduire",
    "extrait de naissance",
    "CNSS",
    "permsi",
    "بطاقه",
    "الضمان الاجتماعي",
    "rokhas",
    "investissement",
]


def p95(values):
    values = sorted(values)
    return values[max(0, int(len(values) * 0.95) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[803, 100_000])
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="catalog-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from tawasul.catalog.models import Procedure
    from tawasul.catalog.search import search
    from tawasul.registry.demo import load as load_registry

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    devnull = open(os.devnull, "w")  # noqa: SIM115 - kept open for the whole run
    load_registry(devnull)
    print(f"database: {connection.vendor} ({os.environ['DATABASE_URL'].split('@')[-1]})")
    done = Procedure.objects.count()  # an existing data set (DATABASE_URL given) is reused
    for size in sorted(args.sizes):
        start = time.perf_counter()
        if size > done:
            call_command("generate_catalog", procedures=size - done, online=0, investor=0, stdout=devnull)
            done = size
        elif size < done:
            print(f"\n(skipping {size:,}: the database already holds {done:,} procedures)")
            continue
        print(f"\n{size:,} procedures (generated + indexed in {time.perf_counter() - start:.1f} s)")
        ids = list(Procedure.objects.values_list("id", flat=True)[:1000])
        rep_search, rep_base = [], []
        for _rep in range(args.reps):
            load = os.getloadavg()[0]
            base_t, search_t = [], []
            for i in range(args.queries):
                t = time.perf_counter()
                with connection.cursor() as cursor:  # baseline: bare indexed SELECT by pk
                    cursor.execute("SELECT id, title_ar FROM catalog_procedure WHERE id = %s", [ids[i % len(ids)]])
                    cursor.fetchone()
                base_t.append(time.perf_counter() - t)
                t = time.perf_counter()
                search(QUERIES[i % len(QUERIES)], limit=20)
                search_t.append(time.perf_counter() - t)
            rep_search.append(p95(search_t) * 1000)
            rep_base.append(p95(base_t) * 1000)
            print(f"  rep (load {load:.2f}): search p95 {rep_search[-1]:.2f} ms, baseline p95 {rep_base[-1]:.3f} ms")
        s, b = statistics.median(rep_search), statistics.median(rep_base)
        print(f"  median of reps: search p95 {s:.2f} ms; baseline p95 {b:.3f} ms; ratio {s / b:.0f}x")


if __name__ == "__main__":
    main()
