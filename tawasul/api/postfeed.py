"""`POST /api/v1/post/events/`: the post operator's tracking feed (docs/adr/0042-post-tracking-feed.md).

The post operator's servers push the events of the registered letters that carry civil-status
documents; `tawasul.documents.postfeed.post_events_apply` moves the orders (the rules are there).
This module checks the request: the feed is on (`POST_FEED_KEY` set; otherwise 404, as for any
unknown path), the body is signed (`X-Tawasul-Signature: sha256=<hex>`, the HMAC-SHA256 of the raw
body under that key, compared in constant time; otherwise 403), then the JSON's shape. A batch of
more than 500 events, or a body that is not `{"events": [...]}`, is refused whole (400); an event
of the wrong shape is reported in `ignored` as `malformed` and the others are applied.

The signature is asked of a POST only (`SignedPost`): a GET gets its 405 whether the feed is on
or not. The operation is in the OpenAPI schema only while the feed is on (`FeedSchema`), with the
signature as its security scheme (`postFeedSignature`). A replayed request changes nothing (the
service is idempotent) and gets the same answer.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from tawasul.documents.postfeed import MAX_EVENTS, PostEvent, post_events_apply

from .base import ApiView
from .errors import ErrorResponseSerializer
from .fields import FieldTemplatesMixin, StrictCharField, StrictSerializer

__all__ = ["PostFeedSignature", "PostFeedView", "signature_valid"]

SIGNATURE_HEADER = "X-Tawasul-Signature"
SIGNATURE_PREFIX = "sha256="
#: `request.auth` of a request signed with the feed's key.
SIGNED = "post-feed"
#: Reasons an event is left out (`post_events_apply`'s, and `malformed` for its shape).
REASONS = (
    "malformed",
    "invalid_item",
    "unknown_code",
    "unknown_item",
    "ambiguous_item",
    "not_applicable",
    "no_change",
)


def signature_valid(key: str, body: bytes, header: str) -> bool:
    """Whether `header` is `sha256=<hex>` of the HMAC-SHA256 of `body` under `key` (constant-time
    comparison; the hex digits in either case). An empty key signs nothing."""
    if not key or not header.startswith(SIGNATURE_PREFIX):
        return False
    given = header[len(SIGNATURE_PREFIX) :].strip().lower()
    if not given.isascii():
        return False
    expected = hmac.new(key.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(given.encode("ascii"), expected.encode("ascii"))


class PostFeedSignature(BaseAuthentication):
    """The feed's proof: the body signed with `settings.POST_FEED_KEY`. Sets `request.auth` to
    `SIGNED` (no user). No key configured: 404 (the feature is off); a missing or wrong signature:
    403, never 401 (there is nothing to log in to)."""

    def authenticate(self, request):
        key = settings.POST_FEED_KEY
        if not key:
            raise exceptions.NotFound()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_JSON_BYTES:
            raise exceptions.ParseError(_("The request body is too large."), code="too_large")
        body = request._request.body  # the raw bytes; DRF's parser then reads them from memory
        if not signature_valid(key, body, request.headers.get(SIGNATURE_HEADER, "")):
            raise exceptions.PermissionDenied(_("The signature of the request is missing or wrong."))
        return (None, SIGNED)


class PostFeedSignatureScheme(OpenApiAuthenticationExtension):
    target_class = "tawasul.api.postfeed.PostFeedSignature"
    name = "postFeedSignature"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": SIGNATURE_HEADER,
            "description": (
                "`sha256=<hex>`: the HMAC-SHA256 of the raw request body under the key shared with the "
                "platform (POST_FEED_KEY), in hexadecimal."
            ),
        }


# --- The body --------------------------------------------------------------------------------------


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time with its offset from UTC (`2026-12-06T10:15:00+01:00`, `...Z`): a time
    without one is ambiguous for a carrier working across time zones."""

    def to_internal_value(self, value):
        if not isinstance(value, str):
            self.fail("invalid", format="ISO 8601")
        try:
            parsed = parse_datetime(value.strip())
        except ValueError:
            parsed = None
        if parsed is None or parsed.tzinfo is None:
            self.fail("invalid", format="YYYY-MM-DDThh:mm[:ss][+HH:MM|Z]")
        return parsed


class PostEventSerializer(FieldTemplatesMixin, StrictSerializer):
    """One event of the carrier's (the API checks each on its own: see the module docstring)."""

    item = StrictCharField(max_length=32, help_text="The item's UPU S10 number, e.g. RR123456785MA.")
    code = StrictCharField(max_length=8, help_text="The event code, e.g. EMI (UPU EMSEVT).")
    at = AwareDateTimeField(help_text="When the event happened, with its offset from UTC.")
    office = StrictCharField(
        max_length=100, required=False, allow_blank=True, help_text="The post office where it happened."
    )
    id = StrictCharField(
        max_length=100,
        required=False,
        allow_blank=True,
        help_text="The carrier's id of the event: an event sent again with the same id changes nothing.",
    )


class PostFeedRequestSerializer(StrictSerializer):
    """The documented body (an event of another shape is reported `malformed`, not refused)."""

    events = serializers.ListField(child=PostEventSerializer(), max_length=MAX_EVENTS)


class _BatchSerializer(StrictSerializer):
    """The body as parsed: the batch's shape here, each event's in `PostEventSerializer`."""

    events = serializers.ListField(child=serializers.JSONField(), max_length=MAX_EVENTS)


class IgnoredEventSerializer(serializers.Serializer):
    index = serializers.IntegerField(help_text="The event's position in `events`, from 0.")
    reason = serializers.ChoiceField(choices=REASONS)


class PostFeedAnswerSerializer(serializers.Serializer):
    applied = serializers.IntegerField(help_text="Events applied, now or by an earlier call.")
    ignored = IgnoredEventSerializer(many=True)


def _events(raw: list) -> tuple[list[PostEvent], list[tuple[int, str]]]:
    events, malformed = [], []
    for index, item in enumerate(raw):
        serializer = PostEventSerializer(data=item)
        if not serializer.is_valid():
            malformed.append((index, "malformed"))
            continue
        data = serializer.validated_data
        events.append(
            PostEvent(
                index=index,
                item=data["item"],
                code=data["code"],
                at=data["at"],
                office=data.get("office", "").strip(),
                id=data.get("id", "").strip(),
            )
        )
    return events, malformed


class SignedPost(BasePermission):
    """A POST must be signed (`PostFeedSignature` answers 404 or 403 itself); other methods go on
    to their 405, the feed on or off."""

    def has_permission(self, request, view):
        return request.method != "POST" or request.auth == SIGNED


class FeedSchema(AutoSchema):
    """The operation is in the OpenAPI schema only when the feed is on: a deployment without it
    documents no endpoint that can only answer 404."""

    def is_excluded(self) -> bool:
        return not settings.POST_FEED_KEY or super().is_excluded()


class PostFeedView(ApiView):
    authentication_classes = [PostFeedSignature]
    permission_classes = [SignedPost]
    throttle_scope = "feed"
    schema = FeedSchema()

    def perform_authentication(self, request):
        """Deferred to `SignedPost` (`request.auth`), so that only a POST is asked for a signature."""

    @extend_schema(
        operation_id="post_events",
        summary="The post operator's tracking events for the registered letters of document orders",
        description=(
            "Signed with the key shared with the platform (`X-Tawasul-Signature: sha256=<hex>`, the HMAC-SHA256 "
            f"of the raw body). At most {MAX_EVENTS} events per call. Each event moves the document order whose "
            "letter has this item number, as an officer would: in transit, delivered, returned to the sender; an "
            "attempted delivery is shown on the order's timeline. An event of the wrong shape, an unknown item or "
            "code, or a move that does not apply (an order already delivered, an older event arriving late) is "
            "listed in `ignored` with its reason, and the others are applied. Sending the same events again "
            "changes nothing and gets the same answer. Answers 404 when the feed is not configured."
        ),
        request=PostFeedRequestSerializer,
        responses={
            200: PostFeedAnswerSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description="Not a batch of events; nothing was applied."),
            403: OpenApiResponse(ErrorResponseSerializer, description="Missing or wrong signature."),
            404: OpenApiResponse(ErrorResponseSerializer, description="The feed is not configured."),
            415: OpenApiResponse(ErrorResponseSerializer, description="The body is not JSON."),
            429: OpenApiResponse(ErrorResponseSerializer, description="Too many requests from this client."),
        },
        tags=["post feed"],
    )
    def post(self, request):
        batch = _BatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        events, malformed = _events(batch.validated_data["events"])
        result = post_events_apply(events=events)
        ignored = sorted(result.ignored + malformed)
        return Response(
            {"applied": result.applied, "ignored": [{"index": index, "reason": reason} for index, reason in ignored]}
        )
