"""The civil-status documents window over JSON (DOMAIN.md R3; ADR 0027, 0028).

- `GET /api/v1/documents/offices/`: the offices that joined (the web form's picker), filtered by
  commune or consulate.
- `GET /api/v1/documents/prices/`: R3's price table, and a quote for a number of copies and a
  destination.
- `POST /api/v1/documents/orders/`: place an order, as the web form does: the body's shape is
  checked here with the web form's own fields (`OrderForm.base_fields`: the same patterns and
  messages), R3's rules by the service `order_submit` (ARCHITECTURE.md §3.5), on the `mobile_app`
  channel. The answer carries the reference, the price, the address of the configured payment
  gateway's page and, once, the tracking secret. An optional `Idempotency-Key` makes retries safe,
  as for complaints (`tawasul.api.complaints`).
- `POST /api/v1/documents/orders/track/`: the order's status and timeline with its reference and
  the email (or phone) given when ordering. An unknown reference, a wrong contact and a reference
  of another portal get the same 404 (`CaseNotFound`). The answer holds less than the web order
  page: no holder's name, record number or postal address (a mobile app that needs them has them
  from its own order).

Tracking stays a POST, as `POST /api/v1/track/`: the contact never travels in a URL (server and
proxy logs keep URLs).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import translation
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from tawasul.accounts.validators import normalize_phone
from tawasul.cases.actors import Actor
from tawasul.cases.links import tracking_url_builder
from tawasul.cases.models import Case, Message
from tawasul.cases.selectors import case_public_timeline, case_track
from tawasul.cases.workflow import REQUESTER, get_workflow
from tawasul.core.calendar import local_date
from tawasul.core.references import format_for_speech
from tawasul.documents.forms import OrderForm, country_choices
from tawasul.documents.models import MAX_COPIES, DocType, OfficeKind, PriceItem, Relation, Sex
from tawasul.documents.payments import get_payment_gateway
from tawasul.documents.postfeed import EVENT_LABELS as POST_FEED_LABELS
from tawasul.documents.pricing import destination_for, price_table, quote
from tawasul.documents.selectors import offices_joined
from tawasul.documents.services import order_details, order_submit, payment_pending_or_start
from tawasul.documents.workflow import CLOSED, DELAY_MAX_DAYS, DELAY_MIN_DAYS, PORTAL

from .base import ApiView
from .complaints import ERRORS, IDEMPOTENCY_HEADER, _check_idempotency_key, idempotency_parameter
from .errors import CaseNotFound, Conflict, ErrorResponseSerializer, validation_error_from_django
from .facilities import MAX_OFFSET
from .fields import StrictCharField, StrictEmailField, StrictIntegerField, StrictSerializer
from .filing import filing_response, filing_responses
from .tracking import (
    CONFLICT,
    INVALID,
    NOT_FOUND,
    PROOF,
    REFERENCE_PARAM,
    THROTTLED,
    RequesterView,
    TimelineEventSerializer,
    TrackSerializer,
)

__all__ = [
    "DocumentOfficeListView",
    "DocumentOrderCreateView",
    "DocumentOrderPaymentView",
    "DocumentOrderTrackView",
    "DocumentPriceView",
]

#: Offices per page (the whole country is ~1,500 communes and the consulates).
OFFICES_MAX_PAGE = 500
OFFICES_DEFAULT_PAGE = 100
#: The countries of the web form's list (ISO 3166-1 alpha-2), Morocco first.
COUNTRIES = tuple(code for code, _name in country_choices("en"))
#: A Moroccan postal code has five digits (R10), as on the web form.
_MA_POSTAL_CODE = re.compile(r"^\d{5}$")
#: R3's rule codes (`check_order_rules`, `order_submit`) → the field they concern, as on the web form.
_FIELD_FOR_CODE = {
    "office_not_joined": "office",
    "invalid_sex": "holder_sex",
    "email_required": "email",
    "contact_required": "email",
    "invalid_phone": "phone",
    "invalid_doc_type": "doc_type",
    "invalid_relation": "orderer_relation",
    "invalid_copies": "copies",
    "birth_in_future": "holder_birth_date",
    "invalid_act_year": "act_year",
    "minor_needs_parent": "orderer_relation",
    "parent_of_adult": "orderer_relation",
    "full_copy_relation": "orderer_relation",
}
_DATETIME = serializers.DateTimeField()
_DATE = serializers.DateField()


def _money(value) -> str:
    return f"{value:.2f}"


def _datetime(value) -> str | None:
    return _DATETIME.to_representation(value) if value is not None else None


# --- Offices ------------------------------------------------------------------------------------


class OfficeQuerySerializer(StrictSerializer):
    commune = serializers.CharField(
        max_length=16, required=False, allow_blank=True, help_text="HCP code of the commune (`01.511.01.0`)."
    )
    kind = serializers.ChoiceField(
        choices=OfficeKind.choices, required=False, allow_blank=True, help_text="`bec` (commune) or `consulate`."
    )
    country = serializers.CharField(
        max_length=2, required=False, allow_blank=True, help_text="Country of a consulate (ISO code, `FR`)."
    )
    limit = serializers.IntegerField(
        min_value=1,
        max_value=OFFICES_MAX_PAGE,
        default=OFFICES_DEFAULT_PAGE,
        help_text=f"Offices per page (default {OFFICES_DEFAULT_PAGE}, maximum {OFFICES_MAX_PAGE}).",
    )
    offset = serializers.IntegerField(min_value=0, max_value=MAX_OFFSET, default=0, help_text="Offices to skip.")


class OfficeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The `office` of an order.")
    name = serializers.CharField(help_text="In the request's language (Arabic when missing).")
    name_ar = serializers.CharField()
    name_fr = serializers.CharField()
    kind = serializers.CharField(help_text="`bec` (a commune's civil-status office) or `consulate`.")
    commune = serializers.CharField(allow_null=True, help_text="HCP code of the commune (civil-status offices).")
    country = serializers.CharField(allow_blank=True, help_text="ISO code of the consulate's country.")


class OfficePageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Offices matching the query (all pages).")
    next_offset = serializers.IntegerField(allow_null=True, help_text="Offset of the next page, or null.")
    results = OfficeSerializer(many=True)


_LOOKUP_ERRORS = {
    400: OpenApiResponse(ErrorResponseSerializer, description="Invalid parameter."),
    429: ERRORS[429],
}


class DocumentOfficeListView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="documents_office_list",
        summary="Civil-status offices and consulates that take orders",
        description="Only the offices that joined the service (DOMAIN.md §3): the web form's picker.",
        parameters=[OfficeQuerySerializer],
        responses={200: OfficePageSerializer, **_LOOKUP_ERRORS},
        tags=["documents"],
    )
    def get(self, request):
        query = OfficeQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        offices = offices_joined()
        if params.get("commune"):
            offices = offices.filter(commune__code=params["commune"])
        if params.get("kind"):
            offices = offices.filter(kind=params["kind"])
        if params.get("country"):
            offices = offices.filter(country=params["country"].upper())
        limit, offset = params["limit"], params["offset"]
        count = offices.count()
        language = translation.get_language()
        results = (
            [
                {
                    "code": office.code,
                    "name": office.name(language),
                    "name_ar": office.name_ar,
                    "name_fr": office.name_fr,
                    "kind": office.kind,
                    "commune": office.commune.code if office.commune_id else None,
                    "country": office.country,
                }
                for office in offices.select_related("commune")[offset : offset + limit]
            ]
            if offset < count
            else []
        )
        return Response(
            {"count": count, "next_offset": offset + limit if offset + limit < count else None, "results": results}
        )


# --- Prices -------------------------------------------------------------------------------------


class PriceQuerySerializer(StrictSerializer):
    copies = serializers.IntegerField(
        min_value=1, max_value=MAX_COPIES, required=False, help_text="With `country`: the price of such an order."
    )
    country = serializers.ChoiceField(
        choices=COUNTRIES, required=False, help_text="Country of delivery (ISO code); `MA` when absent."
    )


class PriceLineSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`base`, `per_copy`, `postage_ma` or `postage_abroad`.")
    label = serializers.CharField()
    amount = serializers.CharField(help_text="MAD, all taxes included (decimal as text, `20.00`).")


class QuoteSerializer(serializers.Serializer):
    copies = serializers.IntegerField()
    destination = serializers.CharField(help_text="`ma` or `abroad`.")
    base = serializers.CharField()
    per_copy = serializers.CharField()
    copies_amount = serializers.CharField()
    postage = serializers.CharField()
    total = serializers.CharField()


class DocTypeSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="`birth_extract` or `birth_full_copy`.")
    label = serializers.CharField()


class DelaySerializer(serializers.Serializer):
    min_days = serializers.IntegerField()
    max_days = serializers.IntegerField()


class PriceTableSerializer(serializers.Serializer):
    currency = serializers.CharField(help_text="Always `MAD`.")
    formula = serializers.CharField(help_text="base + per_copy × copies + postage (Morocco or abroad).")
    items = PriceLineSerializer(many=True)
    doc_types = DocTypeSerializer(many=True)
    max_copies = serializers.IntegerField()
    delay = DelaySerializer(help_text="Days from the payment to the delivery (for display only).")
    quote = QuoteSerializer(allow_null=True, help_text="The price for `copies` and `country`, when `copies` is given.")


def _quote(price, destination: str) -> dict:
    return {
        "copies": price.copies,
        "destination": str(destination),
        "base": _money(price.base),
        "per_copy": _money(price.per_copy),
        "copies_amount": _money(price.copies_amount),
        "postage": _money(price.postage),
        "total": _money(price.total),
    }


class DocumentPriceView(ApiView):
    throttle_scope = "lookup"

    @extend_schema(
        operation_id="documents_price_list",
        summary="The price table of document orders, and a quote",
        description="The price shown before paying (R3): the same table as the web form; the price of an "
        "order is frozen when it is placed.",
        parameters=[PriceQuerySerializer],
        responses={200: PriceTableSerializer, **_LOOKUP_ERRORS},
        tags=["documents"],
    )
    def get(self, request):
        query = PriceQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        params = query.validated_data
        table = price_table()
        data = {
            "currency": "MAD",
            "formula": "base + per_copy × copies + postage",
            "items": [
                {"code": str(code), "label": str(PriceItem.Code(code).label), "amount": _money(table[code])}
                for code in PriceItem.Code.values
            ],
            "doc_types": [{"code": str(code), "label": str(label)} for code, label in DocType.choices],
            "max_copies": MAX_COPIES,
            "delay": {"min_days": DELAY_MIN_DAYS, "max_days": DELAY_MAX_DAYS},
            "quote": None,
        }
        if params.get("copies"):
            destination = destination_for(params.get("country") or "MA")
            data["quote"] = _quote(quote(copies=params["copies"], destination=destination, table=table), destination)
        return Response(data)


# --- Placing an order ---------------------------------------------------------------------------


def _form_field(name: str, **kwargs):
    """A string field of the API bounded as the web form's field `name` is."""
    field = OrderForm.base_fields[name]
    return StrictCharField(
        max_length=field.max_length, required=field.required, allow_blank=not field.required, **kwargs
    )


#: Fields whose value is checked by the web form's own field (its pattern and its message).
_FORM_CHECKED = (
    "holder_first_name_ar",
    "holder_last_name_ar",
    "holder_first_name_latin",
    "holder_last_name_latin",
    "act_number",
    "father_first_name",
    "mother_first_name",
    "recipient_name",
    "address",
    "city",
    "postal_code",
)


class DocumentOrderCreateSerializer(StrictSerializer):
    office = StrictCharField(max_length=64, help_text="Code of a joined office (see /documents/offices/).")
    doc_type = serializers.ChoiceField(choices=DocType.choices)
    copies = StrictIntegerField(min_value=1, max_value=MAX_COPIES)
    holder_first_name_ar = _form_field("holder_first_name_ar", help_text="In Arabic letters.")
    holder_last_name_ar = _form_field("holder_last_name_ar", help_text="In Arabic letters.")
    holder_first_name_latin = _form_field("holder_first_name_latin", help_text="In Latin letters.")
    holder_last_name_latin = _form_field("holder_last_name_latin", help_text="In Latin letters.")
    holder_birth_date = serializers.DateField(help_text="YYYY-MM-DD.")
    holder_sex = serializers.ChoiceField(choices=Sex.choices)
    act_year = StrictIntegerField(min_value=1900, max_value=2100, help_text="Year of registration of the record.")
    act_number = _form_field("act_number", help_text="Digits only.")
    father_first_name = _form_field("father_first_name")
    mother_first_name = _form_field("mother_first_name")
    orderer_relation = serializers.ChoiceField(
        choices=Relation.choices,
        help_text="A minor's record is ordered by a parent; the full copy only by the relations of DOMAIN.md §3.",
    )
    recipient_name = _form_field("recipient_name")
    address = _form_field("address")
    city = _form_field("city")
    postal_code = _form_field("postal_code", default="", help_text="Five digits in Morocco.")
    country = serializers.ChoiceField(choices=COUNTRIES, default="MA", help_text="Country of delivery (ISO code).")
    email = StrictEmailField(max_length=254, help_text="To follow the order.")
    phone = StrictCharField(max_length=30, help_text="0612345678, or a foreign number with its country code.")
    language = serializers.ChoiceField(choices=["ar", "fr", "zgh", "en"], required=False)

    def validate_email(self, value):
        return value.strip().lower()

    def validate_phone(self, value):
        try:
            return normalize_phone(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None

    def validate_office(self, value):
        office = offices_joined().filter(code=value.strip()).select_related("administration").first()
        if office is None:
            raise serializers.ValidationError(gettext("Choose an office from the list."))
        return office

    def validate(self, attrs):
        errors: dict[str, list] = {}
        for name in _FORM_CHECKED:
            if name not in attrs:
                continue
            try:
                attrs[name] = OrderForm.base_fields[name].clean(attrs[name])
            except DjangoValidationError as exc:
                errors[name] = exc.messages
        if attrs.get("country") == "MA" and not _MA_POSTAL_CODE.match(attrs.get("postal_code", "")):
            errors.setdefault("postal_code", []).append(
                gettext("A Moroccan postal code has five digits, for example 10000.")
            )
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class PriceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    base = serializers.CharField()
    per_copy = serializers.CharField()
    copies = serializers.IntegerField()
    postage = serializers.CharField()
    destination = serializers.CharField(help_text="`ma` or `abroad`.")
    total = serializers.CharField(help_text="MAD, all taxes included: what the payment page asks.")


class DocumentOrderReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    reference_spoken = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    submitted_at = serializers.DateTimeField()
    price = PriceSerializer()
    payment_url = serializers.CharField(
        allow_null=True,
        help_text="The configured payment gateway's page for this order; null once the order is paid or "
        "cancelled. The order goes to the office only once paid.",
    )
    payment_is_demo = serializers.BooleanField(help_text="The demonstration gateway: no money is taken.")
    tracking_token = serializers.CharField(
        required=False, help_text="Only in the first answer (201): the secret of the emailed tracking link."
    )


def _price(order) -> dict:
    return {
        "currency": "MAD",
        "base": _money(order.price_base),
        "per_copy": _money(order.price_per_copy),
        "copies": int(order.copies),
        "postage": _money(order.price_postage),
        "destination": str(order.destination),
        "total": _money(order.price_total),
    }


def _payment_url(request, case: Case) -> tuple[str | None, bool]:
    gateway = get_payment_gateway()
    payment = payment_pending_or_start(case=case)
    if payment is None:
        return None, gateway.is_demo
    url = gateway.start(payment, request=request)
    return (request.build_absolute_uri(url) if url.startswith("/") else url), gateway.is_demo


def order_receipt(request, case: Case) -> dict:
    workflow = get_workflow(PORTAL)
    payment_url, is_demo = _payment_url(request, case)
    body = {
        "reference": str(case.reference),
        "reference_spoken": format_for_speech(case.reference),
        "status": str(case.status),
        "status_label": gettext(workflow.status_label(case.status)),
        "submitted_at": _datetime(case.received_at),
        "price": _price(case.document_order),
        "payment_url": payment_url,
        "payment_is_demo": is_demo,
    }
    if getattr(case, "tracking_token", None):
        body["tracking_token"] = str(case.tracking_token)
    return body


class DocumentOrderCreateView(ApiView):
    """Order civil-status documents (R3)."""

    throttle_scope = "submit"

    @extend_schema(
        operation_id="documents_order_create",
        summary="Order a birth-record extract or full copy, delivered by registered post",
        description=(
            "Checks the order as the web form does (R3: a minor's record is ordered by a parent; the full copy "
            "only by the holder's close relations), prices it, stores it waiting for its payment and queues "
            "the acknowledgement email. Pay on `payment_url` (the configured gateway); the order goes to the "
            "civil-status office only once paid. Send an `Idempotency-Key` header to make retries safe: the "
            "same key again answers 200 with the same order and the same payment page (without the tracking "
            "token); the same key with another contact is refused with 409. Follow the order with "
            "`POST /api/v1/documents/orders/track/`."
        ),
        parameters=[idempotency_parameter("order")],
        request=DocumentOrderCreateSerializer,
        responses={
            **filing_responses(DocumentOrderReceiptSerializer, again="Already placed with this key."),
            **ERRORS,
        },
        tags=["documents"],
    )
    def post(self, request):
        key = _check_idempotency_key(request.headers.get(IDEMPOTENCY_HEADER))
        serializer = DocumentOrderCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            case = order_submit(
                actor=Actor(user=None, roles=frozenset({REQUESTER})),
                office=data["office"],
                **order_details(data),
                channel="mobile_app",
                language=data.get("language") or translation.get_language(),
                idempotency_key=key,
                tracking_url_builder=tracking_url_builder(request, "documents:track_link"),
            )
        except DjangoValidationError as exc:
            raise validation_error_from_django(exc, field_for_code=_FIELD_FOR_CODE) from None
        return filing_response(case, data, portal=PORTAL, receipt=lambda case: order_receipt(request, case))


# --- Tracking an order --------------------------------------------------------------------------


class OfficeRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text="`bec` (a commune's civil-status office) or `consulate`.")


class DocumentOrderViewSerializer(serializers.Serializer):
    reference = serializers.CharField()
    reference_spoken = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    is_open = serializers.BooleanField(help_text="False once delivered, returned, refunded or cancelled.")
    awaiting_payment = serializers.BooleanField()
    office = OfficeRefSerializer()
    doc_type = serializers.CharField(help_text="`birth_extract` or `birth_full_copy`.")
    doc_type_label = serializers.CharField()
    copies = serializers.IntegerField()
    price = PriceSerializer()
    ordered_at = serializers.DateTimeField()
    paid_at = serializers.DateTimeField(allow_null=True)
    expected_by = serializers.DateField(
        allow_null=True, help_text="The end of the 3 to 7 days from the transmission (for display only)."
    )
    post_item_number = serializers.CharField(allow_blank=True, help_text="The registered letter's number.")
    rejection_reason = serializers.CharField(allow_blank=True)
    rejection_reason_label = serializers.CharField(allow_blank=True)
    timeline = TimelineEventSerializer(many=True)


def _labels(workflow) -> dict[str, str]:
    """The timeline's labels, as on the web order page."""
    labels = {t.action: gettext(t.label) if t.label else t.action for t in workflow.transitions}
    labels["submitted"] = gettext("Order placed, waiting for the payment")
    labels.update({action: gettext(label) for action, label in POST_FEED_LABELS.items()})
    return labels


def order_public_view(case: Case) -> dict:
    """What the person who ordered sees of the order; the shape is `DocumentOrderViewSerializer`'s."""
    order = case.document_order
    workflow = get_workflow(PORTAL)
    labels = _labels(workflow)
    message_labels = dict(Message.Kind.choices)
    language = translation.get_language()
    timeline = []
    for entry in case_public_timeline(case):
        if entry.type == "event":
            label = labels.get(entry.action) or entry.action.replace("_", " ")
        else:
            label = str(message_labels.get(entry.action, entry.action))
        timeline.append(
            {
                "at": _datetime(entry.at),
                "type": entry.type,
                "action": str(entry.action),
                "label": str(label),
                "status": str(entry.status),
                "status_label": gettext(workflow.status_label(entry.status)) if entry.status else "",
                "by": str(entry.by),
                "body": str(entry.body),
            }
        )
    return {
        "reference": str(case.reference),
        "reference_spoken": format_for_speech(case.reference),
        "status": str(case.status),
        "status_label": gettext(workflow.status_label(case.status)),
        "is_open": case.status not in CLOSED,
        "awaiting_payment": case.status == "awaiting_payment",
        "office": {"code": order.office.code, "name": order.office.name(language), "kind": order.office.kind},
        "doc_type": str(order.doc_type),
        "doc_type_label": str(DocType(order.doc_type).label),
        "copies": int(order.copies),
        "price": _price(order),
        "ordered_at": _datetime(case.received_at),
        "paid_at": _datetime(order.paid_at),
        "expected_by": _DATE.to_representation(local_date(case.answer_due_at)) if case.answer_due_at else None,
        "post_item_number": str(order.post_item_number),
        "rejection_reason": str(order.rejection_reason),
        "rejection_reason_label": str(order.get_rejection_reason_display()) if order.rejection_reason else "",
        "timeline": timeline,
    }


class DocumentOrderTrackView(ApiView):
    throttle_scope = "track"

    @extend_schema(
        operation_id="documents_order_track",
        summary="Follow a document order with its reference and the email or phone given when ordering",
        description="An unknown reference, a wrong contact and the reference of another kind of request all "
        "get the same 404.",
        request=TrackSerializer,
        responses={200: DocumentOrderViewSerializer, 400: INVALID, 404: NOT_FOUND, 429: THROTTLED},
        tags=["documents"],
    )
    def post(self, request):
        serializer = TrackSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_track(
            serializer.validated_data["reference"],
            serializer.validated_data["contact"],
            related=("document_order__office",),
        )
        if case is None or case.portal != PORTAL:
            raise CaseNotFound()
        return Response(order_public_view(case))


# --- Paying again (tracking secret) --------------------------------------------------------------


class DocumentOrderPaymentSerializer(serializers.Serializer):
    reference = serializers.CharField()
    payment_url = serializers.CharField(help_text="The configured payment gateway's page for this order.")
    payment_is_demo = serializers.BooleanField()


class DocumentOrderPaymentView(RequesterView):
    @extend_schema(
        operation_id="documents_order_payment",
        summary="The payment page of an order not paid yet (after a failed or abandoned payment)",
        description="Proved with the order's tracking secret (`Authorization: Tracking <reference>:<token>`, "
        "the token of the order's receipt). Answers the pending payment's page, or starts a new payment. "
        "An order already paid, or cancelled, answers 409.",
        parameters=[REFERENCE_PARAM],
        auth=PROOF,
        request=None,
        responses={200: DocumentOrderPaymentSerializer, 404: NOT_FOUND, 409: CONFLICT, 429: THROTTLED},
        tags=["documents"],
    )
    def post(self, request, reference):
        case = self.proven(request, reference)
        if case.portal != PORTAL:
            raise CaseNotFound()  # another portal's case: as unknown as any other
        payment_url, is_demo = _payment_url(request, case)
        if payment_url is None:
            raise Conflict(gettext("This order does not wait for a payment."))
        return Response({"reference": case.reference, "payment_url": payment_url, "payment_is_demo": is_demo})
