"""First-party, cookie-less visit counts (SPEC.md §9; docs/adr/0031-cookieless-visit-counts.md).

`VisitCounterMiddleware` counts, for each HTML page of a public portal answered 200 to a GET:
- a page view of that portal on that day (Morocco time), and a mobile one when the user agent
  says so;
- a visitor, when the hash of (the day's salt, the client address, the user agent) is new for
  that day and portal.

Nothing is written to the database on the request path: the counts are `incr`s in the cache
alias of the API throttles (Redis when REDIS_URL is set, else this process's memory), and
`flush_visits()` adds them to `VisitDay` rows — from the insights sweep (config/jobs.py) and, at
most once a minute, from the request path of each process (a per-process memory cache is seen
only by its own process). The salt is random, kept in that cache until the end of its day only,
and never written anywhere; the hashes expire at the end of their day too, so a visitor cannot
be followed from one day to the next. No cookie, nothing stored in the browser.

Not counted: `/api/`, `/static/`, `/healthz`, media, anything outside the language-prefixed
pages, the staff and admin pages, errors and redirects, and user agents that say they are bots.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import threading
import time
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from tawasul.core.calendar import CALENDAR_TZ
from tawasul.core.clientaddress import client_address

from .models import VisitDay

#: First path segment after the language prefix -> portal counted.
PORTALS = {
    "": "home",
    "complaints": "complaints",
    "information": "information",
    "procedures": "catalog",
    "facilities": "facilities",
    "documents": "documents",
    "jobs": "jobs",
    "contact": "contact",
    "reception": "reception",
    "insights": "insights",
}
PORTAL_NAMES = tuple(sorted(set(PORTALS.values())))
#: What the dashboard and the report call each counted portal.
PORTAL_LABELS = {
    "home": _("Home page"),
    "complaints": _("Complaints and suggestions"),
    "information": _("Access to information"),
    "catalog": _("Procedures"),
    "facilities": _("Public facilities map"),
    "documents": _("Civil-status documents"),
    "jobs": _("Public jobs"),
    "contact": _("Contact center"),
    "reception": _("Reception quality"),
    "insights": _("Indicators and open data"),
}
METRICS = ("views", "mobile_views", "visitors")
#: Counts wait at most this long in a process's memory before reaching the database.
FLUSH_SECONDS = 60
#: Count keys outlive their day by this much, for the last flush of the day.
COUNT_TTL = 3 * 24 * 3600

_MOBILE = re.compile(r"Mobi|Android|iPhone|iPad|Windows Phone", re.IGNORECASE)
_BOT = re.compile(r"bot|crawl|spider|slurp|preview|curl|wget|python-|httpclient|headless", re.IGNORECASE)
_LANGS = None
logger = logging.getLogger(__name__)
#: `request_flush`: whether the request path may flush (None: decided on first use, off under the
#: test settings, whose page-query counts must not depend on the minute a test runs at).
_process = {"last_flush": time.monotonic(), "salt": (None, ""), "request_flush": None}
_lock = threading.Lock()


def _cache():
    """The throttles' alias (tawasul.api.throttles does the same), or the default cache where it is
    not configured (the tests' private cache)."""
    alias = getattr(settings, "API_THROTTLE_CACHE", "default")
    return caches[alias if alias in settings.CACHES else "default"]


def _languages() -> frozenset[str]:
    global _LANGS
    if _LANGS is None:
        _LANGS = frozenset(code for code, _name in settings.LANGUAGES)
    return _LANGS


def portal_of(path: str) -> str | None:
    """The portal a page path belongs to, or None when it is not counted."""
    parts = path.split("/", 3)  # "", lang, segment, rest
    if len(parts) < 3 or parts[1] not in _languages():
        return None
    return PORTALS.get(parts[2])


def _seconds_left(now: datetime) -> int:
    end = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), tzinfo=CALENDAR_TZ)
    return max(int((end - now).total_seconds()), 1)


def daily_salt(day: date, *, now: datetime | None = None) -> str:
    """The day's salt: random, shared through the cache, expiring at the end of the day."""
    memo_day, memo = _process["salt"]
    if memo_day == day:
        return memo
    cache = _cache()
    key = f"iv:salt:{day.isoformat()}"
    ttl = _seconds_left(now or datetime.now(CALENDAR_TZ))
    cache.add(key, secrets.token_hex(16), timeout=ttl)
    salt = cache.get(key) or secrets.token_hex(16)
    _process["salt"] = (day, salt)
    return salt


def visitor_hash(*, day: date, address: str, user_agent: str) -> str:
    salt = daily_salt(day)
    return hashlib.blake2b(f"{salt}|{address}|{user_agent}".encode(), digest_size=12).hexdigest()


def _key(day: date, portal: str, metric: str) -> str:
    return f"iv:{day.isoformat()}:{portal}:{metric}"


def _incr(cache, key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:
        if not cache.add(key, 1, timeout=COUNT_TTL):
            cache.incr(key)


def count_view(request, portal: str, *, now: datetime | None = None) -> None:
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    if not user_agent or _BOT.search(user_agent):
        return
    now = now or datetime.now(CALENDAR_TZ)
    day = now.date()
    cache = _cache()
    _incr(cache, _key(day, portal, "views"))
    if _MOBILE.search(user_agent):
        _incr(cache, _key(day, portal, "mobile_views"))
    digest = visitor_hash(day=day, address=client_address(request), user_agent=user_agent)
    if cache.add(f"iv:h:{day.isoformat()}:{portal}:{digest}", 1, timeout=_seconds_left(now)):
        _incr(cache, _key(day, portal, "visitors"))


def flush_visits(*, today: date | None = None) -> int:
    """Add the cached counts of yesterday and today to `VisitDay`; the views flushed. Safe to run
    from several processes: a short lock in the cache, and each count is decremented by exactly
    what was read (views counted meanwhile stay for the next flush)."""
    cache = _cache()
    if not cache.add("iv:flush-lock", 1, timeout=30):
        return 0
    flushed = 0
    try:
        today = today or datetime.now(CALENDAR_TZ).date()
        for day in (today - timedelta(days=1), today):
            keys = [_key(day, portal, metric) for portal in PORTAL_NAMES for metric in METRICS]
            values = cache.get_many(keys)
            for portal in PORTAL_NAMES:
                amounts = {metric: int(values.get(_key(day, portal, metric)) or 0) for metric in METRICS}
                if not any(amounts.values()):
                    continue
                with transaction.atomic():
                    VisitDay.objects.get_or_create(day=day, portal=portal)
                    VisitDay.objects.filter(day=day, portal=portal).update(
                        **{metric: F(metric) + amount for metric, amount in amounts.items()}
                    )
                for metric, amount in amounts.items():
                    if amount:
                        cache.decr(_key(day, portal, metric), amount)
                flushed += amounts["views"]
    finally:
        cache.delete("iv:flush-lock")
    return flushed


def _flush_due() -> bool:
    if _process["request_flush"] is None:
        _process["request_flush"] = not getattr(settings, "TESTING", False)
    if not _process["request_flush"]:
        return False
    now = time.monotonic()
    with _lock:
        if now - _process["last_flush"] < FLUSH_SECONDS:
            return False
        _process["last_flush"] = now
        return True


class VisitCounterMiddleware:
    """Counts page views after the response is built; never breaks a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method == "GET" and response.status_code == 200:
            portal = portal_of(request.path_info)
            if portal is not None and response.get("Content-Type", "").startswith("text/html"):
                try:
                    count_view(request, portal)
                    if _flush_due():
                        flush_visits()
                except Exception:  # a counter must never cost a page
                    logger.warning("visit counting failed", exc_info=True)
        return response
