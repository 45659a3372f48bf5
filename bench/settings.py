"""Settings of the benchmark server: the platform's own (`config.settings`, DEBUG off as
deployed) plus the baseline app and its URLs, with the API throttles raised so that the load
generator measures the request path, not the 429 answer. The throttle still runs (one `incr` on
its cache per request, `tawasul.api.throttles`): the `throttle` cache is Redis when REDIS_URL is
set in the environment, otherwise each worker's memory."""

import os

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline.apps.BaselineConfig"]
ROOT_URLCONF = "bench.urls"
API_THROTTLE_RATES = dict.fromkeys(("submit", "track", "requester", "lookup"), "1000000/s")
# Loopback HTTP: no HTTPS redirect and no secure-only cookies, or every request would be a 301.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0

if os.environ.get("BENCH_SERVER_TIMING") == "1":  # bench/timing.py: server-side time per request
    MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]  # noqa: F405
