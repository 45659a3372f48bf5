"""The complaints portal over JSON: filing (`POST /api/v1/complaints/`) and the subject list.

The view checks the shape of the body here and then calls the same service as the web form,
`tawasul.complaints.services.complaint_submit` (ARCHITECTURE.md §3.5), on the `mobile_app`
channel (DOMAIN.md R2 "Channels"). The field rules are the web form's
(`tawasul.complaints.forms`): identity with its document (R2 "Fields", R10 for the CIN and the
phone), an email and/or a phone, consent under law 09-08.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from tawasul.accounts.validators import normalize_cin
from tawasul.cases.actors import Actor
from tawasul.cases.links import tracking_url_builder
from tawasul.cases.models import ComplainantType, IdType
from tawasul.cases.services import normalized_phone
from tawasul.cases.workflow import REQUESTER, get_workflow
from tawasul.complaints.forms import DESCRIPTION_MAX_CHARS, DESCRIPTION_MIN_CHARS
from tawasul.complaints.models import Kind, Subject
from tawasul.complaints.selectors import main_subjects_for, sub_subjects_for
from tawasul.complaints.services import complaint_submit
from tawasul.complaints.workflow import PORTAL
from tawasul.core.calendar import local_date
from tawasul.core.memo import ProcessMemo
from tawasul.core.prepared import PreparedQuery
from tawasul.core.references import format_for_speech
from tawasul.registry.models import Administration, Commune, Province, Region
from tawasul.registry.selectors import administrations_joined

from .base import ApiView
from .errors import ErrorResponseSerializer, validation_error_from_django
from .fields import FieldTemplatesMixin, StrictBooleanField, StrictCharField, StrictEmailField, StrictSerializer
from .filing import filing_response, filing_responses

__all__ = ["ComplaintCreateView", "ComplaintSubjectsView"]

IDEMPOTENCY_HEADER = "Idempotency-Key"
#: Same bound as `cases.Case.idempotency_key` (128 characters); printable ASCII only.
IDEMPOTENCY_KEY_MAX_LENGTH = 128
#: The key as the OpenAPI schema states it: what `_check_idempotency_key` accepts, exactly (1 to 128
#: characters from `!` to `~`, i.e. printable ASCII without spaces; test_schema checks both agree).
IDEMPOTENCY_KEY_SCHEMA = {
    "type": "string",
    "minLength": 1,
    "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
    "pattern": "^[!-~]+$",
}


def idempotency_parameter(what: str) -> OpenApiParameter:
    """The optional `Idempotency-Key` header of a filing endpoint, with its bounds."""
    return OpenApiParameter(
        IDEMPOTENCY_HEADER,
        IDEMPOTENCY_KEY_SCHEMA,
        OpenApiParameter.HEADER,
        required=False,
        description=f"1 to {IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters without spaces, unique per "
        f"{what} (a UUID).",
    )


ERRORS = {
    400: OpenApiResponse(ErrorResponseSerializer, description="Invalid body or header; nothing was stored."),
    415: OpenApiResponse(ErrorResponseSerializer, description="The body is not JSON."),
    429: OpenApiResponse(ErrorResponseSerializer, description="Too many requests from this client."),
}

# Service errors (codes of complaints.services / cases.services) → the field they concern.
_FIELD_FOR_CODE = {
    "invalid_subject": "subject",
    "invalid_sub_subject": "sub_subject",
    "invalid_place": "commune",
    "contact_required": "email",
    "invalid_kind": "kind",
    "invalid_phone": "phone",
}


# The two look-ups of every filing, compiled once (issue 7; `tawasul.core.prepared`): the
# administration joined on the platform today, by its unique code (no ORDER BY: `.first()` would
# sort by the model's name ordering)...
_JOINED_ADMINISTRATION = PreparedQuery(
    lambda code, day: administrations_joined(on=day).filter(code=code).order_by()[:1], str, datetime.date
)
# ... and the main subject with that code: the administration's own first, then the national one.
_MAIN_SUBJECT = PreparedQuery(
    lambda administration_id, code: (
        main_subjects_for(administration_id).filter(code=code).order_by(F("administration_id").asc(nulls_last=True))[:1]
    ),
    int,
    str,
)


# ... and, when a sub-subject is named, the same main subject(s) and the sub-subjects with that code
# under them, in one SELECT (issue 7, ADR 0033): the main subject is chosen from the rows as
# `_MAIN_SUBJECT` chooses it, then the sub-subject among that subject's children.
_MAIN_AND_SUB_SUBJECT = PreparedQuery(
    lambda administration_id, code, sub_code: Subject.objects.filter(
        (Q(administration__isnull=True) | Q(administration_id=administration_id))
        & Q(parent__isnull=True, is_active=True, code=code)
        | (Q(parent__administration__isnull=True) | Q(parent__administration_id=administration_id))
        & Q(
            parent__parent__isnull=True,
            parent__is_active=True,
            parent__code=code,
            is_active=True,
            code=sub_code,
        )
    ).order_by(F("administration_id").asc(nulls_last=True), "position", "pk"),
    int,
    str,
    str,
)


#: The administration and the subjects a filing names, remembered a few seconds per process
#: (ADR 0045): a change saved in this process is seen at once, in the others within the setting.
_LOOKUPS = ProcessMemo("FILING_LOOKUP_CACHE_SECONDS", models=(Administration, Subject))


def joined_administration(code: str, day: datetime.date) -> Administration | None:
    """The administration with this code on the platform on `day`, or None."""
    return _LOOKUPS.get(
        ("administration", code, day), lambda: next(iter(_JOINED_ADMINISTRATION.instances(code, day)), None)
    )


def subject_and_sub_subject(administration_id: int, code: str, sub_code: str) -> tuple[Subject | None, Subject | None]:
    """The main subject `code` offered for the administration (its own first, then the national
    one) and its active sub-subject `sub_code` (None if it has none such): what
    `main_subjects_for(...).filter(code=code)` then `sub_subjects_for(...).filter(code=sub_code,
    parent=subject)` give, in one query, remembered a few seconds (ADR 0045)."""
    return _LOOKUPS.get(
        ("subjects", administration_id, code, sub_code),
        lambda: _subject_and_sub_subject(administration_id, code, sub_code),
    )


def _subject_and_sub_subject(administration_id: int, code: str, sub_code: str) -> tuple[Subject | None, Subject | None]:
    if not sub_code:
        return next(iter(_MAIN_SUBJECT.instances(administration_id, code)), None), None
    rows = list(_MAIN_AND_SUB_SUBJECT.instances(administration_id, code, sub_code))
    subject = next((row for row in rows if row.parent_id is None), None)
    if subject is None:
        return None, None
    sub = next((row for row in rows if row.parent_id == subject.pk), None)
    if sub is not None:
        sub.parent = subject  # as sub_subjects_for's select_related("parent") gives it
    return subject, sub


def _code_field(max_length: int, **kwargs):
    return StrictCharField(max_length=max_length, required=False, allow_blank=True, allow_null=True, **kwargs)


class ComplaintCreateSerializer(FieldTemplatesMixin, StrictSerializer):
    administration = StrictCharField(max_length=64, help_text="Code of the administration (see /administrations/).")
    kind = serializers.ChoiceField(choices=Kind.choices)
    subject = StrictCharField(max_length=80, help_text="Code of a main subject (see /complaint-subjects/).")
    sub_subject = _code_field(80, help_text="Code of a sub-subject of `subject`.")
    description = StrictCharField(min_length=DESCRIPTION_MIN_CHARS, max_length=DESCRIPTION_MAX_CHARS)
    first_name = StrictCharField(max_length=100)
    last_name = StrictCharField(max_length=100)
    complainant_type = serializers.ChoiceField(choices=ComplainantType.choices, default=ComplainantType.CITIZEN)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = StrictCharField(max_length=32)
    email = StrictEmailField(max_length=254, required=False, allow_blank=True)
    phone = StrictCharField(max_length=32, required=False, allow_blank=True, help_text="For example 0612345678.")
    is_confidential = StrictBooleanField(
        default=False, help_text="The administration will not see who filed (name, document, contact)."
    )
    region = _code_field(5, help_text="HCP code (`04`) or ISO 3166-2 code (`MA-04`).")
    province = _code_field(16, help_text="HCP code of the province or prefecture.")
    commune = _code_field(16, help_text="HCP code of the commune.")
    place_address = StrictCharField(max_length=300, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=["ar", "fr", "zgh", "en"],
        required=False,
        help_text="Language of the emails to the requester; by default the request's Accept-Language.",
    )
    consent = StrictBooleanField(help_text="Consent to the processing of personal data (law 09-08); must be true.")

    def validate_administration(self, value):
        administration = joined_administration(value.strip(), timezone.localdate())
        if administration is None:
            raise serializers.ValidationError(_("No administration on the platform has this code."))
        return administration

    def validate_email(self, value):
        return value.strip().lower()

    def validate_phone(self, value):
        if not value.strip():
            return ""
        try:
            return normalized_phone(value)  # marked: case_create does not parse it again
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_consent(self, value):
        if value is not True:
            raise serializers.ValidationError(_("You must accept the processing of your data to send the request."))
        return value

    def validate_region(self, value):
        if not value:
            return None
        region = Region.objects.filter(code=value).first() or Region.objects.filter(iso_code=value.upper()).first()
        if region is None:
            raise serializers.ValidationError(_("Unknown region code."))
        return region

    def validate_province(self, value):
        if not value:
            return None
        province = Province.objects.select_related("region").filter(code=value).first()
        if province is None:
            raise serializers.ValidationError(_("Unknown province code."))
        return province

    def validate_commune(self, value):
        if not value:
            return None
        commune = Commune.objects.select_related("province__region").filter(code=value).first()
        if commune is None:
            raise serializers.ValidationError(_("Unknown commune code."))
        return commune

    def validate(self, attrs):
        errors: dict[str, list] = {}
        administration: Administration = attrs["administration"]
        # The subject: the administration's own first, then the national one with that code; and
        # the sub-subject among its children, in the same query.
        sub_code = (attrs.get("sub_subject") or "").strip()
        subject, sub = subject_and_sub_subject(administration.pk, attrs["subject"].strip(), sub_code)
        if subject is None:
            errors["subject"] = [_("Choose a main subject from the list.")]
        attrs["subject"] = subject
        attrs["sub_subject"] = None
        if sub_code and subject is not None:
            if sub is None:
                errors["sub_subject"] = [_("The sub-subject does not belong to the main subject.")]
            attrs["sub_subject"] = sub
        region, province, commune = attrs.get("region"), attrs.get("province"), attrs.get("commune")
        if province is not None and region is not None and province.region_id != region.pk:
            errors["province"] = [_("The province is not in the chosen region.")]
        if commune is not None and province is not None and commune.province_id != province.pk:
            errors["commune"] = [_("The commune is not in the chosen province.")]
        if attrs["id_type"] == IdType.CIN:
            try:
                attrs["id_number"] = normalize_cin(attrs["id_number"])
            except DjangoValidationError as exc:
                errors["id_number"] = exc.messages
        else:
            attrs["id_number"] = attrs["id_number"].strip().upper()
        if not attrs["id_number"]:
            errors.setdefault("id_number", [_("This field may not be blank.")])
        for name in ("first_name", "last_name", "description"):
            attrs[name] = attrs[name].strip()
        if len(attrs["description"]) < DESCRIPTION_MIN_CHARS:
            errors["description"] = [
                _("Ensure this field has at least %(min_length)s characters.") % {"min_length": DESCRIPTION_MIN_CHARS}
            ]
        for name in ("first_name", "last_name"):
            if not attrs[name]:
                errors[name] = [_("This field may not be blank.")]
        if not attrs.get("email") and not attrs.get("phone"):
            errors["email"] = [_("Give an email address or a phone number, so that we can reach you.")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class ComplaintReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="For example CHK-2026-0004312-K.")
    reference_spoken = serializers.CharField(help_text="The reference grouped for reading over the phone.")
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    first_action_due = serializers.DateField(help_text="Last day for the administration's first action.")
    answer_due = serializers.DateField(help_text="Last day for the answer.")
    tracking_token = serializers.CharField(
        required=False,
        help_text="The secret proving the requester (`Authorization: Tracking <reference>:<token>`). "
        "Only in the 201 answer that created the case: store it, it is never shown again.",
    )


_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def complaint_receipt(case) -> dict:
    """The receipt, shaped as `ComplaintReceiptSerializer` with its fields' own formatting, built
    as plain values (issue 7: the serializer's set-up cost more than its work)."""
    workflow = get_workflow(case.portal)
    body = {
        "reference": str(case.reference),
        "reference_spoken": format_for_speech(case.reference),
        "status": str(case.status),
        "status_label": gettext(workflow.status_label(case.status)),
        "submitted_at": _DATETIME.to_representation(case.received_at) if case.received_at is not None else None,
        "first_action_due": _DATE.to_representation(local_date(case.first_action_due_at))
        if case.first_action_due_at
        else None,
        "answer_due": _DATE.to_representation(local_date(case.answer_due_at)) if case.answer_due_at else None,
    }
    if getattr(case, "tracking_token", None):
        body["tracking_token"] = str(case.tracking_token)
    return body


def _check_idempotency_key(value: str | None) -> str | None:
    if value is None:
        return None
    if not value or len(value) > IDEMPOTENCY_KEY_MAX_LENGTH or not all(" " < char < "\x7f" for char in value):
        raise serializers.ValidationError(
            {
                IDEMPOTENCY_HEADER: [
                    _("The Idempotency-Key header must be 1 to %(max)s printable ASCII characters without spaces.")
                    % {"max": IDEMPOTENCY_KEY_MAX_LENGTH}
                ]
            }
        )
    return value


class ComplaintCreateView(ApiView):
    """File a complaint, an observation or a suggestion."""

    throttle_scope = "submit"

    @extend_schema(
        operation_id="complaint_create",
        summary="File a complaint, an observation or a suggestion",
        description=(
            "Creates the case on the `mobile_app` channel and queues the acknowledgement email. Send an "
            "`Idempotency-Key` header (for example a UUID) to make retries safe: the same key again answers "
            "200 with the same case (without the tracking token) instead of filing a second one; the same key "
            "with another requester's contact is refused with 409. Attachments are added afterwards with "
            "`POST /api/v1/cases/{reference}/attachments/`."
        ),
        parameters=[idempotency_parameter("complaint")],
        request=ComplaintCreateSerializer,
        responses={
            **filing_responses(ComplaintReceiptSerializer, again="Already filed with this key."),
            **ERRORS,
        },
        tags=["complaints"],
    )
    def post(self, request):
        key = _check_idempotency_key(request.headers.get(IDEMPOTENCY_HEADER))
        serializer = ComplaintCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            case = complaint_submit(
                actor=Actor(user=None, roles=frozenset({REQUESTER})),
                administration=data["administration"],
                kind=data["kind"],
                subject=data["subject"],
                sub_subject=data["sub_subject"],
                description=data["description"],
                channel="mobile_app",
                first_name=data["first_name"],
                last_name=data["last_name"],
                id_type=data["id_type"],
                id_number=data["id_number"],
                email=data.get("email", ""),
                phone=data.get("phone", ""),
                complainant_type=data["complainant_type"],
                is_confidential=data["is_confidential"],
                region=data.get("region"),
                province=data.get("province"),
                commune=data.get("commune"),
                place_address=data.get("place_address", ""),
                language=data.get("language") or translation.get_language(),
                idempotency_key=key,
                tracking_url_builder=tracking_url_builder(request, "complaints:track_link"),
            )
        except DjangoValidationError as exc:
            raise validation_error_from_django(exc, field_for_code=_FIELD_FOR_CODE) from None
        return filing_response(case, data, portal=PORTAL, receipt=complaint_receipt)


# --- The subject taxonomy ---------------------------------------------------------------------


class SubSubjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class SubjectSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    children = SubSubjectSerializer(many=True)


class ComplaintSubjectsView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="complaint_subjects",
        summary="Subjects of complaints offered for an administration",
        description="The national subjects and the administration's own, each with its sub-subjects, "
        "named in the request's language.",
        parameters=[
            OpenApiParameter(
                "administration",
                OpenApiTypes.STR,
                required=False,
                description="Administration code; without it, the national subjects only.",
            )
        ],
        responses={200: SubjectSerializer(many=True), 400: ERRORS[400], 429: ERRORS[429]},
        tags=["complaints"],
    )
    def get(self, request):
        code = request.query_params.get("administration", "")
        administration = None
        if code:
            administration = administrations_joined().filter(code=code[:64]).first()
            if administration is None:
                raise serializers.ValidationError(
                    {"administration": [_("No administration on the platform has this code.")]}
                )
        language = translation.get_language()
        mains = list(main_subjects_for(administration))
        children: dict[int, list[Subject]] = {}
        for sub in sub_subjects_for(administration):
            children.setdefault(sub.parent_id, []).append(sub)
        data = [
            {
                "code": main.code,
                "name": main.name(language),
                "children": [{"code": sub.code, "name": sub.name(language)} for sub in children.get(main.pk, [])],
            }
            for main in mains
        ]
        return Response(SubjectSerializer(data, many=True).data)
