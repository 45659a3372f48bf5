"""What every filing endpoint of the API shares (complaints, information requests, document
orders): the answer to a new filing and to a retry with the same `Idempotency-Key`, and its
OpenAPI description. The secret tracking link is `tawasul.cases.links.tracking_url_builder`."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse
from rest_framework import status
from rest_framework.response import Response

from .errors import Conflict, ErrorResponseSerializer


def filing_response(case, data, *, portal: str, receipt: Callable) -> Response:
    """201 with the receipt of a case filed now. A retry with the same key gets the same receipt
    (200, without the tracking token) only from the same requester on the same portal: anyone
    else who happened on the key gets 409 and learns nothing about the case."""
    if case.was_created:
        return Response(receipt(case), status=status.HTTP_201_CREATED)
    same = (case.email or "") == data.get("email", "") and (case.phone or "") == data.get("phone", "")
    if case.portal != portal or not same:
        raise Conflict(_("This Idempotency-Key was already used for another request: use a new key."))
    return Response(receipt(case), status=status.HTTP_200_OK)


def filing_responses(receipt_serializer, *, again: str) -> dict:
    """The OpenAPI answers of a filing endpoint: `again` describes the 200 of a retry."""
    return {
        201: receipt_serializer,
        200: OpenApiResponse(receipt_serializer, description=again),
        409: OpenApiResponse(ErrorResponseSerializer, description="The key was used by another requester."),
    }
