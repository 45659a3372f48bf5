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
import json
import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
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
