"""Writes of the civil-status documents window (DOMAIN.md R3; ARCHITECTURE.md §3.1).

The web form (and later the API) calls `order_submit`; the payment pages call `payment_start` and
`payment_confirm`; the back office calls the staff services the workflow table names
(`order_reject`, `order_hand_to_post`) as `service(case=, actor=, **form.cleaned_data)`. Every
status change goes through `cases.services.case_transition`.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, ComplainantType
from tawasul.cases.services import (
    CaseActionRefused,
    case_create,
    case_staff_recipients,
    case_transition,
    staff_case_url,
)
from tawasul.core.calendar import local_date
from tawasul.notifications.models import StaffAlert
from tawasul.notifications.services import staff_alert_create

from .models import (
    FULL_COPY_RELATIONS,
    MAX_COPIES,
    CivilStatusOffice,
    DocType,
    DocumentOrder,
    Payment,
    RejectionReason,
    Relation,
    Sex,
)
from .pricing import destination_for, quote
from .workflow import KIND, PORTAL

__all__ = [
    "age_on",
    "check_order_rules",
    "order_cancel",
    "order_hand_to_post",
    "order_refund_confirm",
    "order_reject",
    "order_submit",
    "payment_confirm",
    "payment_pending_or_start",
    "payment_start",
    "post_item_number_normalize",
]

#: DOMAIN.md §3 (the same text is on the order form).
FULL_COPY_RULE = gettext_lazy(
    "The full copy is only for the holder, a parent, a descendant, a spouse, a guardian or a mandated person."
)
#: Age of majority in Morocco (Family Code art. 209: 18 Gregorian years).
MAJORITY_AGE = 18


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def check_order_rules(
    *, doc_type: str, copies: int, birth_date: date, relation: str, act_year: int, today: date
) -> bool:
    """R3's business rules; returns whether the holder is a minor. Raises `ValidationError` with
    the code naming the broken rule."""
    if doc_type not in DocType.values:
        raise ValidationError(_("Choose the document."), code="invalid_doc_type")
    if relation not in Relation.values:
        raise ValidationError(_("Say who you are for the holder of the record."), code="invalid_relation")
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(
            _("Order between 1 and %(max)s copies."), code="invalid_copies", params={"max": MAX_COPIES}
        )
    if birth_date > today:
        raise ValidationError(_("The date of birth is in the future."), code="birth_in_future")
    if not birth_date.year <= act_year <= today.year:
        raise ValidationError(
            _("The year of registration must be between the year of birth and this year."), code="invalid_act_year"
        )
    is_minor = age_on(birth_date, today) < MAJORITY_AGE
    if is_minor and relation != Relation.PARENT:
        raise ValidationError(
            _("The holder is a minor: the order must be placed by a parent."), code="minor_needs_parent"
        )
    if relation == Relation.PARENT and not is_minor:
        raise ValidationError(
            _("The holder is an adult: choose “ascendant” rather than “parent of a minor”."), code="parent_of_adult"
        )
    if doc_type == DocType.BIRTH_FULL_COPY and relation not in FULL_COPY_RELATIONS:
        raise ValidationError(
            FULL_COPY_RULE,
            code="full_copy_relation",
        )
    return is_minor


#: What the requester types for an order, named as `order_submit` takes it: the web form and the
#: API hand their cleaned data over with `order_details`.
ORDER_DETAILS = (
    "doc_type",
    "copies",
    "holder_first_name_ar",
    "holder_last_name_ar",
    "holder_first_name_latin",
    "holder_last_name_latin",
    "holder_birth_date",
    "holder_sex",
    "act_year",
    "act_number",
    "father_first_name",
    "mother_first_name",
    "orderer_relation",
    "recipient_name",
    "address",
    "city",
    "postal_code",
    "country",
    "email",
    "phone",
)


def order_details(data) -> dict:
    """`order_submit`'s keyword arguments typed by the requester, from a form's or a serializer's
    cleaned data (an optional field left out counts as empty)."""
    return {name: data.get(name, "") for name in ORDER_DETAILS}


def order_submit(
    *,
    actor: Actor,
    office: CivilStatusOffice,
    doc_type: str,
    copies: int,
    holder_first_name_ar: str,
    holder_last_name_ar: str,
    holder_first_name_latin: str,
    holder_last_name_latin: str,
    holder_birth_date: date,
    holder_sex: str,
    act_year: int,
    act_number: str,
    father_first_name: str,
    mother_first_name: str,
    orderer_relation: str,
    recipient_name: str,
    address: str,
    city: str,
    country: str,
    email: str,
    phone: str,
    postal_code: str = "",
    channel: str = "web",
    requester_user=None,
    language: str = "ar",
    idempotency_key: str | None = None,
    tracking_url_builder: Callable | None = None,
) -> Case:
    """Place an order (R3): checked, priced, stored waiting for its payment. Nothing goes to the
    office before the payment (`payment_confirm`). Raises `ValidationError` (nothing stored)."""
    if not office.joined:
        raise ValidationError(_("This civil-status office has not joined the service."), code="office_not_joined")
    if holder_sex not in Sex.values:
        raise ValidationError(_("Choose the sex of the holder."), code="invalid_sex")
    if not email.strip():
        raise ValidationError(_("Give your email address, to follow the order."), code="email_required")
    today = local_date(timezone.now())
    is_minor = check_order_rules(
        doc_type=doc_type,
        copies=copies,
        birth_date=holder_birth_date,
        relation=orderer_relation,
        act_year=act_year,
        today=today,
    )
    country = (country or "MA").upper()
    destination = destination_for(country)
    price = quote(copies=copies, destination=destination)
    with translation.override(language):
        subject = f"{DocType(doc_type).label} × {copies} — {office.name(language)}"
    description = (
        f"{holder_first_name_ar} {holder_last_name_ar} / {holder_first_name_latin} {holder_last_name_latin}, "
        f"{holder_birth_date.isoformat()}, {act_number}/{act_year}"
    )

    def rows(case: Case) -> None:
        DocumentOrder.objects.create(
            case=case,
            office=office,
            doc_type=doc_type,
            copies=copies,
            holder_first_name_ar=holder_first_name_ar.strip(),
            holder_last_name_ar=holder_last_name_ar.strip(),
            holder_first_name_latin=holder_first_name_latin.strip(),
            holder_last_name_latin=holder_last_name_latin.strip(),
            holder_birth_date=holder_birth_date,
            holder_sex=holder_sex,
            holder_is_minor=is_minor,
            act_year=act_year,
            act_number=act_number.strip(),
            father_first_name=father_first_name.strip(),
            mother_first_name=mother_first_name.strip(),
            orderer_relation=orderer_relation,
            recipient_name=recipient_name.strip(),
            address=address.strip(),
            city=city.strip(),
            postal_code=postal_code.strip(),
            country=country,
            destination=destination,
            price_base=price.base,
            price_per_copy=price.per_copy,
            price_postage=price.postage,
            price_total=price.total,
        )

    return case_create(
        portal=PORTAL,
        kind=KIND,
        administration=office.administration,
        channel=channel,
        actor=actor,
        subject=subject[:255],
        description=description,
        first_name=recipient_name[:100],
        email=email,
        phone=phone,
        complainant_type=ComplainantType.CITIZEN if destination == "ma" else ComplainantType.MRE,
        requester_user=requester_user,
        language=language,
        idempotency_key=idempotency_key,
        tracking_url_builder=tracking_url_builder,
        portal_rows=rows,
    )


def order_cancel(*, case: Case, actor: Actor) -> Case:
    """The requester gives up an order not paid yet."""
    return case_transition(case=case, action="cancel", actor=actor)


# --- Payment -----------------------------------------------------------------------------------


def payment_start(*, case: Case) -> Payment:
    """A new payment attempt for an order waiting for its payment (several attempts may be open:
    the first confirmed pays the order, any later one is marked to refund)."""
    if case.status != "awaiting_payment":
        raise CaseActionRefused("this order is not waiting for a payment")
    order = case.document_order
    return Payment.objects.create(
        order=order,
        token=secrets.token_urlsafe(32),
        gateway=settings.DOCUMENTS_PAYMENT_GATEWAY,
        amount=order.price_total,
    )


def payment_pending_or_start(*, case: Case) -> Payment | None:
    """The order's latest payment attempt still pending, or a new one; None when the order no
    longer waits for a payment. The API's receipt: a retried order (same Idempotency-Key) gets the
    same payment page back instead of a new attempt each time."""
    if case.status != "awaiting_payment":
        return None
    pending = (
        Payment.objects.filter(order_id=case.pk, status=Payment.Status.PENDING).order_by("-created_at", "-pk").first()
    )
    return pending or payment_start(case=case)


def payment_confirm(*, token: str, provider_reference: str = "", amount: Decimal | None = None) -> Payment:
    """The gateway says this payment went through. Idempotent: a second confirmation of the same
    payment changes nothing; a confirmation of another attempt for an order already paid marks
    that attempt `duplicate` (to refund) and leaves the order alone. Only a first confirmation
    moves the order: paid, then transmitted to the office (R3 "Paid before transmission")."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").filter(token=token).first()
        if payment is None:
            raise CaseActionRefused("unknown payment")
        if payment.status != Payment.Status.PENDING:
            return payment
        if amount is not None and Decimal(amount) != payment.amount:
            raise ValidationError(_("The amount paid is not the amount of the order."), code="amount_mismatch")
        case = Case.objects.select_for_update().get(pk=payment.order.case_id)
        now = timezone.now()
        payment.provider_reference = provider_reference[:100]
        payment.confirmed_at = now
        if case.status != "awaiting_payment":
            payment.status = Payment.Status.DUPLICATE
            payment.save(update_fields=["status", "provider_reference", "confirmed_at"])
            return payment
        payment.status = Payment.Status.CONFIRMED
        payment.save(update_fields=["status", "provider_reference", "confirmed_at"])
        DocumentOrder.objects.filter(pk=case.pk).update(paid_at=now)
        system = Actor.system()
        payload = {"payment_id": payment.pk, "amount": str(payment.amount)}
        case = case_transition(case=case, action="confirm_payment", actor=system, payload=payload)
        case = case_transition(case=case, action="transmit", actor=system)
        # The office's civil-status officers learn that a paid order is theirs (reference only).
        staff_alert_create(
            users=case_staff_recipients(case),
            kind=StaffAlert.Kind.REQUESTER_UPDATE,
            text=gettext_noop("Order %(reference)s was paid: it is now with your civil-status office."),
            params={"reference": case.reference},
            case_reference=case.reference,
            url=staff_case_url(case),
            dedupe_key=f"documents-paid-{case.pk}",
        )
    return payment


# --- The office's work (back office actions) ---------------------------------------------------------


def order_reject(*, case: Case, actor: Actor, reason: str, note: str = "") -> Case:
    """The office cannot issue the documents (record not found, data mismatch): rejected with its
    reason, then a refund is opened (R3 REJECTED_WRONG_DATA → REFUND_PENDING)."""
    if reason not in RejectionReason.values:
        raise ValidationError(_("Choose the reason for the rejection."), code="invalid_reason")
    with translation.override(case.language):
        text = str(RejectionReason(reason).label)
        text += "\n" + _("The amount paid will be refunded.")
    if note.strip():
        text += "\n" + note.strip()
    with transaction.atomic():
        case = case_transition(case=case, action="reject", actor=actor, note=text, payload={"reason_code": reason})
        DocumentOrder.objects.filter(pk=case.pk).update(rejection_reason=reason)
        case = case_transition(case=case, action="open_refund", actor=Actor.system())
    return case


def order_refund_confirm(*, case: Case) -> Case:
    """The payment provider has refunded a rejected order."""
    return case_transition(case=case, action="confirm_refund", actor=Actor.system())


#: UPU S10 item identifier (registered items: `RR123456785MA`): 2 letters, 8 digits, a check
#: digit, the ISO code of the posting country.
_S10 = re.compile(r"^[A-Z]{2}(\d{8})(\d)[A-Z]{2}$")
_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


def post_item_number_normalize(value: str) -> str:
    """The registered item number in upper case without spaces, or ValidationError (UPU S10
    format and check digit)."""
    number = re.sub(r"\s+", "", value or "").upper()
    match = _S10.match(number)
    if match is not None:
        total = sum(int(d) * w for d, w in zip(match.group(1), _S10_WEIGHTS, strict=True))
        check = 11 - total % 11
        check = {10: 0, 11: 5}.get(check, check)
        if check == int(match.group(2)):
            return number
    raise ValidationError(
        _("Enter the registered item number printed on the receipt of the post, for example RR123456785MA."),
        code="invalid_item_number",
    )


def order_hand_to_post(*, case: Case, actor: Actor, item_number: str) -> Case:
    """The office handed the documents to the post as a registered letter: its item number is
    required and shown to the requester."""
    number = post_item_number_normalize(item_number)
    with transaction.atomic():
        case = case_transition(case=case, action="hand_to_post", actor=actor, payload={"item_number": number})
        DocumentOrder.objects.filter(pk=case.pk).update(post_item_number=number)
    return case
