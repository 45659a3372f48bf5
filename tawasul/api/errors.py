"""One error shape for the whole API, and the handler that produces it (ARCHITECTURE.md §1:
"explicit error serializers"; issue 3: "validation errors are 400 with field-level messages,
never 500").

Every error response is `{"errors": {"<key>": ["<message>", ...]}}`, messages in the language of
the request's Accept-Language header (activated by `tawasul.api.base.ApiView`):

- 400: the keys are the fields of the body (`description`, `email`, `Idempotency-Key` for the
  header...), nested fields as `parent.child`; `non_field_errors` for what concerns the whole body
  (malformed JSON, a JSON array instead of an object, inconsistent fields).
- Other statuses (404, 405, 409, 413, 415, 429): the key is `detail`.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import set_rollback

from tawasul.core.uploads import UploadRejected

__all__ = [
    "NON_FIELD",
    "CaseNotFound",
    "Conflict",
    "ErrorResponseSerializer",
    "error_body",
    "exception_handler",
    "validation_error_from_django",
]

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY  # "non_field_errors"


class ErrorResponseSerializer(serializers.Serializer):
    """The body of every error response."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per field; `non_field_errors` for the whole body, `detail` for non-validation errors.",
    )


class CaseNotFound(exceptions.NotFound):
    """The one answer for an unknown reference, a wrong contact, a wrong or missing tracking
    secret: the same status and body, so none of them tells whether a reference exists."""

    default_detail = _("No request matches these details. Check the reference and the contact you gave.")
    default_code = "not_found"


class Conflict(exceptions.APIException):
    """The request is well formed but the case's state refuses it (closed, not answered yet...)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This action is not possible on this request now.")
    default_code = "conflict"


def error_body(errors: Mapping[str, list[str]]) -> dict:
    return {"errors": {key: [str(message) for message in messages] for key, messages in errors.items()}}


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field.sub": [messages]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            for name, messages in _flatten(value, f"{prefix}.{key}" if prefix else str(key)).items():
                flat.setdefault(name, []).extend(messages)
    elif isinstance(detail, list):
        if all(not isinstance(item, (Mapping, list)) for item in detail):
            flat[prefix or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                for name, messages in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                    flat.setdefault(name, []).extend(messages)
    else:
        flat[prefix or NON_FIELD] = [str(detail)]
    return flat


def validation_error_from_django(exc: DjangoValidationError, *, field_for_code: Mapping[str, str] | None = None):
    """A DRF ValidationError from a Django one (a service's or a model's `full_clean`)."""
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(
            {(NON_FIELD if name == "__all__" else name): messages for name, messages in exc.message_dict.items()}
        )
    errors: dict[str, list[str]] = {}
    for error in exc.error_list:
        key = (field_for_code or {}).get(error.code or "", NON_FIELD)
        errors.setdefault(key, []).extend(error.messages)
    return exceptions.ValidationError(errors)


def exception_handler(exc, context):
    """DRF's exception handler, with our error shape and a few more exceptions turned into 4xx."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, UploadRejected):
        exc = exceptions.ValidationError({"file": [exc.message]})
    elif isinstance(exc, DjangoValidationError):
        exc = validation_error_from_django(exc)
    if not isinstance(exc, exceptions.APIException):
        return None  # a bug: let Django log it and answer 500
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = f"{int(exc.wait)}"
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    elif isinstance(exc, exceptions.ParseError):
        errors = {NON_FIELD: [str(exc.detail)]}
    else:
        errors = {"detail": [str(message) for messages in _flatten(exc.detail).values() for message in messages]}
    set_rollback()
    return Response(error_body(errors), status=exc.status_code, headers=headers)
