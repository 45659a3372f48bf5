"""How a client proves it acts for the requester of a case: the tracking secret.

The secret (`tracking_token`) is given once, in the 201 answer that created the case (and in the
emailed link). Requests that act for the requester send it in a header:

    Authorization: Tracking <reference>:<token>

(a header rather than the body, so that multipart uploads and GETs carry it the same way and it
never lands in a URL, hence in no access log). A missing header, a wrong secret, an unknown
reference or a secret of another case all get the same 404 (`errors.CaseNotFound`): the API never
says whether a reference exists.
"""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from tawasul.cases.models import Case
from tawasul.cases.selectors import case_by_token
from tawasul.core.references import parse_reference

from .errors import CaseNotFound

__all__ = ["KEYWORD", "TrackingProofAuthentication", "proven_case"]

KEYWORD = "Tracking"
MAX_CREDENTIALS_LENGTH = 200  # a reference (≤ 19) + ":" + a token (43 for 32 bytes) with room to spare


class TrackingProofAuthentication(BaseAuthentication):
    """Sets `request.auth` to the proven `Case` (and `request.user` to None: no account)."""

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode("latin-1").lower() != KEYWORD.lower():
            return None
        if len(parts) != 2 or len(parts[1]) > MAX_CREDENTIALS_LENGTH:
            raise CaseNotFound()
        try:
            credentials = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise CaseNotFound() from None
        reference, _sep, token = credentials.partition(":")
        case = case_by_token(reference, token)
        if case is None:
            raise CaseNotFound()
        return (None, case)

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="tawasul"'


def proven_case(request, reference: str) -> Case:
    """The case of the URL if the request proved it with its tracking secret; else 404."""
    case = getattr(request, "auth", None)
    parsed = parse_reference(reference or "")
    if not isinstance(case, Case) or parsed is None or case.reference != str(parsed):
        raise CaseNotFound()
    return case


class TrackingProofScheme(OpenApiAuthenticationExtension):
    target_class = "tawasul.api.proof.TrackingProofAuthentication"
    name = "trackingProof"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": (
                "`Tracking <reference>:<token>`: the reference and the `tracking_token` returned when the "
                "complaint was filed (also in the emailed tracking link)."
            ),
        }
