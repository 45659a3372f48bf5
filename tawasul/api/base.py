"""The base of every API view: the request's language, JSON in and out, a throttle scope."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.views import APIView

from .throttles import ScopedIPThrottle

__all__ = ["ApiView", "language_from_header"]


def language_from_header(header: str) -> str:
    """The best of our languages (ar, fr, zgh, en) for an Accept-Language header; Arabic, the
    platform's default, when none matches. Cookies and sessions are ignored: an API client says
    what it wants in every request."""
    for code, _quality in parse_accept_lang_header(header or ""):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return settings.LANGUAGE_CODE


class ApiView(APIView):
    throttle_classes = [ScopedIPThrottle]
    throttle_scope: str | None = None

    def initial(self, request, *args, **kwargs):
        # First, so that every message of this request — throttling and parse errors included —
        # is in the client's language.
        language = language_from_header(request.headers.get("Accept-Language", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language()
        patch_vary_headers(response, ("Accept-Language",))
        response.setdefault("Cache-Control", "no-store")
        return response
