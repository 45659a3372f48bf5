"""Writes of the contact center (ARCHITECTURE.md §3.1): logging a contact, filing a complaint for
a caller through the complaints portal's own service, the assistant's anonymous question log and
its callback requests (SPEC.md §8; DOMAIN.md §6 and R6)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor
from tawasul.cases.models import Case
from tawasul.cases.models import Channel as CaseChannel
from tawasul.cases.workflow import get_workflow
from tawasul.complaints.services import complaint_submit
from tawasul.complaints.workflow import PORTAL as COMPLAINTS
from tawasul.notifications.services import notify

from .models import CallbackStatus, Category, Channel, Contact, Language, RequesterCategory
from .selectors import is_contact_agent

#: The channels an agent logs (the assistant logs its own questions).
AGENT_CHANNELS = (Channel.PHONE, Channel.EMAIL, Channel.SOCIAL, Channel.COUNTER)
#: A complaint filed for a caller keeps the channel it came through (SPEC.md §2 "Channels").
COMPLAINT_CHANNELS = {Channel.PHONE: CaseChannel.PHONE_3737, Channel.COUNTER: CaseChannel.COUNTER}
#: Languages the platform writes to citizens in (an "other" language caller gets Arabic).
MESSAGE_LANGUAGES = ("ar", "fr", "zgh", "en")


def _check_agent(agent) -> None:
    if not is_contact_agent(agent):
        raise PermissionDenied("only contact-center agents use the console")


def _check_choice(value: str, choices, field: str) -> None:
    if value not in choices.values:
        raise ValidationError({field: _("Choose a value from the list.")}, code="invalid_choice")


def _close_callback(callback: Contact, *, agent, now) -> None:
    """Mark a waiting callback as done, under a row lock, and erase the caller's name and phone:
    two agents who call the same person back: the second is told, nothing is written twice."""
    locked = Contact.objects.select_for_update().filter(pk=callback.pk).first()
    if locked is None or locked.callback_status != CallbackStatus.WAITING:
        raise ValidationError(_("This callback was already handled by another agent."), code="callback_handled")
    locked.callback_status = CallbackStatus.DONE
    locked.callback_handled_by = agent
    locked.callback_handled_at = now
    locked.callback_name = ""
    locked.callback_phone = ""
    locked.save(
        update_fields=[
            "callback_status",
            "callback_handled_by",
            "callback_handled_at",
            "callback_name",
            "callback_phone",
        ]
    )


def contact_log(
    *,
    agent,
    channel: str,
    category: str,
    language: str,
    requester_category: str = "",
    administration=None,
    note: str = "",
    procedure=None,
    facility=None,
    complaint: Case | None = None,
    callback: Contact | None = None,
) -> Contact:
    """Log one contact handled by `agent` (a contact-center agent). With `callback`, the contact
    is the call back of that waiting request, which is closed in the same transaction."""
    _check_agent(agent)
    if channel not in AGENT_CHANNELS:
        raise ValidationError({"channel": _("Choose a value from the list.")}, code="invalid_choice")
    _check_choice(category, Category, "category")
    _check_choice(language, Language, "language")
    _check_choice(requester_category, RequesterCategory, "requester_category")
    if procedure is not None and not procedure.is_public:
        raise ValidationError({"procedure": _("Choose a published procedure.")}, code="unpublished")
    now = timezone.now()
    with transaction.atomic():
        if callback is not None:
            _close_callback(callback, agent=agent, now=now)
        return Contact.objects.create(
            channel=channel,
            category=category,
            language=language,
            requester_category=requester_category,
            administration=administration,
            note=note.strip()[:1000],
            procedure=procedure,
            facility=facility,
            complaint=complaint,
            agent=agent,
            created_at=now,
            day=timezone.localdate(now),
        )


def contact_file_complaint(
    *,
    agent,
    channel: str,
    administration,
    kind: str,
    subject,
    description: str,
    language: str,
    sub_subject=None,
    first_name: str = "",
    last_name: str = "",
    id_type: str = "",
    id_number: str = "",
    email: str = "",
    phone: str = "",
    complainant_type: str = "citizen",
    is_confidential: bool = False,
    region=None,
    province=None,
    commune=None,
    place_address: str = "",
    attachments: Sequence = (),
    requester_category: str = "",
    note: str = "",
    procedure=None,
    facility=None,
    callback: Contact | None = None,
    idempotency_key: str | None = None,
    tracking_url_builder: Callable | None = None,
) -> tuple[Case, Contact]:
    """File a complaint for a caller (SPEC.md §8) through `complaint_submit`, the service of the
    web form, with the agent as actor and channel phone (3737) or counter; log the contact linked
    to it, in one transaction.

    The caller receives the reference: by email when one is given (with the secret tracking
    link), and by SMS when a phone is given — the case core sends one or the other, so with both
    the SMS is added here. Sent after commit, through the outbox. With the same
    `idempotency_key` twice (a double click), the first case and its contact are returned.
    """
    _check_agent(agent)
    if channel not in COMPLAINT_CHANNELS:
        raise ValidationError({"channel": _("Choose a value from the list.")}, code="invalid_choice")
    _check_choice(language, Language, "language")
    _check_choice(requester_category, RequesterCategory, "requester_category")
    message_language = language if language in MESSAGE_LANGUAGES else "ar"
    if idempotency_key:  # a double click: the first filing, without touching the callback again
        earlier = Contact.objects.filter(
            complaint__portal=COMPLAINTS, complaint__idempotency_key=idempotency_key, agent=agent
        ).select_related("complaint")
        if (found := earlier.first()) is not None:
            found.complaint.was_created, found.complaint.tracking_token = False, None
            return found.complaint, found
    now = timezone.now()
    with transaction.atomic():
        if callback is not None:  # first: a refused callback must not leave a filed complaint
            _close_callback(callback, agent=agent, now=now)
        case = complaint_submit(
            actor=Actor(user=agent, roles=frozenset({Role.CONTACT_AGENT})),
            administration=administration,
            kind=kind,
            subject=subject,
            sub_subject=sub_subject,
            description=description,
            channel=COMPLAINT_CHANNELS[channel],
            first_name=first_name,
            last_name=last_name,
            id_type=id_type,
            id_number=id_number,
            email=email,
            phone=phone,
            complainant_type=complainant_type,
            is_confidential=is_confidential,
            requester_user=None,
            region=region,
            province=province,
            commune=commune,
            place_address=place_address,
            language=message_language,
            attachments=attachments,
            idempotency_key=idempotency_key,
            tracking_url_builder=tracking_url_builder,
        )
        if not case.was_created:
            existing = Contact.objects.filter(complaint=case).first()
            if existing is not None:
                return case, existing
        if case.was_created and case.email and case.phone:
            notify(
                channel="sms",
                to=case.phone,
                template="case_sms",
                context={
                    "reference": case.reference,
                    "first_name": case.first_name,
                    "status": case.status,
                    "status_label": get_workflow(COMPLAINTS).status_label(case.status),
                },
                language=case.language,
                subject_ref=case.reference,
            )
        contact = Contact.objects.create(
            channel=channel,
            category=Category.COMPLAINT,
            language=language,
            requester_category=requester_category,
            administration=administration,
            note=note.strip()[:1000],
            procedure=procedure,
            facility=facility,
            complaint=case,
            agent=agent,
            created_at=now,
            day=timezone.localdate(now),
        )
    return case, contact


def assistant_question_log(*, language: str, category: str, answered: bool) -> Contact:
    """Count one question to the assistant (channel assistant, category guessed). Nothing of the
    question itself is kept: it may hold personal data (law 09-08)."""
    _check_choice(category, Category, "category")
    return Contact.objects.create(
        channel=Channel.ASSISTANT,
        category=category,
        language=language if language in Language.values else Language.OTHER,
        answered=answered,
    )


def callback_request(*, name: str, phone: str, language: str, note: str, category: str = Category.OTHER) -> Contact:
    """A citizen asks the assistant to be called back: a waiting contact in the agents' queue.
    `phone` is already checked and in E.164 form (the form does it)."""
    _check_choice(category, Category, "category")
    if not phone:
        raise ValidationError({"phone": _("Give a phone number.")}, code="required")
    return Contact.objects.create(
        channel=Channel.ASSISTANT,
        category=category,
        language=language if language in Language.values else Language.OTHER,
        note=note.strip()[:1000],
        callback_status=CallbackStatus.WAITING,
        callback_name=name.strip()[:100],
        callback_phone=phone,
    )


def callbacks_expire(*, before) -> int:
    """Close the callbacks still waiting since before `before` and erase what identifies the
    person (name, phone, note): law 09-08 art. 3, kept no longer than needed. One UPDATE:
    idempotent, safe on several workers at once. Returns how many were closed."""
    return Contact.objects.filter(callback_status=CallbackStatus.WAITING, created_at__lt=before).update(
        callback_status=CallbackStatus.EXPIRED, callback_name="", callback_phone="", note=""
    )
