"""Tracking a case and acting on it as its requester (issue 3, "Tracking without an account").

Portal-agnostic: a case is looked up by the case core (`case_track`, `case_by_token`), and its
labels come from the workflow its portal registered; what only one portal has (a complaint's
subject and rating) is added by a small function per portal (`PORTAL_DETAILS`). Information
requests will get the same endpoints by adding theirs.

- `POST /api/v1/track/` with the reference and the email (or phone) given at filing: the public
  view, or a 404 whose status and body are the same for an unknown reference and a wrong contact
  (the case core also spends the same work on both). Throttled per client (`track` scope).
- `/api/v1/cases/<reference>/...` act for the requester, proven by the tracking secret in the
  `Authorization: Tracking <reference>:<token>` header (`tawasul.api.proof`).
- Attachment links in a public view carry a signature valid `API_DOWNLOAD_LINK_MAX_AGE` seconds,
  obtainable only with a proof (contact or secret); the tracking header works too.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import ISO_8601, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings

from tawasul.cases.actors import Actor
from tawasul.cases.models import Attachment, Case, Message
from tawasul.cases.selectors import case_public_history, case_track
from tawasul.cases.services import CaseActionRefused, case_add_attachment, case_add_message, case_transition
from tawasul.cases.workflow import get_workflow
from tawasul.complaints import services as complaint_services
from tawasul.complaints.models import Complaint, Kind
from tawasul.complaints.workflow import PORTAL as COMPLAINTS
from tawasul.core.calendar import local_date
from tawasul.core.references import format_for_speech, parse_reference
from tawasul.core.uploads import UploadRejected

from .base import ApiView
from .errors import CaseNotFound, Conflict, ErrorResponseSerializer, validation_error_from_django
from .fields import FieldTemplatesMixin, StrictCharField, StrictEmailField, StrictIntegerField, StrictSerializer
from .proof import TrackingProofAuthentication, proven_case

__all__ = ["CaseDetailView", "TrackView", "public_case_view"]

DOWNLOAD_SALT = "tawasul.api.attachment-download"
#: Longest text a requester sends in one message, reason or comment (the web form's bound).
MESSAGE_MAX_CHARS = 5000
RATING_COMMENT_MAX_CHARS = 2000

NOT_FOUND = OpenApiResponse(ErrorResponseSerializer, description="No such case for this proof (always the same body).")
INVALID = OpenApiResponse(ErrorResponseSerializer, description="Invalid body; nothing was stored.")
CONFLICT = OpenApiResponse(ErrorResponseSerializer, description="Not possible in the case's current state.")
THROTTLED = OpenApiResponse(ErrorResponseSerializer, description="Too many requests from this client.")

#: Events of the case core that are not transitions of a workflow table.
CORE_EVENT_LABELS = {
    "submitted": _("Request received"),
    "attachment_added": _("Document added"),
    "rated": _("Answer rated"),
    "escalated": _("Escalated"),
}


# --- The public view --------------------------------------------------------------------------


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="pdf, image, office or video")
    mime = serializers.CharField()
    size = serializers.IntegerField()
    uploaded_at = serializers.DateTimeField()
    by = serializers.CharField(help_text="requester, administration or system")
    url = serializers.CharField(help_text="Download link (signed, valid for a limited time).")


class TimelineEventSerializer(serializers.Serializer):
    """One public step of a request's history, as every portal shows it to its requester."""

    at = serializers.DateTimeField()
    type = serializers.ChoiceField(choices=["event", "message"])
    action = serializers.CharField()
    label = serializers.CharField()
    status = serializers.CharField(allow_blank=True)
    status_label = serializers.CharField(allow_blank=True)
    by = serializers.CharField(help_text="requester, administration or system: never a staff member's name")
    body = serializers.CharField(allow_blank=True)


class TimelineEntrySerializer(TimelineEventSerializer):
    attachments = serializers.ListField(child=serializers.IntegerField(), help_text="ids in `attachments`")


class AdministrationRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class ComplaintDetailsSerializer(serializers.Serializer):
    kind_label = serializers.CharField()
    subject = serializers.CharField()
    sub_subject = serializers.CharField(allow_null=True)
    satisfaction = serializers.IntegerField(allow_null=True)
    reopen_until = serializers.DateTimeField(allow_null=True)


class PublicCaseSerializer(serializers.Serializer):
    reference = serializers.CharField()
    reference_spoken = serializers.CharField()
    portal = serializers.CharField()
    kind = serializers.CharField()
    administration = AdministrationRefSerializer()
    channel = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    first_action_due = serializers.DateField(allow_null=True)
    answer_due = serializers.DateField(allow_null=True)
    answered_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    is_waiting_for_requester = serializers.BooleanField()
    actions = serializers.ListField(
        child=serializers.ChoiceField(choices=["message", "attachment", "provide_information", "rate", "reopen"]),
        help_text="What the requester may do now (with the tracking secret).",
    )
    timeline = TimelineEntrySerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    details = ComplaintDetailsSerializer(allow_null=True, help_text="Portal-specific details (complaints).")


#: A complaint's kinds and a message's kind labels (lazy: translated when shown). An enum's
#: `.values` and `.choices` are built again at every read (issue 7: ~4 % of a tracking answer).
_KINDS = frozenset(Kind.values)
_MESSAGE_LABELS = dict(Message.Kind.choices)


def _complaint_details(case: Case) -> dict | None:
    try:
        complaint = case.complaint  # joined by the look-up (PORTAL_RELATED), else one query
    except Complaint.DoesNotExist:
        return None
    language = translation.get_language()
    return {
        "kind_label": str(Kind(case.kind).label) if case.kind in _KINDS else case.kind,
        "subject": complaint.subject.name(language),
        "sub_subject": complaint.sub_subject.name(language) if complaint.sub_subject else None,
        "satisfaction": complaint.satisfaction,
        "reopen_until": complaint_services.reopen_deadline(case),
    }


def _complaint_actions(case: Case) -> list[str]:
    actions = []
    if complaint_services.can_rate(case):
        actions.append("rate")
    if complaint_services.can_reopen(case):
        actions.append("reopen")
    return actions


#: portal → (details, extra requester actions)
PORTAL_DETAILS = {COMPLAINTS: (_complaint_details, _complaint_actions)}
#: What each portal's details read, joined to the case by its look-up (issue 7: one SELECT)...
PORTAL_RELATED = {COMPLAINTS: ("complaint__subject", "complaint__sub_subject")}
TRACK_RELATED = tuple(name for names in PORTAL_RELATED.values() for name in names)
_NAMES = ("name_ar", "name_fr", "name_zgh", "name_en")
#: ... and the only columns `public_case_view` reads, for `POST /track/` (issue 7: a third of the
#: case's columns; the look-up's query budget test fails if the view reads one more).
PORTAL_COLUMNS = {
    COMPLAINTS: (
        "complaint__satisfaction",
        *(f"complaint__subject__{name}" for name in _NAMES),
        *(f"complaint__sub_subject__{name}" for name in _NAMES),
    )
}
PUBLIC_COLUMNS = (
    *("reference", "portal", "kind", "channel", "status", "received_at", "first_action_due_at", "answer_due_at"),
    *("answered_at", "closed_at", "paused_at", "reopen_count", "administration__code"),
    *(f"administration__{name}" for name in _NAMES),
    *(column for columns in PORTAL_COLUMNS.values() for column in columns),
)


def _requester_actions(case: Case) -> list[str]:
    workflow = get_workflow(case.portal)
    actions = []
    if case.status not in workflow.closed_statuses:
        actions += ["message", "attachment"]
    if workflow.find(case.status, "provide_information") is not None:
        actions.append("provide_information")
    extra = PORTAL_DETAILS.get(case.portal)
    if extra is not None:
        actions += extra[1](case)
    return actions


def download_signature(case: Case, attachment: Attachment) -> str:
    return signing.TimestampSigner(salt=DOWNLOAD_SALT).sign(f"{case.pk}.{attachment.pk}")


def _download_url(request, case: Case, attachment: Attachment) -> str:
    path = reverse("api:case_attachment", kwargs={"reference": case.reference, "attachment_id": attachment.pk})
    return request.build_absolute_uri(f"{path}?signature={download_signature(case, attachment)}")


def _public_by(role: str) -> str:
    return role if role in ("requester", "system") else "administration"


# The public view is built as plain JSON values with the serializers' own field formatting
# (issue 7: building `PublicCaseSerializer` and its nested fields cost more than the queries).
# `PublicCaseSerializer` stays the documented shape (OpenAPI) and the tests compare the two.
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def _datetime(value, tz=None) -> str | None:
    """`DateTimeField().to_representation(value)`; with `tz` (the current time zone, looked up
    once per view by `_output_timezone`) an aware datetime takes the same steps without the
    field's per-call look-ups of the settings and the time zone (issue 7: ~4 % of tracking)."""
    if value is None:
        return None
    if tz is not None and type(value) is datetime.datetime and value.tzinfo is not None:
        text = value.astimezone(tz).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text
    return _DATETIME.to_representation(value)


def _output_timezone():
    """The zone `_datetime`'s quick path converts to, or None when DRF's settings ask for
    something else than aware ISO 8601 output (then every value takes the field's own path)."""
    if not settings.USE_TZ or str(api_settings.DATETIME_FORMAT).lower() != ISO_8601:
        return None
    return timezone.get_current_timezone()


def _public_details(case: Case) -> dict | None:
    extra = PORTAL_DETAILS.get(case.portal)
    details = extra[0](case) if extra is not None else None
    if details is None:
        return None
    satisfaction = details["satisfaction"]
    return {
        "kind_label": str(details["kind_label"]),
        "subject": str(details["subject"]),
        "sub_subject": str(details["sub_subject"]) if details["sub_subject"] is not None else None,
        "satisfaction": int(satisfaction) if satisfaction is not None else None,
        "reopen_until": _datetime(details["reopen_until"]),
    }


def public_case_view(request, case: Case) -> dict:
    """What the requester may see of `case`: no internal note, no internal file, no staff name.
    The shape is `PublicCaseSerializer`'s."""
    workflow = get_workflow(case.portal)
    action_labels = {t.action: t.label for t in workflow.transitions if t.label}
    message_labels = _MESSAGE_LABELS
    entries, attachments = case_public_history(case)
    tz = _output_timezone()
    translated: dict[str, str] = {}  # the same labels recur along a timeline; one language per request

    def gettext(text) -> str:
        try:
            return translated[text]
        except KeyError:
            value = translated[text] = _gettext(text)
            return value

    timeline = []
    for entry in entries:
        if entry.type == "event":
            label = gettext(action_labels[entry.action]) if entry.action in action_labels else None
            label = label or str(CORE_EVENT_LABELS.get(entry.action, entry.action.replace("_", " ")))
        else:
            label = str(message_labels.get(entry.action, entry.action))
        timeline.append(
            {
                "at": _datetime(entry.at, tz),
                "type": entry.type,
                "action": str(entry.action),
                "label": str(label),
                "status": str(entry.status),
                "status_label": gettext(workflow.status_label(entry.status)) if entry.status else "",
                "by": str(entry.by),
                "body": str(entry.body),
                "attachments": [int(attachment.pk) for attachment in entry.attachments],
            }
        )
    return {
        "reference": case.reference,
        "reference_spoken": format_for_speech(case.reference),
        "portal": str(case.portal),
        "kind": str(case.kind),
        "administration": {"code": str(case.administration.code), "name": str(case.administration.name())},
        "channel": str(case.channel),
        "status": str(case.status),
        "status_label": gettext(workflow.status_label(case.status)),
        "submitted_at": _datetime(case.received_at, tz),
        "first_action_due": _DATE.to_representation(local_date(case.first_action_due_at))
        if case.first_action_due_at
        else None,
        "answer_due": _DATE.to_representation(local_date(case.answer_due_at)) if case.answer_due_at else None,
        "answered_at": _datetime(case.answered_at, tz),
        "closed_at": _datetime(case.closed_at, tz),
        "is_waiting_for_requester": case.paused_at is not None,
        "actions": _requester_actions(case),
        "timeline": timeline,
        "attachments": [
            {
                "id": int(attachment.pk),
                "name": str(attachment.display_name),
                "kind": str(attachment.kind),
                "mime": str(attachment.mime),
                "size": int(attachment.size),
                "uploaded_at": _datetime(attachment.created_at, tz),
                "by": _public_by(attachment.uploaded_by_role),
                "url": _download_url(request, case, attachment),
            }
            for attachment in attachments
        ],
        "details": _public_details(case),
    }


# --- Tracking with the contact ----------------------------------------------------------------


class TrackSerializer(FieldTemplatesMixin, StrictSerializer):
    reference = StrictCharField(max_length=40, help_text="For example CHK-2026-0004312-K.")
    email = StrictEmailField(max_length=254, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True)

    def validate(self, attrs):
        email, phone = attrs.get("email", "").strip(), attrs.get("phone", "").strip()
        if bool(email) == bool(phone):
            raise serializers.ValidationError(
                {"email": [_("Give either the email address or the phone number given when filing.")]}
            )
        attrs["contact"] = email or phone
        return attrs


class TrackView(ApiView):
    throttle_scope = "track"

    @extend_schema(
        operation_id="case_track",
        summary="Track a case with its reference and the email or phone given at filing",
        request=TrackSerializer,
        responses={200: PublicCaseSerializer, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED},
        tags=["tracking"],
    )
    def post(self, request):
        serializer = TrackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_track(
            serializer.validated_data["reference"],
            serializer.validated_data["contact"],
            related=TRACK_RELATED,
            only=PUBLIC_COLUMNS,
            with_history=True,
        )
        if case is None:
            raise CaseNotFound()
        return Response(public_case_view(request, case))


# --- Acting as the requester (tracking secret) ------------------------------------------------


class RequesterView(ApiView):
    authentication_classes = [TrackingProofAuthentication]
    throttle_scope = "requester"

    def proven(self, request, reference: str) -> Case:
        return proven_case(request, reference)

    def answer(self, request, case: Case, *, created: bool = False) -> Response:
        case.refresh_from_db()
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(public_case_view(request, case), status=code)


def _service_error(exc: Exception, *, field: str):
    if isinstance(exc, DjangoValidationError):
        return validation_error_from_django(exc, field_for_code={"empty_message": field, "note_required": field})
    if isinstance(exc, UploadRejected):
        return serializers.ValidationError({"file": [exc.message]})
    return Conflict()


REFERENCE_PARAM = OpenApiParameter("reference", OpenApiTypes.STR, OpenApiParameter.PATH)
#: The tracking secret is required (a missing one answers the same 404 as a wrong one).
PROOF = [{"trackingProof": []}]


class CaseDetailView(RequesterView):
    @extend_schema(
        operation_id="case_detail",
        summary="The public view of a case, for its requester",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        responses={200: PublicCaseSerializer, 404: NOT_FOUND, 429: THROTTLED},
        tags=["tracking"],
    )
    def get(self, request, reference):
        return Response(public_case_view(request, self.proven(request, reference)))


class TextSerializer(StrictSerializer):
    body = StrictCharField(max_length=MESSAGE_MAX_CHARS)


class CaseMessageView(RequesterView):
    @extend_schema(
        operation_id="case_message",
        summary="Send a message to the administration",
        description="While the administration waits for information (`provide_information` in `actions`), "
        "the message is that information and the clock resumes, as with `/information/`.",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        request=TextSerializer,
        responses={201: PublicCaseSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        tags=["requester actions"],
    )
    def post(self, request, reference):
        case = self.proven(request, reference)
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        body = serializer.validated_data["body"]
        actor = Actor.requester(case)
        try:
            if get_workflow(case.portal).find(case.status, "provide_information") is not None:
                case_transition(case=case, action="provide_information", actor=actor, note=body)
            else:
                case_add_message(case=case, actor=actor, kind=Message.Kind.CITIZEN_MESSAGE, body=body)
        except (CaseActionRefused, DjangoValidationError) as exc:
            raise _service_error(exc, field="body") from None
        return self.answer(request, case, created=True)


class CaseInformationView(RequesterView):
    @extend_schema(
        operation_id="case_provide_information",
        summary="Give the information the administration asked for (the clock resumes)",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        request=TextSerializer,
        responses={200: PublicCaseSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        tags=["requester actions"],
    )
    def post(self, request, reference):
        case = self.proven(request, reference)
        serializer = TextSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            note = serializer.validated_data["body"]
            case_transition(case=case, action="provide_information", actor=Actor.requester(case), note=note)
        except (CaseActionRefused, DjangoValidationError) as exc:
            if isinstance(exc, CaseActionRefused):
                raise Conflict(_("The administration is not waiting for information on this request.")) from None
            raise _service_error(exc, field="body") from None
        return self.answer(request, case)


class UploadSerializer(StrictSerializer):
    file = serializers.FileField(allow_empty_file=True, max_length=255)


class CaseAttachmentUploadView(RequesterView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="case_attachment_add",
        summary="Add one document to an open case (multipart/form-data, field `file`)",
        description="PDF, JPEG/PNG/WebP, DOCX/XLSX/ODT/ODS or MP4; the type is read from the content. A refused "
        "file answers 400 with the reason under `file`.",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        request={"multipart/form-data": UploadSerializer},
        responses={201: PublicCaseSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        tags=["requester actions"],
    )
    def post(self, request, reference):
        case = self.proven(request, reference)
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            case_add_attachment(case=case, actor=Actor.requester(case), uploaded_file=serializer.validated_data["file"])
        except (CaseActionRefused, DjangoValidationError, UploadRejected) as exc:
            if isinstance(exc, CaseActionRefused):
                raise Conflict(_("Documents can only be added while the request is open.")) from None
            raise _service_error(exc, field="file") from None
        return self.answer(request, case, created=True)


class CaseAttachmentDownloadView(RequesterView):
    @extend_schema(
        operation_id="case_attachment_download",
        summary="Download a document of the case",
        description="Needs the tracking header or the `signature` of a link from a public view.",
        parameters=[
            REFERENCE_PARAM,
            OpenApiParameter("attachment_id", OpenApiTypes.INT, OpenApiParameter.PATH),
            OpenApiParameter("signature", OpenApiTypes.STR, required=False),
        ],
        responses={
            # The stored media type (PDF, PNG, JPEG, WebP, MP4, an Office document), not octet-stream.
            (200, "*/*"): OpenApiResponse(OpenApiTypes.BINARY, description="The file, with its own media type."),
            404: NOT_FOUND,
            429: THROTTLED,
        },
        tags=["tracking"],
    )
    def get(self, request, reference, attachment_id):
        case = self._case(request, reference, attachment_id)
        attachment = Attachment.objects.filter(case=case, pk=attachment_id, is_public=True).first()
        if attachment is None:
            raise CaseNotFound()
        try:
            stored = default_storage.open(attachment.storage_name, "rb")
        except FileNotFoundError:
            raise CaseNotFound() from None
        response = FileResponse(
            stored,
            as_attachment=True,
            filename=attachment.display_name,
            content_type=attachment.mime,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response

    def _case(self, request, reference: str, pk: int) -> Case:
        if isinstance(getattr(request, "auth", None), Case):
            return self.proven(request, reference)
        parsed = parse_reference(reference or "")
        case = Case.objects.filter(reference=str(parsed)).first() if parsed is not None else None
        signature = request.query_params.get("signature", "")[:200]
        try:
            value = signing.TimestampSigner(salt=DOWNLOAD_SALT).unsign(
                signature, max_age=settings.API_DOWNLOAD_LINK_MAX_AGE
            )
        except signing.BadSignature:
            raise CaseNotFound() from None
        if case is None or value != f"{case.pk}.{pk}":
            raise CaseNotFound()
        return case


class RatingSerializer(StrictSerializer):
    satisfaction = StrictIntegerField(min_value=1, max_value=5)
    comment = StrictCharField(max_length=RATING_COMMENT_MAX_CHARS, required=False, allow_blank=True)


class CaseRatingView(RequesterView):
    @extend_schema(
        operation_id="case_rate",
        summary="Rate the answer from 1 to 5 (complaints); a new rating replaces the old one",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        request=RatingSerializer,
        responses={200: PublicCaseSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        tags=["requester actions"],
    )
    def post(self, request, reference):
        case = self.proven(request, reference)
        if case.portal != COMPLAINTS:
            raise CaseNotFound()
        serializer = RatingSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not complaint_services.can_rate(case):
            raise Conflict(_("The answer can be rated once the administration has answered."))
        try:
            complaint_services.complaint_rate(
                case=case,
                actor=Actor.requester(case),
                satisfaction=serializer.validated_data["satisfaction"],
                comment=serializer.validated_data.get("comment", ""),
            )
        except (CaseActionRefused, DjangoValidationError) as exc:
            raise _service_error(exc, field="satisfaction") from None
        return self.answer(request, case)


class ReopenSerializer(StrictSerializer):
    reason = StrictCharField(max_length=MESSAGE_MAX_CHARS)


class CaseReopenView(RequesterView):
    @extend_schema(
        operation_id="case_reopen",
        summary="Send the case back to the administration after its answer (complaints; once, within the window)",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        request=ReopenSerializer,
        responses={200: PublicCaseSerializer, 400: INVALID, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        tags=["requester actions"],
    )
    def post(self, request, reference):
        case = self.proven(request, reference)
        if case.portal != COMPLAINTS:
            raise CaseNotFound()
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if not complaint_services.can_reopen(case):
            raise Conflict(_("This complaint can no longer be reopened."))
        try:
            complaint_services.complaint_reopen(
                case=case, actor=Actor.requester(case), reason=serializer.validated_data["reason"]
            )
        except CaseActionRefused:
            raise Conflict(_("This complaint can no longer be reopened.")) from None
        except DjangoValidationError as exc:
            raise _service_error(exc, field="reason") from None
        return self.answer(request, case)
