"""Server-side time of each request, for the load generator (bench/run.py): a middleware, first in
the chain, that answers `Server-Timing: app;dur=<wall ms>, cpu;dur=<thread CPU ms>`. It measures
the whole Django request path inside the worker (every middleware, the view, the template), not
the client's queueing and parsing, which share the same two cores on this machine. Installed
only when the benchmark server's environment sets BENCH_SERVER_TIMING=1 (bench/settings.py), so
the instruction counts of bench/callgrind.py do not include it."""

from __future__ import annotations

import time


class ServerTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        wall, cpu = time.perf_counter(), time.thread_time()
        response = self.get_response(request)
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        response["Server-Timing"] = f"app;dur={wall * 1000:.3f}, cpu;dur={cpu * 1000:.3f}"
        return response


def parse(header: str | None) -> tuple[float | None, float | None]:
    """(wall ms, CPU ms) from a `Server-Timing` header written above, (None, None) without it."""
    if not header:
        return None, None
    values = {}
    for part in header.split(","):
        name, _, rest = part.strip().partition(";dur=")
        try:
            values[name] = float(rest)
        except ValueError:
            continue
    return values.get("app"), values.get("cpu")
