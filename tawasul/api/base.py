"""The base of every API view: JSON in and out, a throttle scope, answers never cached. The
request's language is set before the view by `tawasul.api.middleware.ApiLanguageMiddleware`."""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import APIView

from .throttles import ScopedIPThrottle

__all__ = ["ApiView", "JsonNegotiation"]

#: Accept headers that take the JSON renderer at once; each gives what DRF's negotiation gives.
_JSON_ACCEPTS = frozenset({"*/*", "application/json"})


class JsonNegotiation(DefaultContentNegotiation):
    """DRF's content negotiation, which parses the Accept header into media types and ranks them
    at every request (~2 % of a tracking look-up, issue 7), answered at once for the headers
    nearly every client sends (none, `*/*`, `application/json`) when JSON is the only renderer.
    Any other header, or a view with more renderers, takes DRF's own path (and its 406)."""

    def select_parser(self, request, parsers):
        """DRF's choice of parser, which parses the parser's and the request's media types at
        every request, answered at once for a body sent as `application/json` to a view whose
        only parser takes it (the API's default); any other case takes DRF's own path."""
        if len(parsers) == 1 and parsers[0].media_type == "application/json" == request.content_type:
            return parsers[0]
        return super().select_parser(request, parsers)

    def select_renderer(self, request, renderers, format_suffix=None):
        if (
            len(renderers) == 1
            and renderers[0].media_type == "application/json"
            and format_suffix is None
            # Without a query string there is no `?format=`: its QueryDict is not built.
            and (not request.META.get("QUERY_STRING") or self.settings.URL_FORMAT_OVERRIDE not in request.query_params)
            and request.META.get("HTTP_ACCEPT", "*/*").strip() in _JSON_ACCEPTS
        ):
            return renderers[0], renderers[0].media_type
        return super().select_renderer(request, renderers, format_suffix)


class ApiView(APIView):
    content_negotiation_class = JsonNegotiation
    throttle_classes = [ScopedIPThrottle]
    throttle_scope: str | None = None

    def perform_authentication(self, request):
        """DRF asks for `request.user` before the view, to run its authenticators at once. A view
        without authenticators (the API has no default one) has nothing to run: `request.user`
        and `request.auth` are still answered if read (both None)."""
        if self.authentication_classes:
            super().perform_authentication(request)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.setdefault("Cache-Control", "no-store")
        return response
