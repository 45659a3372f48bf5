"""The API's language, for every answer under /api/ (the first layer of `settings.API_MIDDLEWARE`).

An API client says which language it wants in each request's `Accept-Language`: cookies and
sessions are ignored. The best of our languages (ar, fr, zgh, en) is active from the first
line of the request to the last, so that every message — throttling, parse errors, the JSON 404,
the 503 of a database outage, the docs page — is in it, and the answer says which it is
(`Content-Language`, `Vary: Accept-Language`). Django's `LocaleMiddleware` does the same for the
HTML portals, with their URL prefixes and cookie, at ~5 % of an API look-up's CPU (issue 7).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

__all__ = ["ApiLanguageMiddleware", "language_from_header"]


def language_from_header(header: str) -> str:
    """The best of our languages for an Accept-Language header; Arabic, the platform's default,
    when none matches."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_from_header(request.headers.get("Accept-Language", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language",))
        return response
