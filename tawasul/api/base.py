"""The base of every API view: JSON in and out, a throttle scope, answers never cached. The
request's language is set before the view by `tawasul.api.middleware.ApiLanguageMiddleware`."""

from __future__ import annotations

from rest_framework.views import APIView

from .throttles import ScopedIPThrottle

__all__ = ["ApiView"]


class ApiView(APIView):
    throttle_classes = [ScopedIPThrottle]
    throttle_scope: str | None = None

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response.setdefault("Cache-Control", "no-store")
        return response
