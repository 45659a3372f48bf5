"""Access-to-information requests over JSON: `POST /api/v1/information-requests/` (law 31-13).

Same contract and proof as `POST /api/v1/complaints/` (`tawasul.api.complaints`): strict JSON,
an optional `Idempotency-Key` header, the `submit` throttle, the same error bodies; the answer
carries the reference, the legal answer date and, once, the tracking secret. Tracking goes
through the portal-generic `POST /api/v1/track/` and `/api/v1/cases/<reference>/`. The view
checks the shape and calls the web form's service, `info_request_submit` (ARCHITECTURE.md
§3.5), on the `mobile_app` channel. Field rules: DOMAIN.md R1 and R10.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from tawasul.accounts.validators import normalize_cin, normalize_phone
from tawasul.cases.actors import Actor
from tawasul.cases.links import tracking_url_builder
from tawasul.cases.workflow import REQUESTER
from tawasul.information.forms import DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS
from tawasul.information.models import DeliveryMode, DocumentKind, RequesterType
from tawasul.information.recourse import recourse_for
from tawasul.information.services import info_request_submit
from tawasul.information.workflow import PORTAL
from tawasul.registry.selectors import administrations_joined

from .base import ApiView
from .complaints import (
    ERRORS,
    IDEMPOTENCY_HEADER,
    ComplaintReceiptSerializer,
    _check_idempotency_key,
    complaint_receipt,
    idempotency_parameter,
)
from .errors import validation_error_from_django
from .fields import StrictBooleanField, StrictCharField, StrictEmailField, StrictSerializer
from .filing import filing_response, filing_responses
from .tracking import NOT_FOUND, PROOF, REFERENCE_PARAM, THROTTLED, RequesterView

__all__ = ["InformationRecourseView", "InformationRequestCreateView"]

_FIELD_FOR_CODE = {
    "contact_required": "email",
    "invalid_phone": "phone",
    "invalid_cin": "id_number",
    "id_required": "id_number",
    "urgency_reason_required": "urgency_reason",
    "invalid_period": "period_to",
    "invalid_delivery": "delivery_mode",
}


class InformationRequestCreateSerializer(StrictSerializer):
    administration = StrictCharField(max_length=64, help_text="Code of the body (see /administrations/).")
    is_urgent = StrictBooleanField(default=False, help_text="Art. 17: life, safety or freedom of persons.")
    urgency_reason = StrictCharField(max_length=2000, required=False, allow_blank=True)
    subject = StrictCharField(max_length=255)
    description = StrictCharField(min_length=DESCRIPTION_MIN_CHARS, max_length=DESCRIPTION_MAX_CHARS)
    period_from = serializers.DateField(required=False, allow_null=True)
    period_to = serializers.DateField(required=False, allow_null=True)
    document_kinds = serializers.ListField(
        child=serializers.ChoiceField(choices=DocumentKind.choices), required=False, max_length=len(DocumentKind)
    )
    delivery_mode = serializers.ChoiceField(choices=DeliveryMode.choices)
    requester_type = serializers.ChoiceField(choices=RequesterType.choices)
    first_name = StrictCharField(max_length=100)
    last_name = StrictCharField(max_length=100)
    id_number = StrictCharField(
        max_length=32, help_text="CIN for a Moroccan citizen; residence-document number for a foreign resident."
    )
    address = StrictCharField(max_length=300)
    email = StrictEmailField(max_length=254, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True, help_text="For example 0612345678.")
    publish_consent = StrictBooleanField(
        default=False, help_text="The answer may be published in the public register, without personal data."
    )
    lawful_use_undertaking = StrictBooleanField(help_text="Art. 6: lawful use and reuse; must be true.")
    consent = StrictBooleanField(help_text="Consent to the processing of personal data (law 09-08); must be true.")
    language = serializers.ChoiceField(choices=["ar", "fr", "zgh", "en"], required=False)

    def validate_administration(self, value):
        administration = administrations_joined().filter(code=value.strip()).first()
        if administration is None:
            raise serializers.ValidationError(_("No administration on the platform has this code."))
        return administration

    def validate_email(self, value):
        return value.strip().lower()

    def validate_phone(self, value):
        if not value.strip():
            return ""
        try:
            return normalize_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_consent(self, value):
        if value is not True:
            raise serializers.ValidationError(_("You must accept the processing of your data to send the request."))
        return value

    def validate_lawful_use_undertaking(self, value):
        if value is not True:
            raise serializers.ValidationError(_("You must undertake to use the information lawfully."))
        return value

    def validate(self, attrs):
        errors: dict[str, list] = {}
        for name in ("first_name", "last_name", "subject", "address"):
            attrs[name] = attrs[name].strip()
            if not attrs[name]:
                errors[name] = [_("This field may not be blank.")]
        if attrs["requester_type"] == RequesterType.MA_CITIZEN:
            try:
                attrs["id_number"] = normalize_cin(attrs["id_number"])
            except DjangoValidationError as exc:
                errors["id_number"] = exc.messages
        else:
            attrs["id_number"] = attrs["id_number"].strip().upper()
            if not attrs["id_number"]:
                errors["id_number"] = [_("This field may not be blank.")]
        if attrs.get("is_urgent") and not (attrs.get("urgency_reason") or "").strip():
            errors["urgency_reason"] = [_("Say why the request is urgent.")]
        start, end = attrs.get("period_from"), attrs.get("period_to")
        if start and end and end < start:
            errors["period_to"] = [_("The end of the period is before its start.")]
        if not attrs.get("email") and not attrs.get("phone"):
            errors["email"] = [_("Give an email address or a phone number, so that we can reach you.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class InformationRequestCreateView(ApiView):
    """File a request for information (law 31-13)."""

    throttle_scope = "submit"

    @extend_schema(
        operation_id="information_request_create",
        summary="Submit a request for access to information (law 31-13)",
        description=(
            "Creates the request on the `mobile_app` channel and queues the acknowledgement email. The request "
            "is free (art. 5). `answer_due` is the legal deadline: 20 working days, or 3 days for an urgent "
            "request. Send an `Idempotency-Key` header to make retries safe, as for complaints. Track with "
            "`POST /api/v1/track/`; attachments are added with `POST /api/v1/cases/{reference}/attachments/`."
        ),
        parameters=[idempotency_parameter("request")],
        request=InformationRequestCreateSerializer,
        responses={
            **filing_responses(ComplaintReceiptSerializer, again="Already filed with this key."),
            **ERRORS,
        },
        tags=["information"],
    )
    def post(self, request):
        key = _check_idempotency_key(request.headers.get(IDEMPOTENCY_HEADER))
        serializer = InformationRequestCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            case = info_request_submit(
                actor=Actor(user=None, roles=frozenset({REQUESTER})),
                administration=data["administration"],
                requester_type=data["requester_type"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                id_number=data["id_number"],
                address=data["address"],
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                subject=data["subject"],
                description=data["description"].strip(),
                period_from=data.get("period_from"),
                period_to=data.get("period_to"),
                document_kinds=data.get("document_kinds", []),
                delivery_mode=data["delivery_mode"],
                is_urgent=data["is_urgent"],
                urgency_reason=data.get("urgency_reason", ""),
                publish_consent=data["publish_consent"],
                lawful_use_undertaking=data["lawful_use_undertaking"],
                channel="mobile_app",
                language=data.get("language") or translation.get_language(),
                idempotency_key=key,
                tracking_url_builder=tracking_url_builder(request, "information:track_link"),
            )
        except DjangoValidationError as exc:
            raise validation_error_from_django(exc, field_for_code=_FIELD_FOR_CODE) from None
        return filing_response(case, data, portal=PORTAL, receipt=complaint_receipt)


# --- Recourse routes of a refused request (tracking secret) ------------------------------------


class RecourseSerializer(serializers.Serializer):
    refusal = serializers.ChoiceField(
        choices=["refused", "partial", "implicit"], help_text="implicit: the deadline passed without an answer."
    )
    opened_at = serializers.DateTimeField(help_text="The answer, or the end of the answer deadline.")
    head_complaint_until = serializers.DateField(help_text="Last day to complain to the head of the body.")
    head_complaint = serializers.CharField(allow_null=True, help_text="Reference of the complaint to the head.")
    head_answer_due = serializers.DateField(allow_null=True)
    cdai_complaint_until = serializers.DateField(
        allow_null=True, help_text="Last day to complain to the CDAI (known once the head complaint is filed)."
    )
    cdai_complaint = serializers.CharField(allow_null=True)
    cdai_answer_due = serializers.DateField(allow_null=True)
    court_until = serializers.DateField(allow_null=True, help_text="Last day to go to the administrative court.")
    can_file_head_complaint = serializers.BooleanField()
    can_file_cdai_complaint = serializers.BooleanField()


def _day(value):
    from tawasul.core.calendar import local_date

    return local_date(value) if value is not None else None


class InformationRecourseView(RequesterView):
    """The recourse routes of a request with their last dates (law 31-13; DOMAIN.md §1.6)."""

    @extend_schema(
        operation_id="information_request_recourse",
        summary="Recourse routes and their last dates after a refusal (explicit, partial or implicit)",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        responses={
            200: RecourseSerializer,
            204: OpenApiResponse(description="The request is not refused: no recourse is open."),
            404: NOT_FOUND,
            429: THROTTLED,
        },
        tags=["information"],
    )
    def get(self, request, reference):
        case = self.proven(request, reference)
        recourse = recourse_for(case) if case.portal == PORTAL else None
        if recourse is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = {
            "refusal": recourse.refusal,
            "opened_at": recourse.opened_at,
            "head_complaint_until": _day(recourse.head_until),
            "head_complaint": recourse.head_case.reference if recourse.head_case else None,
            "head_answer_due": _day(recourse.head_due),
            "cdai_complaint_until": _day(recourse.cdai_until),
            "cdai_complaint": recourse.cdai_case.reference if recourse.cdai_case else None,
            "cdai_answer_due": _day(recourse.cdai_due),
            "court_until": _day(recourse.court_until),
            "can_file_head_complaint": recourse.can_file_head,
            "can_file_cdai_complaint": recourse.can_file_cdai,
        }
        return Response(RecourseSerializer(data).data)
