"""`/api/`'s own middleware chain (issue 7, docs/adr/0041-api-middleware-chain.md).

Django builds one middleware chain per handler, from `settings.MIDDLEWARE`, and every request
goes through all of it. Half of that chain serves the HTML portals only: sessions, CSRF, the
signed-in user, messages, htmx, allauth, the staff's second factor, the public forms' rate limits,
axes' lock-outs, WhiteNoise's static files and the page-view counter. The JSON API uses none of
them: it has no session and no signed-in user (`REST_FRAMEWORK["DEFAULT_AUTHENTICATION_CLASSES"]`
is empty), so it needs no CSRF token; it has its own throttles; it serves no static file and its
answers are not page views. Running them cost ~0.25 ms of CPU per API request, an eighth of a
tracking look-up (bench/README.md).

`ApiChainMiddleware` stands first in `MIDDLEWARE`. A request whose path starts with `API_PREFIX`
goes through the chain of `API_MIDDLEWARE` (built once, like Django's own) and then its view;
any other request goes on through the rest of `MIDDLEWARE` as before. Both chains start with the
same security layers. `tests/security/test_api_chain.py` checks, layer by layer, that what the
API does not run cannot be used against it (a staff session cookie grants nothing, no cookie is
set, the 503 on a database outage and the security headers are still there).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.core.handlers.base import BaseHandler
from django.core.handlers.exception import convert_exception_to_response
from django.utils.module_loading import import_string

API_PREFIX = "/api/"


class ApiHandler(BaseHandler):
    """Django's request handler (URL resolution, view middleware, the view, exception middleware)
    under the chain of `middleware_paths` instead of `settings.MIDDLEWARE`. Synchronous only, as
    the platform is served (gunicorn, WSGI)."""

    def __init__(self, middleware_paths):
        super().__init__()
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for path in reversed(middleware_paths):  # as BaseHandler.load_middleware, innermost first
            try:
                middleware = import_string(path)(handler)
            except MiddlewareNotUsed:
                continue
            if hasattr(middleware, "process_view"):
                self._view_middleware.insert(0, middleware.process_view)
            if hasattr(middleware, "process_template_response"):
                self._template_response_middleware.append(middleware.process_template_response)
            if hasattr(middleware, "process_exception"):
                self._exception_middleware.append(middleware.process_exception)
            handler = convert_exception_to_response(middleware)
        self._middleware_chain = handler


class ApiChainMiddleware:
    sync_capable = True
    async_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        self.api = ApiHandler(settings.API_MIDDLEWARE)._middleware_chain

    def __call__(self, request):
        if request.path_info.startswith(API_PREFIX):
            return self.api(request)
        return self.get_response(request)
