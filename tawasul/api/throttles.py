"""Rate limits per client IP for the API (issue 3: tracking is "rate-limited per client").

A view names its scope (`throttle_scope = "track"`); the rate is read from
`settings.API_THROTTLE_RATES` at each request (not frozen at import as DRF's own scoped throttle
does), so a deployment changes it in the environment and a test with `settings`. Counters live in
the default cache, shared by every worker (the database cache unless Redis is configured).
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

__all__ = ["ScopedIPThrottle"]


class ScopedIPThrottle(SimpleRateThrottle):
    cache_format = "api-throttle:%(scope)s:%(ident)s"

    def __init__(self):  # the rate depends on the view: read in allow_request
        pass

    def get_rate(self):
        return settings.API_THROTTLE_RATES[self.scope]

    def allow_request(self, request, view):
        self.scope = getattr(view, "throttle_scope", None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
