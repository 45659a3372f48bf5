"""Writes of the complaints portal. The web form, the API, the contact center and email intake
all call these (ARCHITECTURE.md §3.5); they call the case core for everything a case has."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case
from tawasul.cases.services import CaseActionRefused, case_create, case_log_event, case_transition

from .models import Complaint, Subject
from .workflow import PORTAL


def complaint_submit(
    *,
    actor: Actor,
    administration,
    kind: str,
    subject: Subject,
    sub_subject: Subject | None = None,
    description: str,
    channel: str = "web",
    first_name: str = "",
    last_name: str = "",
    id_type: str = "",
    id_number: str = "",
    email: str = "",
    phone: str = "",
    complainant_type: str = "citizen",
    is_confidential: bool = False,
    requester_user=None,
    region=None,
    province=None,
    commune=None,
    place_address: str = "",
    language: str = "ar",
    attachments: Sequence = (),
    idempotency_key: str | None = None,
    tracking_url_builder: Callable | None = None,
) -> Case:
    """File a complaint, an observation or a suggestion; return its case.

    With the same `idempotency_key` twice, the first case is returned (`case.was_created` is
    False). Raises `ValidationError` for inconsistent input and `UploadRejected` for a refused
    file: in both cases nothing is stored.
    """
    _check_subject(administration, subject, sub_subject)
    _check_place(region, province, commune)
    with transaction.atomic():
        case = case_create(
            portal=PORTAL,
            kind=kind,
            administration=administration,
            channel=channel,
            actor=actor,
            subject=(sub_subject or subject).name(language)[:255],
            description=description,
            first_name=first_name,
            last_name=last_name,
            id_type=id_type,
            id_number=id_number,
            email=email,
            phone=phone,
            complainant_type=complainant_type,
            requester_user=requester_user,
            is_confidential=is_confidential,
            language=language,
            idempotency_key=idempotency_key,
            attachments=attachments,
            tracking_url_builder=tracking_url_builder,
        )
        if case.was_created:
            Complaint.objects.create(
                case=case,
                subject=subject,
                sub_subject=sub_subject,
                region=region or (province.region if province else None),
                province=province or (commune.province if commune else None),
                commune=commune,
                place_address=place_address.strip(),
            )
    return case


def _check_subject(administration, subject: Subject, sub_subject: Subject | None) -> None:
    if subject.parent_id is not None or not subject.is_active:
        raise ValidationError(_("Choose a main subject from the list."), code="invalid_subject")
    if subject.administration_id not in (None, administration.pk):
        raise ValidationError(_("This subject does not belong to the chosen administration."), code="invalid_subject")
    if sub_subject is not None and (sub_subject.parent_id != subject.pk or not sub_subject.is_active):
        raise ValidationError(_("The sub-subject does not belong to the main subject."), code="invalid_sub_subject")


def _check_place(region, province, commune) -> None:
    if province is not None and region is not None and province.region_id != region.pk:
        raise ValidationError(_("The province is not in the chosen region."), code="invalid_place")
    if commune is not None and province is not None and commune.province_id != province.pk:
        raise ValidationError(_("The commune is not in the chosen province."), code="invalid_place")


def reopen_deadline(case: Case):
    """Last moment the requester may reopen: the answer plus the window (DOMAIN.md R2 [M], 30 days)."""
    if case.answered_at is None:
        return None
    return case.answered_at + timedelta(days=settings.COMPLAINTS_REOPEN_WINDOW_DAYS)


def can_reopen(case: Case, *, now=None) -> bool:
    deadline = reopen_deadline(case)
    return (
        case.status in ("answered", "closed")
        and deadline is not None
        and (now or timezone.now()) <= deadline
        and case.reopen_count < settings.COMPLAINTS_MAX_REOPENINGS
    )


def complaint_reopen(*, case: Case, actor: Actor, reason: str) -> Case:
    """The requester sends the case back to the administration with a fresh clock (R2)."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not can_reopen(locked):
            raise CaseActionRefused(_("This complaint can no longer be reopened."))
        return case_transition(case=locked, action="reopen", actor=actor, note=reason)


def can_rate(case: Case) -> bool:
    return case.answered_at is not None and case.status in ("answered", "closed")


def complaint_rate(*, case: Case, actor: Actor, satisfaction: int, comment: str = "") -> Complaint:
    """The requester rates the answer, 1 to 5 (R2 "Satisfaction"); a new rating replaces the old."""
    if not actor.is_requester:
        raise CaseActionRefused(_("Only the person who filed the complaint may rate the answer."))
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError(_("Choose a rating from 1 to 5."), code="invalid_rating")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not can_rate(locked):
            raise CaseActionRefused(_("The answer can be rated once the administration has answered."))
        complaint = Complaint.objects.select_for_update().get(case=locked)
        complaint.satisfaction = int(satisfaction)
        complaint.satisfaction_comment = comment.strip()
        complaint.rated_at = timezone.now()
        complaint.save(update_fields=["satisfaction", "satisfaction_comment", "rated_at"])
        case_log_event(
            case=locked,
            action="rated",
            actor=actor,
            role="requester",
            is_public=True,
            payload={"satisfaction": complaint.satisfaction},
        )
    return complaint
