"""Per-client rate limits on public forms, declared in one table (issue 8 item 4).

`PUBLIC_FORM_RATE_LIMITS` (settings) maps a URL name (`"complaints:file_form"`) to a rate
(`"20/h"`, django-ratelimit syntax) counted per client IP on POST. The middleware applies it
before the view runs, so a portal's view needs no decorator and a new public form is limited by
adding one line to the setting. Over the limit, the client gets a 429 page with `Retry-After`,
and nothing reaches the view (so nothing is stored). Counters live in the shared cache
(database or Redis, config/settings.py), so the limit holds across worker processes.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django_ratelimit.core import get_usage

__all__ = ["PublicFormRateLimitMiddleware", "rate_limit_for"]

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate_limit_for(url_name: str) -> str | None:
    return getattr(settings, "PUBLIC_FORM_RATE_LIMITS", {}).get(url_name)


def _period_seconds(rate: str) -> int:
    """'20/h' → 3600; '5/10m' → 600."""
    _count, _slash, period = rate.partition("/")
    digits = "".join(ch for ch in period if ch.isdigit())
    return int(digits or 1) * _SECONDS.get(period[-1:], 60)


class PublicFormRateLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not getattr(settings, "RATELIMIT_ENABLE", True):
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        rate = rate_limit_for(name)
        if not rate:
            return None
        usage = get_usage(request, group=f"public-form:{name}", key="ip", rate=rate, method="POST", increment=True)
        if usage is None or not usage["should_limit"]:
            return None
        response = render(request, "429.html", {"retry_after": usage["time_left"]}, status=429)
        response["Retry-After"] = str(max(1, usage.get("time_left") or _period_seconds(rate)))
        return response
