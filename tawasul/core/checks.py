"""System checks of the deployment settings (`manage.py check`, `check --deploy`)."""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

__all__ = ["check_proxy_count_names", "check_site_url", "site_url_problem"]

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback"}


def site_url_problem(site_url: str) -> str | None:
    """Why `site_url` cannot be the public address written into emails, or None if it can."""
    parts = urlsplit(site_url or "")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        return "it has no host name"
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return "it names this machine (localhost)"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    if address is not None and (address.is_loopback or address.is_unspecified):
        return "it is a loopback address"
    if parts.scheme != "https":
        return "it is not https"
    return None


@register(Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs):
    """SITE_URL is the base of every link in emails: outside DEBUG it must be the public https URL."""
    if settings.DEBUG:
        return []
    site_url = getattr(settings, "SITE_URL", "")
    problem = site_url_problem(site_url)
    if problem is None:
        return []
    return [
        Warning(
            f"SITE_URL is {site_url!r}: {problem}. Emails' tracking links would point there.",
            hint="Set SITE_URL to the site's public https address, e.g. https://tawasul.example.gov.ma.",
            id="tawasul.W001",
        )
    ]


@register(Tags.security)
def check_proxy_count_names(app_configs=None, **kwargs):
    """PROXY_COUNT replaced API_NUM_PROXIES (settings: TRUSTED_PROXY_COUNT); both set and different is
    a configuration nobody can read right, and a count too high lets a client choose its address."""
    values = {name: os.environ.get(name, "").strip() for name in ("PROXY_COUNT", "API_NUM_PROXIES")}
    if not all(values.values()) or values["PROXY_COUNT"].lstrip("0") == values["API_NUM_PROXIES"].lstrip("0"):
        return []
    return [
        Error(
            f"PROXY_COUNT={values['PROXY_COUNT']} and API_NUM_PROXIES={values['API_NUM_PROXIES']} disagree.",
            hint="Set PROXY_COUNT only (the number of reverse proxies in front); API_NUM_PROXIES is its former name.",
            id="tawasul.E001",
        )
    ]
