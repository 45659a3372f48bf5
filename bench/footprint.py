"""What the platform costs to keep running (issue 7: "what does it cost to run"): the database's
size on disk, per table and per complaint; the memory of the server's processes; the peak memory
of a piece of work in this process; and the cores a year of filings takes at the measured CPU.

Everything is read from the operating system (`/proc`) and the database's own catalog, never
estimated.

    python -m bench.footprint --db postgres --label s10   # one data set: results/<date>-<db>-footprint-<label>.*
"""

from __future__ import annotations

import argparse
import json
import os
from datetime import date
from pathlib import Path

MB = 1024 * 1024
#: The tables shown one by one (the largest first); the others are summed in one line.
TOP_TABLES = 12


# --- Memory -----------------------------------------------------------------------------------


def process_memory(pid: int) -> dict | None:
    """A process's memory in bytes: `rss` now, `peak_rss` (the kernel's high-water mark, since
    the start or the last `reset_peak`) and `pss` (its resident pages, each shared page divided
    among the processes sharing it: gunicorn's workers share their master's). None when the
    process is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    kib = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            kib[key] = int(rest.split()[0])
    pss = None
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss = int(line.split()[1]) * 1024
                break
    except OSError:
        pass
    return {
        "pid": pid,
        "rss_bytes": kib["VmRSS"] * 1024 if "VmRSS" in kib else None,
        "peak_rss_bytes": kib["VmHWM"] * 1024 if "VmHWM" in kib else None,
        "pss_bytes": pss,
    }


def reset_peak() -> bool:
    """Start this process's peak resident memory again from its current size (Linux's
    `clear_refs` 5). False where the kernel does not allow it: the peak is then the process's."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class PeakMemory:
    """The resident memory a block of work took in this process, above what the process held
    before it: `with PeakMemory() as peak: ...`, then `peak.growth_bytes` and `peak.peak_bytes`."""

    def __enter__(self) -> PeakMemory:
        self.reset = reset_peak()
        self.before_bytes = _own("rss_bytes")
        self.peak_bytes = self.growth_bytes = None
        return self

    def __exit__(self, *exc) -> None:
        self.peak_bytes = _own("peak_rss_bytes")
        if self.reset and self.peak_bytes is not None and self.before_bytes is not None:
            self.growth_bytes = max(self.peak_bytes - self.before_bytes, 0)


def _own(key: str) -> int | None:
    memory = process_memory(os.getpid())
    return memory[key] if memory else None


def server_memory(master_pid: int, worker_pids: list[int]) -> dict:
    """The web tier's memory: its master and each worker, and their PSS summed (the memory the
    tier holds, each shared page counted once)."""
    master = process_memory(master_pid)
    workers = [m for m in (process_memory(pid) for pid in worker_pids) if m]
    everyone = ([master] if master else []) + workers
    return {
        "master": master,
        "workers": workers,
        "total_pss_bytes": sum(m["pss_bytes"] or 0 for m in everyone),
        "largest_worker_peak_rss_bytes": max((m["peak_rss_bytes"] or 0 for m in workers), default=None),
    }


# --- Disk -------------------------------------------------------------------------------------


def database_footprint(connection) -> dict:
    """The database's size on disk and each table's, with its indexes and its exact row count;
    `bytes_per_complaint` divides the whole database by the cases it holds."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            total, sizes = _postgres_sizes(cursor)
        elif connection.vendor == "sqlite":
            total, sizes = _sqlite_sizes(cursor)
        else:
            raise ValueError(f"no footprint for {connection.vendor}")
        sizes.sort(key=lambda t: t["data_bytes"] + t["index_bytes"], reverse=True)
        shown, rest = sizes[:TOP_TABLES], sizes[TOP_TABLES:]
        quote = connection.ops.quote_name
        for table in shown:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table['table'])}")
            table["rows"] = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) FROM {quote('cases_case')}")
        cases = cursor.fetchone()[0]
    tables = [{**t, "total_bytes": t["data_bytes"] + t["index_bytes"]} for t in shown]
    if rest:
        data, index = sum(t["data_bytes"] for t in rest), sum(t["index_bytes"] for t in rest)
        tables.append(
            {
                "table": f"({len(rest)} other tables)",
                "data_bytes": data,
                "index_bytes": index,
                "total_bytes": data + index,
            }
        )
    return {
        "vendor": connection.vendor,
        "total_bytes": total,
        "cases": cases,
        "bytes_per_complaint": round(total / cases) if cases else None,
        "tables": tables,
    }


def _postgres_sizes(cursor) -> tuple[int, list[dict]]:
    cursor.execute("SELECT pg_database_size(current_database())")
    total = cursor.fetchone()[0]
    cursor.execute(
        "SELECT c.relname, pg_table_size(c.oid), pg_indexes_size(c.oid) FROM pg_class c "
        "JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema()"
    )
    return total, [{"table": name, "data_bytes": data, "index_bytes": index} for name, data, index in cursor.fetchall()]


def _sqlite_sizes(cursor) -> tuple[int, list[dict]]:
    """SQLite's `dbstat` table gives each b-tree's pages; an index is counted with its table."""
    cursor.execute("PRAGMA page_count")
    pages = cursor.fetchone()[0]
    cursor.execute("PRAGMA page_size")
    total = pages * cursor.fetchone()[0]
    cursor.execute("SELECT name, type, tbl_name FROM sqlite_master WHERE type IN ('table', 'index')")
    owner = {name: (kind, table) for name, kind, table in cursor.fetchall()}
    cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
    sizes: dict[str, dict] = {}
    for name, size in cursor.fetchall():
        kind, table = owner.get(name, ("table", name))
        if table.startswith("sqlite_"):
            continue
        entry = sizes.setdefault(table, {"table": table, "data_bytes": 0, "index_bytes": 0})
        entry["index_bytes" if kind == "index" else "data_bytes"] += size
    return total, list(sizes.values())


# --- What it costs to run ---------------------------------------------------------------------


def core_time(cpu_ms_per_request: float | None, requests: int) -> dict | None:
    """At a measured server CPU per request (the web process and the database's together), how
    many such requests one core serves a second, and the core-minutes `requests` of them take."""
    if not cpu_ms_per_request:
        return None
    return {
        "cpu_ms_per_request": cpu_ms_per_request,
        "per_core_second": round(1000 / cpu_ms_per_request),
        "requests": requests,
        "core_minutes": round(requests * cpu_ms_per_request / 60_000, 1),
    }


# --- Tables -----------------------------------------------------------------------------------


def in_mb(value: int | None) -> float | None:
    return None if value is None else round(value / MB, 1)


def mb(value: int | None) -> str:
    return "" if value is None else f"{value / MB:,.1f}"


def footprint_table(footprint: dict) -> list[str]:
    cases = footprint["cases"]
    lines = [
        f"Database on disk: **{mb(footprint['total_bytes'])} MB** for {cases:,} cases, "
        f"{footprint['bytes_per_complaint']:,} bytes per case (the whole database divided by its cases).",
        "",
        "| table | rows | data MB | indexes MB | total MB | bytes per case |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in footprint["tables"]:
        rows = f"{t['rows']:,}" if "rows" in t else ""
        per_case = f"{round(t['total_bytes'] / cases):,}" if cases else ""
        lines.append(
            f"| {t['table']} | {rows} | {mb(t['data_bytes'])} | {mb(t['index_bytes'])} | {mb(t['total_bytes'])} "
            f"| {per_case} |"
        )
    return lines


def memory_lines(memory: dict) -> list[str]:
    workers, master = memory["workers"], memory["master"] or {}
    per_worker = ", ".join(f"{mb(w['pss_bytes'])} (peak RSS {mb(w['peak_rss_bytes'])})" for w in workers)
    return [
        f"Web tier after the load: **{mb(memory['total_pss_bytes'])} MB** (PSS of the master and its "
        f"{len(workers)} workers, shared pages counted once); master {mb(master.get('pss_bytes'))} MB; "
        f"workers {per_worker} MB."
    ]


def cost_lines(costs: dict) -> list[str]:
    lines = [
        "| path | server CPU ms per request | requests per core-second | requests | core-minutes for them |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, cost in costs.items():
        if cost:
            lines.append(
                f"| {name} | {cost['cpu_ms_per_request']} | {cost['per_core_second']:,} | {cost['requests']:,} "
                f"| {cost['core_minutes']} |"
            )
    return lines


def main(argv=None) -> int:
    from bench import common

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--label", default="quick")
    args = parser.parse_args(argv)
    common.setup_django(args.db, args.label)
    from django.db import connection

    footprint = database_footprint(connection)
    results = {"date": date.today().isoformat(), "db": args.db, "size": args.label, "footprint": footprint}
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    stem = common.RESULTS / f"{results['date']}-{args.db}-footprint-{args.label}"
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    text = "\n".join([f"# Tawasul — database footprint, {args.db}, `{args.label}`, {results['date']}", ""])
    text += "\n" + "\n".join(footprint_table(footprint)) + "\n"
    stem.with_suffix(".md").write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
