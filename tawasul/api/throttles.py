"""Rate limits per client IP for the API (issue 3: tracking is "rate-limited per client").

A view names its scope (`throttle_scope = "track"`); the rate is read from
`settings.API_THROTTLE_RATES` at each request (not frozen at import as DRF's own scoped throttle
does), so a deployment changes it in the environment and a test with `settings`.

A fixed-window counter: one cache `incr` per request (issue 7: DRF's sliding-window history on
the database cache cost ~5 queries per request, a `COUNT(*)` of the cache table among them).
The counters live in the cache alias `settings.API_THROTTLE_CACHE` (`throttle`: Redis when
`REDIS_URL` is set, shared by every worker; a per-process memory cache otherwise), or in the
default cache when that alias is not configured (the tests' private cache). A client may send at
most the rate's number of requests per window; a window starts at a multiple of its duration, so
across a boundary a client can at worst send twice the rate within one duration.

The client is `tawasul.core.clientaddress.client_address()`, the same address as the HTML portals'
limits and the login lockout (`PROXY_COUNT` trusted reverse proxies).
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import caches
from rest_framework.throttling import BaseThrottle

from tawasul.core.clientaddress import client_address

__all__ = ["ScopedIPThrottle"]

_DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _parse_rate(rate: str) -> tuple[int, int]:
    """ "10/min" → (10, 60): the same syntax as DRF's rates."""
    number, period = rate.split("/")
    return int(number), _DURATIONS[period[0]]


def _throttle_cache():
    alias = getattr(settings, "API_THROTTLE_CACHE", "default")
    return caches[alias if alias in settings.CACHES else "default"]


class ScopedIPThrottle(BaseThrottle):
    cache_format = "api-throttle:%(scope)s:%(ident)s:%(window)d"

    def __init__(self):
        self.wait_seconds: float | None = None

    def allow_request(self, request, view):
        scope = getattr(view, "throttle_scope", None)
        if not scope:
            return True
        limit, duration = _parse_rate(settings.API_THROTTLE_RATES[scope])
        now = time.time()
        window = int(now // duration)
        key = self.cache_format % {"scope": scope, "ident": self.get_ident(request), "window": window}
        cache = _throttle_cache()
        try:
            count = cache.incr(key)
        except ValueError:  # the window's first request (or its key expired)
            count = 1 if cache.add(key, 1, timeout=duration + 1) else cache.incr(key)
        if count <= limit:
            return True
        self.wait_seconds = max(1.0, (window + 1) * duration - now)
        return False

    def get_ident(self, request):
        return client_address(request)

    def wait(self):
        return self.wait_seconds
