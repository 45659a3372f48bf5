"""Settings of the benchmark server: the platform's own (`config.settings`, DEBUG off as
deployed) plus the baseline app and its URLs, with the API throttles raised so that the load
generator measures the request path, not the 429 answer. The throttle still runs; its window is
one second because DRF keeps one timestamp per request of the window in the cache, and a day-long
window at hundreds of requests/s would grow that list (and the cost of each request) without end —
a deployment's window holds tens of entries (20/hour, 10/min), a one-second one about as many."""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.baseline.apps.BaselineConfig"]
ROOT_URLCONF = "bench.urls"
API_THROTTLE_RATES = dict.fromkeys(("submit", "track", "requester", "lookup"), "1000000/s")
# Loopback HTTP: no HTTPS redirect and no secure-only cookies, or every request would be a 301.
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
