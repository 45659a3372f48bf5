"""The client's address: the one answer every per-client limit and lockout uses.

Behind `TRUSTED_PROXY_COUNT` reverse proxies (settings; the `PROXY_COUNT` environment variable),
each proxy appends the address it received the request from to `X-Forwarded-For`, so the last
`TRUSTED_PROXY_COUNT` entries were written by our proxies and the client is the entry that many
places from the right. Everything to its left came from the client and is never read: a client
that sends `X-Forwarded-For: 1.2.3.4` only adds an entry further left. With 0 proxies (the default)
the header is ignored and the client is `REMOTE_ADDR`.

When the header holds fewer entries than trusted proxies (a request that did not cross all of
them) the left-most entry is taken, as DRF's `NUM_PROXIES` does: every entry was still written by a
proxy, so it is the address that reached the outermost one. An entry that is not an IP address
(a misconfigured proxy writing `unknown`) falls back to `REMOTE_ADDR`.

Wired into django-ratelimit (`RATELIMIT_IP_META_KEY`), django-axes (`AXES_CLIENT_IP_CALLABLE`),
allauth (`tawasul.accounts.adapter.AccountAdapter.get_client_ip`) and the API throttles
(`tawasul.api.throttles.ScopedIPThrottle.get_ident`).
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

__all__ = ["client_address", "trusted_proxy_count"]


def trusted_proxy_count() -> int:
    return int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)


def _clean(entry: str) -> str | None:
    """'203.0.113.5' → itself; '[2001:db8::1]' → '2001:db8::1'; anything else → None."""
    entry = entry.strip()
    if entry.startswith("[") and entry.endswith("]"):
        entry = entry[1:-1]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The address of the client that sent `request` (see the module's docstring)."""
    remote_addr = request.META.get("REMOTE_ADDR") or ""
    proxies = trusted_proxy_count()
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies <= 0 or not forwarded.strip():
        return remote_addr
    entries = forwarded.split(",")
    return _clean(entries[-min(proxies, len(entries))]) or remote_addr
