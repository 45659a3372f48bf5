"""503 instead of 500 when the database is unreachable or the disk is full (issue 8 item 5).

When PostgreSQL restarts or the network drops, a request fails with `OperationalError` or
`InterfaceError` (SQLite: a locked or missing file). That is not a bug of the request: the client
should retry later. `DatabaseUnavailableMiddleware` turns such an exception raised by a view into
a 503 with `Retry-After` (`DATABASE_UNAVAILABLE_RETRY_AFTER` seconds); `server_error` does the
same for an exception raised outside a view (session or authentication middleware), once set as
`handler500` in the root URLconf. The connection is closed so that the next request opens a
fresh one. Nothing was committed: Django rolls back the request's transaction.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import logging
import sys

from csp.constants import HEADER as CSP_HEADER
from csp.constants import HEADER_REPORT_ONLY as CSP_HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as _CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.db import InterfaceError, OperationalError, connections
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseServerError
from django.template import loader
from django.utils.translation import gettext, gettext_noop

logger = logging.getLogger(__name__)

UNAVAILABLE_MESSAGE = gettext_noop("The service is briefly unavailable: nothing was recorded. Try again in a minute.")
DATABASE_ERRORS = (OperationalError, InterfaceError)
#: A full disk or quota (the upload could not be stored) is as temporary as a database restart.
STORAGE_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})


def is_temporary_outage(error: BaseException | None) -> bool:
    if isinstance(error, DATABASE_ERRORS):
        return True
    return isinstance(error, OSError) and error.errno in STORAGE_FULL_ERRNOS


def database_unavailable_response(request, error: BaseException | None = None) -> HttpResponse:
    if error is None or isinstance(error, DATABASE_ERRORS):
        # A broken connection is dropped so that the next request opens a fresh one.
        for connection in connections.all(initialized_only=True):
            with contextlib.suppress(*DATABASE_ERRORS):
                connection.close()
    retry_after = str(getattr(settings, "DATABASE_UNAVAILABLE_RETRY_AFTER", 30))
    if request.path.startswith("/api/"):
        body = {"errors": {"non_field_errors": [gettext(UNAVAILABLE_MESSAGE)]}}
        response = HttpResponse(json.dumps(body, ensure_ascii=False), status=503, content_type="application/json")
    else:
        # Rendered without a request context: the context processors may need the database.
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if is_temporary_outage(exception):
            logger.warning("temporary outage: %s: %s", exception.__class__.__name__, exception)
            return database_unavailable_response(request, exception)
        return None


def server_error(request, template_name: str = "500.html") -> HttpResponse:
    """`handler500`: a 503 with Retry-After when the cause is the database, else a plain 500."""
    error = sys.exc_info()[1]
    if is_temporary_outage(error):
        return database_unavailable_response(request, error)
    try:
        return HttpResponseServerError(loader.render_to_string(template_name))
    except Exception:  # noqa: BLE001 - the error page must not fail in turn
        return HttpResponseServerError(b"<h1>Server Error (500)</h1>", content_type="text/html")


# --- Content-Security-Policy with the static policy built once (issue 7, ADR 0033) -------------------

#: The response attributes through which a view changes its policy (django-csp's decorators).
_CSP_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
#: report_only → the policy string of a response without nonce or per-view change ("" for none).
_STATIC_POLICIES: dict[bool, str] = {}


@receiver(setting_changed)
def _forget_static_policies(*, setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY", "DEBUG"):
        _STATIC_POLICIES.clear()


def _static_policy(report_only: bool) -> str:
    try:
        return _STATIC_POLICIES[report_only]
    except KeyError:
        policy = _STATIC_POLICIES[report_only] = build_policy(report_only=report_only)
        return policy


class CSPMiddleware(_CSPMiddleware):
    """django-csp's middleware (same headers, same rules), which builds the policy of a response
    that used no nonce and no per-view change (every API answer, for one) once per process
    instead of at every response: building it cost ~7 % of a tracking request's CPU (issue 7).
    A response with a nonce or a `csp_update`/`csp_replace`/`csp_override` goes through
    django-csp's own code; `tests/test_csp_middleware.py` checks both give the same headers."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            getattr(response, name, None) is not None for name in _CSP_PER_RESPONSE
        ):
            return super().process_response(request, response)
        if response.status_code in (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND) and settings.DEBUG:
            return response
        for report_only, header, exempt, setting in (
            (False, CSP_HEADER, "_csp_exempt", "CONTENT_SECURITY_POLICY"),
            (True, CSP_HEADER_REPORT_ONLY, "_csp_exempt_ro", "CONTENT_SECURITY_POLICY_REPORT_ONLY"),
        ):
            policy = _static_policy(report_only)
            if not policy or header in response or getattr(response, exempt, False) is not False:
                continue
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            if not request.path_info.startswith(tuple(prefixes)):
                response[header] = policy
        # As django-csp: asking for a nonce once the header is written is an error, not a silent gap.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
