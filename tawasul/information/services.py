"""Writes of the access-to-information portal (law 31-13; DOMAIN.md R1).

The web form, the API and the back office call these (ARCHITECTURE.md §3.5); they call the case
core for everything a case has. The staff services are named by the workflow table
(`Transition.service`) and called by the back office as `service(case=, actor=, **cleaned_data)`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tawasul.accounts.roles import Role
from tawasul.accounts.validators import normalize_cin
from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, ComplainantType, IdType
from tawasul.cases.services import (
    CaseActionRefused,
    case_create,
    case_extend_answer_deadline,
    case_log_event,
    case_transition,
)

from .models import (
    DeliveryMode,
    DocumentKind,
    ExtensionReason,
    InfoRequest,
    Kind,
    Outcome,
    ProactiveEntry,
    RefusalGround,
    RequesterType,
)
from .recourse import can_file_cdai_complaint, can_file_head_complaint, cdai_administration
from .workflow import PORTAL

__all__ = [
    "info_complaint_to_cdai_file",
    "info_complaint_to_head_file",
    "info_request_already_published",
    "info_request_answer",
    "info_request_ask_costs",
    "info_request_extend",
    "info_request_not_held",
    "info_request_publish",
    "info_request_refuse",
    "info_request_submit",
]

#: Who decides a case of each kind: the officers for a request, the head of the body for a
#: complaint to the head (art. 19), the CDAI for a complaint to it.
DECIDERS = {
    Kind.REQUEST: frozenset({Role.INFORMATION_OFFICER, Role.BODY_HEAD}),
    Kind.URGENT_REQUEST: frozenset({Role.INFORMATION_OFFICER, Role.BODY_HEAD}),
    Kind.COMPLAINT_TO_HEAD: frozenset({Role.BODY_HEAD}),
    Kind.COMPLAINT_TO_CDAI: frozenset({Role.CDAI_AGENT}),
}


# --- Filing -----------------------------------------------------------------------------------------


def info_request_submit(
    *,
    actor: Actor,
    administration,
    requester_type: str,
    first_name: str,
    last_name: str,
    id_number: str,
    subject: str,
    description: str,
    delivery_mode: str,
    is_urgent: bool = False,
    urgency_reason: str = "",
    address: str = "",
    email: str = "",
    phone: str = "",
    period_from: date | None = None,
    period_to: date | None = None,
    document_kinds: Sequence[str] = (),
    publish_consent: bool = False,
    lawful_use_undertaking: bool = True,
    channel: str = "web",
    requester_user=None,
    language: str = "ar",
    attachments: Sequence = (),
    idempotency_key: str | None = None,
    tracking_url_builder: Callable | None = None,
    received_at=None,
) -> Case:
    """File a request for information (art. 14); return its case. The request is free (art. 5).

    R1: a Moroccan citizen gives the CIN, a foreign resident the residence-document number; an
    urgent request (art. 17) gives its reason; the requester undertakes a lawful use (art. 6).
    `received_at`: the date of receipt the body records for a request that came by hand or by
    post (R1 "The body fills in received_at"); now by default.
    Raises `ValidationError` (nothing stored) for inconsistent input.
    """
    if requester_type not in RequesterType.values:
        raise ValidationError(_("Choose who you are."), code="invalid_requester_type")
    if requester_type == RequesterType.MA_CITIZEN:
        id_type, complainant_type = IdType.CIN, ComplainantType.CITIZEN
        id_number = normalize_cin(id_number)
    else:
        id_type, complainant_type = IdType.RESIDENCE_DOC, ComplainantType.FOREIGNER
        id_number = id_number.strip().upper()
        if not id_number:
            raise ValidationError(_("Give the number of your residence document."), code="id_required")
    if is_urgent and not urgency_reason.strip():
        raise ValidationError(_("Say why the request is urgent."), code="urgency_reason_required")
    if not lawful_use_undertaking:
        raise ValidationError(_("You must undertake to use the information lawfully."), code="undertaking_required")
    if period_from and period_to and period_to < period_from:
        raise ValidationError(_("The end of the period is before its start."), code="invalid_period")
    if delivery_mode not in DeliveryMode.values:
        raise ValidationError(_("Choose how you want to receive the information."), code="invalid_delivery")
    kinds = [k for k in document_kinds if k in DocumentKind.values]
    with transaction.atomic():
        case = case_create(
            portal=PORTAL,
            kind=Kind.URGENT_REQUEST if is_urgent else Kind.REQUEST,
            administration=administration,
            channel=channel,
            actor=actor,
            subject=subject[:255],
            description=description,
            first_name=first_name,
            last_name=last_name,
            id_type=id_type,
            id_number=id_number,
            email=email,
            phone=phone,
            complainant_type=complainant_type,
            requester_user=requester_user,
            language=language,
            idempotency_key=idempotency_key,
            attachments=attachments,
            tracking_url_builder=tracking_url_builder,
            received_at=received_at,
        )
        if case.was_created:
            InfoRequest.objects.create(
                case=case,
                requester_type=requester_type,
                body_level=administration.level,
                address=address.strip(),
                period_from=period_from,
                period_to=period_to,
                document_kinds=kinds,
                delivery_mode=delivery_mode,
                urgency_reason=urgency_reason.strip() if is_urgent else "",
                lawful_use_undertaking=True,
                publish_consent=publish_consent,
            )
    return case


# --- Staff decisions (named by the workflow table) -----------------------------------------------


def _check_decider(case: Case, actor: Actor) -> None:
    allowed = DECIDERS.get(case.kind, frozenset())
    if not actor.roles & allowed:
        raise CaseActionRefused(_("Only the head of the body or the commission may decide on this complaint."))


def _info(case: Case) -> InfoRequest:
    return InfoRequest.objects.select_for_update().get(case_id=case.pk)


def info_request_extend(*, case: Case, actor: Actor, reason: str, note: str = "") -> Case:
    """Extend the answer deadline once by 20 working days (art. 16), before it ends, for one of
    the four legal reasons; the requester is told the reason (the core's notification)."""
    if case.kind != Kind.REQUEST:
        raise CaseActionRefused(_("Only a normal request can be extended."))
    _check_decider(case, actor)
    if reason not in ExtensionReason.values:
        raise ValidationError(_("Choose the legal reason for the extension."), code="reason_required")
    with translation.override(case.language):
        text = str(ExtensionReason(reason).label)
    if note.strip():
        text = f"{text}. {note.strip()}"
    with transaction.atomic():
        case = case_extend_answer_deadline(
            case=case,
            actor=actor,
            days=settings.INFORMATION_EXTENSION_WORKING_DAYS,
            reason=text,
            payload={"reason_code": reason},
        )
        info = _info(case)
        info.extension_reason = reason
        info.save(update_fields=["extension_reason"])
    return case


def info_request_ask_costs(*, case: Case, actor: Actor, amount: Decimal, purpose: str) -> Case:
    """Ask the requester for the costs of reproduction or sending (art. 5: the request is free)."""
    _check_decider(case, actor)
    try:
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
    except (ArithmeticError, ValueError):
        amount = None
    if amount is None or amount <= 0:
        raise ValidationError(_("Give an amount above zero."), code="invalid_amount")
    if not purpose.strip():
        raise ValidationError(_("Say what the costs are for."), code="purpose_required")
    with transaction.atomic():
        info = _info(case)
        info.cost_amount = amount
        info.cost_purpose = purpose.strip()
        info.save(update_fields=["cost_amount", "cost_purpose"])
        return case_transition(
            case=case,
            action="ask_costs",
            actor=actor,
            payload={"amount": str(amount), "purpose": purpose.strip()},
        )


def info_request_answer(*, case: Case, actor: Actor, outcome: str, note: str, ground: str = "") -> Case:
    """Give the information in full or in part. A partial answer withholds the rest on a legal
    ground (art. 7 and following), which it must name (R1: a refusal, full or partial)."""
    _check_decider(case, actor)
    if outcome not in Outcome.values:
        raise ValidationError(_("Choose whether the information is given in full or in part."), code="invalid_outcome")
    if outcome == Outcome.PARTIAL and ground not in RefusalGround.values:
        raise ValidationError(_("Give the legal ground for what is withheld."), code="ground_required")
    with transaction.atomic():
        info = _info(case)
        info.outcome = outcome
        info.refusal_ground = ground if outcome == Outcome.PARTIAL else ""
        info.save(update_fields=["outcome", "refusal_ground"])
        payload = {"outcome": outcome}
        if outcome == Outcome.PARTIAL:
            payload["ground"] = ground
        return case_transition(case=case, action="answer", actor=actor, note=note, payload=payload)


def info_request_refuse(*, case: Case, actor: Actor, ground: str, note: str) -> Case:
    """Refuse on a legal ground of the exceptions of the law, with a written reason (R1). A
    refusal without a ground, or without its reason, is not saved."""
    _check_decider(case, actor)
    if ground not in RefusalGround.values:
        raise ValidationError(_("A refusal must name its legal ground."), code="ground_required")
    if not note.strip():
        raise ValidationError(_("A refusal must give its reason in writing."), code="note_required")
    with transaction.atomic():
        info = _info(case)
        info.refusal_ground = ground
        info.save(update_fields=["refusal_ground"])
        return case_transition(case=case, action="refuse", actor=actor, note=note, payload={"ground": ground})


def info_request_already_published(
    *, case: Case, actor: Actor, entry: ProactiveEntry | None = None, url: str = "", note: str = ""
) -> Case:
    """Answer that the information is already public: link to the body's proactive-publication
    register entry, or to the address where it is published (R1 `ALREADY_PUBLISHED (with link)`)."""
    _check_decider(case, actor)
    if entry is not None and entry.administration_id != case.administration_id:
        raise ValidationError(_("Choose an entry of this body's register."), code="invalid_entry")
    if entry is None and not url.strip():
        raise ValidationError(
            _("Give the entry of the register or the address where it is published."), code="link_required"
        )
    link = entry.url if entry is not None else url.strip()
    text = note.strip() or _("The information you asked for is already published: %(link)s") % {"link": link}
    with transaction.atomic():
        info = _info(case)
        info.published_entry = entry
        info.published_url = link
        info.save(update_fields=["published_entry", "published_url"])
        return case_transition(
            case=case,
            action="mark_already_published",
            actor=actor,
            note=text,
            payload={"url": link, "entry_id": entry.pk if entry else None},
        )


def info_request_not_held(*, case: Case, actor: Actor, note: str, redirect_to=None) -> Case:
    """The body does not hold the information; it names, where it knows it, the body that may."""
    _check_decider(case, actor)
    if redirect_to is not None and redirect_to.pk == case.administration_id:
        raise ValidationError(_("Name another body than this one."), code="same_administration")
    with transaction.atomic():
        info = _info(case)
        info.redirected_to = redirect_to
        info.save(update_fields=["redirected_to"])
        return case_transition(
            case=case,
            action="mark_not_held",
            actor=actor,
            note=note,
            payload={"redirect_to": redirect_to.code if redirect_to else None},
        )


# --- Public register ---------------------------------------------------------------------------


def info_request_publish(*, case: Case, actor: Actor, redacted_text: str) -> InfoRequest:
    """Publish an answered request in the public register: only when the requester opted in,
    only the version an officer wrote with the personal data removed (as Alaveteli and Froide
    do); the requester's identity is never published."""
    role = actor.role_for(DECIDERS[Kind.REQUEST])
    if role is None:
        raise CaseActionRefused(_("Only the body's information officers may publish an answer."))
    if not redacted_text.strip():
        raise ValidationError(_("Write the version to publish, without personal data."), code="redacted_required")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        info = _info(locked)
        if locked.kind not in (Kind.REQUEST, Kind.URGENT_REQUEST) or locked.answered_at is None:
            raise CaseActionRefused(_("Only an answered request can be published."))
        if locked.status not in ("answered", "closed") or info.outcome == "":
            raise CaseActionRefused(_("Only an answered request can be published."))
        if not info.publish_consent:
            raise CaseActionRefused(_("The requester did not agree to publication."))
        info.redacted_text = redacted_text.strip()
        info.published_at = timezone.now()
        info.published_by = actor.user if actor.user_id else None
        info.save(update_fields=["redacted_text", "published_at", "published_by"])
        case_log_event(case=locked, action="published", actor=actor, role=role, is_public=True, payload={})
    return info


# --- Recourse: complaints to the head of the body and to the CDAI ---------------------------------


def _file_complaint(
    *,
    parent: Case,
    actor: Actor,
    kind: str,
    administration,
    description: str,
    subject: str,
    language: str,
    attachments: Sequence,
    tracking_url_builder: Callable | None,
) -> Case:
    parent_info = InfoRequest.objects.get(case_id=parent.pk)
    case = case_create(
        portal=PORTAL,
        kind=kind,
        administration=administration,
        channel=parent.channel if parent.channel in ("web", "mobile_app") else "web",
        actor=actor,
        subject=subject[:255],
        description=description,
        first_name=parent.first_name,
        last_name=parent.last_name,
        id_type=parent.id_type,
        id_number=parent.id_number,
        email=parent.email,
        phone=parent.phone,
        complainant_type=parent.complainant_type,
        requester_user=parent.requester_user,
        language=language or parent.language,
        details={"parent_reference": parent.reference},
        attachments=attachments,
        tracking_url_builder=tracking_url_builder,
    )
    InfoRequest.objects.create(
        case=case,
        parent=parent_info,
        requester_type=parent_info.requester_type,
        body_level=administration.level,
        address=parent_info.address,
        delivery_mode=parent_info.delivery_mode,
        lawful_use_undertaking=True,
    )
    case_log_event(
        case=parent,
        action="complaint_filed",
        actor=actor,
        role="requester",
        is_public=True,
        payload={"reference": case.reference, "kind": kind},
    )
    return case


def info_complaint_to_head_file(
    *,
    parent: Case,
    actor: Actor,
    description: str,
    language: str = "",
    attachments: Sequence = (),
    tracking_url_builder: Callable | None = None,
) -> Case:
    """The requester complains to the head of the body about a refusal, a partial answer or a
    deadline passed without answer (art. 19: within 20 working days); a new case of the same
    body, linked to the request, that the head must answer within 15 days [M]."""
    if not actor.is_requester:
        raise CaseActionRefused(_("Only the requester may file this complaint."))
    if not description.strip():
        raise ValidationError(_("Say what you complain about."), code="description_required")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=parent.pk)
        if not can_file_head_complaint(locked):
            raise CaseActionRefused(_("A complaint to the head of the body cannot be filed for this request now."))
        return _file_complaint(
            parent=locked,
            actor=actor,
            kind=Kind.COMPLAINT_TO_HEAD,
            administration=locked.administration,
            description=description,
            subject=_("Complaint to the head of the body about %(reference)s") % {"reference": locked.reference},
            language=language,
            attachments=attachments,
            tracking_url_builder=tracking_url_builder,
        )


def info_complaint_to_cdai_file(
    *,
    parent: Case,
    actor: Actor,
    description: str,
    language: str = "",
    attachments: Sequence = (),
    tracking_url_builder: Callable | None = None,
) -> Case:
    """The requester complains to the CDAI after the head's answer or silence (within 30 days);
    a case of the CDAI's administration, linked to the complaint to the head."""
    if not actor.is_requester:
        raise CaseActionRefused(_("Only the requester may file this complaint."))
    if not description.strip():
        raise ValidationError(_("Say what you complain about."), code="description_required")
    commission = cdai_administration()
    if commission is None:
        raise CaseActionRefused(_("The commission is not on the platform yet."))
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=parent.pk)
        if not can_file_cdai_complaint(locked):
            raise CaseActionRefused(_("A complaint to the commission cannot be filed for this request now."))
        return _file_complaint(
            parent=locked,
            actor=actor,
            kind=Kind.COMPLAINT_TO_CDAI,
            administration=commission,
            description=description,
            subject=_("Complaint to the commission about %(reference)s") % {"reference": locked.reference},
            language=language,
            attachments=attachments,
            tracking_url_builder=tracking_url_builder,
        )
