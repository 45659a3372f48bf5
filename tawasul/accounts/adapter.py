"""allauth's adapter: only the client's address is ours (tawasul.core.clientaddress), so that
allauth's login and sign-up rate limits count per client behind a reverse proxy, like axes,
django-ratelimit and the API throttles."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from tawasul.core.clientaddress import client_address


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        address = client_address(request)
        if not address:  # as allauth's own: no address, no request (gunicorn on a Unix socket)
            raise PermissionDenied("Unable to determine client IP address")
        return address
