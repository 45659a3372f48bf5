"""Writes on cases (ARCHITECTURE.md §3.1 and §3.6): every change goes through one of these.

- `case_create`: the reference, the deadlines, the tracking secret, the `submitted` event and
  the acknowledgement, in one transaction; idempotent on `(portal, idempotency_key)` by
  insert-then-catch (BENCHMARKING.md "Pitfalls": check-then-insert fails under concurrency).
- `case_transition`: the only way a status changes. Locks the row, re-reads it, finds the
  move in the portal's workflow table, checks the actor's roles for this case, applies the
  clock effects, writes exactly one `CaseEvent`, queues the notifications after commit. A
  refused move raises `TransitionNotAllowed` and writes nothing.
- `case_add_message`, `case_assign`, `case_add_attachment`: the other writes, same shape.

Files: uploads are checked (tawasul.core.uploads) before anything is written, stored before the
transaction opens, and deleted again if the transaction fails.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, router, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from tawasul.accounts.permissions import roles_of
from tawasul.accounts.validators import normalize_phone
from tawasul.core.calendar import (
    add_days,
    add_working_days,
    end_of_day,
    is_provisional,
    local_date,
    working_days_between,
)
from tawasul.core.inserts import PreparedInsert, atomic_rows
from tawasul.core.references import next_reference_and_keys
from tawasul.core.uploads import CheckedFile, check_upload, delete_stored_file, store_checked_file
from tawasul.notifications.models import Notification, StaffAlert
from tawasul.notifications.services import notify, staff_alert_create

from .actors import CASE_STAFF_ROLES, Actor
from .models import Attachment, Case, CaseEvent, ComplainantType, Message
from .workflow import REQUESTER, SYSTEM, Policy, Transition, Workflow, get_workflow

__all__ = [
    "CaseActionRefused",
    "TransitionNotAllowed",
    "case_add_attachment",
    "case_add_message",
    "case_assign",
    "case_create",
    "case_escalate",
    "case_escalate_many",
    "case_inform_requester",
    "case_log_event",
    "case_mark_overdue",
    "case_mark_overdue_many",
    "case_recompute_deadlines",
    "case_remind",
    "case_transition",
    "compute_deadlines",
    "hash_tracking_token",
    "reminder_due",
]


class CaseActionRefused(PermissionError):
    """The actor may not do this to this case now; nothing was written."""


class TransitionNotAllowed(CaseActionRefused):
    pass


# --- Tracking secret -----------------------------------------------------------------------


def hash_tracking_token(token: str) -> str:
    """SHA-256 of the secret: the raw secret (256 random bits) is never stored on the case."""
    return hashlib.sha256(token.encode()).hexdigest()


def _new_tracking_token() -> str:
    return secrets.token_urlsafe(settings.CASE_TRACKING_TOKEN_BYTES)


# --- Deadlines -------------------------------------------------------------------------------


def compute_deadlines(
    policy: Policy,
    *,
    started_at: datetime,
    paused_days: int = 0,
    paused_working_days: int = 0,
    escalation_level: int = 1,
    last_action_at: datetime | None = None,
    closures: Iterable = (),
    extension_days: int = 0,
) -> dict[str, Any]:
    """The stored deadlines of a case whose clock (re)started at `started_at` (DOMAIN.md R2, R8).

    - Day 0 is the day of receipt; a deadline is the end of its last day in Morocco.
    - First action: `first_action_working_days` working days (default 2, Jordanian model).
    - Answer: `answer_days` calendar or working days (default 60 calendar days, decree 2-17-265),
      pushed back by the days spent waiting for the requester and by an extension
      (`extension_days`, in the same unit: law 31-13 art. 16).
    - Next escalation: `escalation_steps[level - 1]` working days after the last qualifying
      action (or the start); none at the last level.
    """
    closures = tuple(closures)
    start_day = local_date(started_at)
    first_action_day = add_working_days(start_day, policy.first_action_working_days, closures=closures)
    if policy.answer_unit == "working":
        answer_day = add_working_days(
            start_day, policy.answer_days + paused_working_days + extension_days, closures=closures
        )
    else:
        answer_day = add_days(start_day, policy.answer_days + paused_days + extension_days)
    next_escalation_at = None
    steps = policy.escalation_steps
    if escalation_level <= len(steps):
        base_day = local_date(last_action_at or started_at)
        next_escalation_at = end_of_day(add_working_days(base_day, steps[escalation_level - 1], closures=closures))
    return {
        "first_action_due_at": end_of_day(first_action_day),
        "answer_due_at": end_of_day(answer_day),
        "next_escalation_at": next_escalation_at,
        "deadlines_provisional": is_provisional(start_day, max(answer_day, first_action_day)),
    }


def _policy(case: Case) -> Policy:
    return get_workflow(case.portal).policy_for(case.kind)


def timer_base(case: Case) -> datetime | None:
    """Where the escalation timer of `case` counts from (`Case.escalation_timer_from`), falling
    back on the last qualifying action for rows written before that field existed."""
    return case.escalation_timer_from or case.last_qualifying_action_at


def case_recompute_deadlines(*, case: Case) -> Case:
    """Recompute an open case's deadlines (after a holiday override changed, issue 4).

    Locks the row; writes only the deadline fields; no event (nothing happened to the case).
    """
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if case.closed_at is not None:
            return case
        deadlines = compute_deadlines(
            _policy(case),
            started_at=case.clock_started_at or case.received_at,
            paused_days=case.paused_days,
            paused_working_days=case.paused_working_days,
            escalation_level=case.escalation_level,
            last_action_at=timer_base(case),
            extension_days=case.extension_days,
        )
        if case.paused_at is not None or case.answered_at is not None:
            deadlines["next_escalation_at"] = None
        for field, value in deadlines.items():
            setattr(case, field, value)
        case.save(update_fields=[*deadlines, "updated_at"])
    return case


# --- Helpers ---------------------------------------------------------------------------------


def _check_files(files: Sequence) -> list[CheckedFile]:
    if len(files) > settings.CASE_MAX_ATTACHMENTS:
        raise ValidationError(
            _("Too many files: at most %(limit)s."),
            code="too_many_attachments",
            params={"limit": settings.CASE_MAX_ATTACHMENTS},
        )
    return [check_upload(uploaded) for uploaded in files]


def _store_files(files: Sequence, checked: Sequence[CheckedFile]) -> list[str]:
    stored: list[str] = []
    try:
        for uploaded, result in zip(files, checked, strict=True):
            stored.append(store_checked_file(uploaded, result, folder="cases"))
    except BaseException:
        for name in stored:
            delete_stored_file(name)
        raise
    return stored


def _attachment_rows(case, checked, stored, *, role: str, message=None, is_public=True) -> list[Attachment]:
    return [
        Attachment.objects.create(
            case=case,
            message=message,
            storage_name=name,
            display_name=result.safe_name,
            kind=result.kind,
            mime=result.mime,
            size=result.size,
            sha256=result.sha256,
            uploaded_by_role=role,
            is_public=is_public,
        )
        for result, name in zip(checked, stored, strict=True)
    ]


# The rows every filing writes, through INSERTs compiled once (issue 7; `tawasul.core.inserts`).
_CASE_ROW = PreparedInsert(Case)
_EVENT_ROW = PreparedInsert(
    CaseEvent, save_override="CaseEvent.save() only refuses rows that are not new; insert() refuses them too"
)


def _event(
    case: Case, *, action: str, actor: Actor, role: str, is_public: bool, from_status="", to_status="", payload=None
):
    return _EVENT_ROW.create(
        case=case,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor=actor.user if getattr(actor.user, "pk", None) else None,
        actor_role=role,
        is_public=is_public,
        payload=payload or {},
    )


def _notify_requester(
    case: Case, workflow: Workflow, *, template: str, context: dict[str, Any], pk: int | None = None
) -> None:
    """Queue the requester's email (or SMS when no email): written now, sent after commit.
    `pk`: the outbox row's key, when taken beforehand (`next_reference_and_keys`)."""
    message = _requester_message(case, workflow, template=template, context=context)
    if message is not None:
        notify(**message, pk=pk)


def _requester_message(case: Case, workflow: Workflow, *, template: str, context: dict[str, Any]) -> dict | None:
    """`notify`'s arguments for the requester's email (or SMS when no email), or None."""
    base = {
        "reference": case.reference,
        "first_name": case.first_name,
        "status": case.status,
        "status_label": workflow.status_label(case.status),
        **context,
    }
    if case.email:
        return {
            "channel": "email",
            "to": case.email,
            "template": template,
            "context": base,
            "language": case.language,
            "subject_ref": case.reference,
        }
    if case.phone:
        return {
            "channel": "sms",
            "to": case.phone,
            "template": "case_sms",
            "context": base,
            "language": case.language,
            "subject_ref": case.reference,
        }
    return None


def staff_case_url(case: Case) -> str:
    """The back office's page of the case, for alerts and staff emails ("" when the back office
    is not installed). Resolved by URL name: the case core imports no app above it."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("backoffice:case", kwargs={"reference": case.reference})
    except NoReverseMatch:
        return ""


def case_staff_recipients(case: Case) -> list:
    """Who handles the case now (issue 4): its assignee while still staff of its administration,
    else the administration's level-1 officers (officer and deputy, or the nearest parent's)."""
    from tawasul.accounts.selectors import escalation_contacts

    assignee = case.assignee
    if assignee is not None and assignee.is_active and roles_of(assignee, case.administration_id) & CASE_STAFF_ROLES:
        return [assignee]
    return escalation_contacts(case.administration, 1, roles=get_workflow(case.portal).roles_at(1))


def _alert(users, case: Case, *, kind: str, text: str, dedupe_key: str = "", emailed: bool = False, **params):
    """A staff alert about `case`: its reference and dates only, never the requester's identity
    (confidential cases, issue 4)."""
    staff_alert_create(
        users=users,
        kind=kind,
        text=text,
        params={"reference": case.reference, **params},
        case_reference=case.reference,
        url=staff_case_url(case),
        dedupe_key=dedupe_key,
        emailed=emailed,
    )


#: What the administration is told when the requester acts (issue 4 "a requester's message or
#: provided information"), by action.
_REQUESTER_ALERTS = {
    "message_added": gettext_noop("The requester sent a message on case %(reference)s."),
    "provide_information": gettext_noop("The requester sent the information requested on case %(reference)s."),
    "reopen": gettext_noop("The requester reopened case %(reference)s."),
}
_REQUESTER_ALERT_DEFAULT = gettext_noop("There is news from the requester on case %(reference)s.")


class NormalizedPhone(str):
    """A phone number already in the E.164 form `normalize_phone` gives (its result, marked): a
    caller that checked the number passes it on and `case_create` does not parse it again (a
    parse is ~3 % of a filing's CPU, issue 7)."""

    __slots__ = ()


def normalized_phone(value: str) -> NormalizedPhone:
    """`normalize_phone(value)`, marked as such; ValidationError if it is not a valid number."""
    return NormalizedPhone(normalize_phone(value))


def _normalize_contact(email: str, phone: str) -> tuple[str, str]:
    email = (email or "").strip().lower()
    if type(phone) is NormalizedPhone:
        return email, str(phone)
    phone = normalize_phone(phone) if phone and phone.strip() else ""
    return email, phone


# --- case_create -----------------------------------------------------------------------------

#: The fields `case_create` takes from its caller, checked by `full_clean` (formats, lengths,
#: choices). The others are left out: the reference, status and secret it makes itself, the
#: administration and user objects it is given, the deadlines it computes and the fields at their
#: defaults, all valid by construction (issue 7: checking them cost a fifth of the INSERT).
_CHECKED_ON_CREATE = frozenset(
    {
        "portal",
        "kind",
        "channel",
        "language",
        "is_confidential",
        "first_name",
        "last_name",
        "id_type",
        "id_number",
        "email",
        "phone",
        "complainant_type",
        "subject",
        "description",
        "details",
        "received_at",
        "clock_started_at",
        "idempotency_key",
    }
)
_NOT_CHECKED_ON_CREATE = frozenset(field.name for field in Case._meta.fields) - _CHECKED_ON_CREATE


def case_create(
    *,
    portal: str,
    kind: str,
    administration,
    channel: str,
    actor: Actor,
    subject: str,
    description: str,
    first_name: str = "",
    last_name: str = "",
    id_type: str = "",
    id_number: str = "",
    email: str = "",
    phone: str = "",
    complainant_type: str = ComplainantType.CITIZEN,
    requester_user=None,
    is_confidential: bool = False,
    language: str = "ar",
    details: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    attachments: Sequence = (),
    received_at: datetime | None = None,
    tracking_url_builder=None,
    portal_rows: Callable[[Case], Any] | None = None,
    portal_rows_held: bool = False,
) -> Case:
    """File a new case; with the same `idempotency_key` twice, return the first one.

    The returned case carries two attributes that are not stored: `was_created` (False when an
    earlier case with the same key was returned) and `tracking_token` (the raw tracking secret,
    only when the case was created now: give it to the requester once, it is stored hashed).
    `tracking_url_builder(case, token) -> str`, if given, builds the secret link for the email.
    `portal_rows(case)`, if given, writes the portal's own rows of a new case (a `Complaint`...)
    in this same transaction, after the case's row and its event: the portal needs no
    transaction of its own around this call,
    so a filing outside any transaction runs without a savepoint (issue 7). `portal_rows_held`:
    `portal_rows` writes only rows held by the batch (`PreparedInsert`), so that a filing without
    files, outside any transaction, can be written in one statement (ADR 0049).
    Raises `UploadRejected` (nothing stored) for a refused file, `ValidationError` for bad input.
    """
    workflow = get_workflow(portal)
    if kind not in workflow.kinds:
        raise ValidationError(_("Choose a valid kind of request."), code="invalid_kind")
    email, phone = _normalize_contact(email, phone)
    if not email and not phone and requester_user is None:
        raise ValidationError(
            _("Give an email address or a phone number, so that we can reach you."), code="contact_required"
        )
    # No look-up of the key first: the INSERT decides (insert-then-catch, below), so a first
    # filing — the common case — pays no extra query; a retry pays a rolled-back attempt.
    files = list(attachments)
    checked = _check_files(files)  # raises before anything is written
    stored = _store_files(files, checked)
    token = _new_tracking_token()
    now = received_at or timezone.now()
    policy = workflow.policy_for(kind)
    role = actor.main_role or (REQUESTER if actor.is_requester else SYSTEM)
    using = router.db_for_write(Case)
    try:
        # The rows are held and written together when the block ends, in one statement on
        # PostgreSQL (ADR 0044), which is the whole transaction when the caller has none open
        # (ADR 0049); elsewhere each is written at once, in the block's transaction.
        held = not files and (portal_rows is None or portal_rows_held)
        with atomic_rows(using, one_statement=held):
            # The number is taken here, right before the case's only write (ADR 0043): on
            # PostgreSQL from a sequence, which holds no lock until the commit, with the keys of
            # the case and of its email, by the rows' own statement when they are all held (ADR
            # 0054), else in one round trip before it (ADR 0044); on SQLite from the counter row,
            # inside the transaction that already serialises SQLite's writers.
            reference, keys = next_reference_and_keys(
                workflow.prefix,
                year=local_date(now).year,
                models=(Case, Notification) if email or phone else (Case,),
                in_statement=held,
            )
            fields = {
                "id": keys.get(Case),
                "reference": reference,
                "portal": portal,
                "kind": kind,
                "administration": administration,
                "channel": channel,
                "status": workflow.initial,
                "language": language,
                "is_confidential": is_confidential,
                "requester_user": requester_user,
                "first_name": first_name.strip(),
                "last_name": last_name.strip(),
                "id_type": id_type,
                "id_number": id_number.strip().upper(),
                "email": email,
                "phone": phone,
                "complainant_type": complainant_type,
                "subject": subject.strip(),
                "description": description.strip(),
                "details": details or {},
                "received_at": now,
                "clock_started_at": now,
                "tracking_token_hash": hash_tracking_token(token),
                "idempotency_key": idempotency_key or None,
                **compute_deadlines(policy, started_at=now),
            }
            case = _CASE_ROW.new(**fields)
            case.full_clean(
                exclude=_NOT_CHECKED_ON_CREATE,
                validate_unique=False,  # uniqueness is decided by the INSERT below (insert-then-catch)
                validate_constraints=False,
            )
            # A clash on (portal, idempotency_key) rolls this whole block back: it is the only
            # savepoint, the caller's transaction survives. The retry's number is given back on
            # SQLite and lost on PostgreSQL (a gap, never a duplicate; ADR 0043).
            _CASE_ROW.insert(case)
            _event(
                case,
                action="submitted",
                actor=actor,
                role=role,
                is_public=True,
                to_status=case.status,
                payload={"channel": channel, "attachments": len(stored)},
            )
            _attachment_rows(case, checked, stored, role=role)
            if portal_rows is not None:
                portal_rows(case)
            context = {
                "administration": str(administration),
                "received_on": local_date(now).isoformat(),
                "first_action_due": local_date(case.first_action_due_at).isoformat(),
                "answer_due": local_date(case.answer_due_at).isoformat(),
            }
            if tracking_url_builder is not None:
                context["tracking_url"] = tracking_url_builder(case, token)
                context["_secret_keys"] = ["tracking_url"]
            _notify_requester(case, workflow, template="case_received", context=context, pk=keys.get(Notification))
    except IntegrityError:
        for name in stored:
            delete_stored_file(name)
        existing = (
            Case.objects.filter(portal=portal, idempotency_key=idempotency_key).first() if idempotency_key else None
        )
        if existing is None:
            raise
        existing.was_created, existing.tracking_token = False, None
        return existing
    except BaseException:
        for name in stored:
            delete_stored_file(name)
        raise
    case.was_created, case.tracking_token = True, token
    return case


# --- case_transition -------------------------------------------------------------------------


def _apply_clock(
    case: Case, transition: Transition, policy: Policy, now: datetime, role: str, actor: Actor
) -> list[str]:
    """Clock effects of a transition on the locked case; returns the changed field names."""
    changed: list[str] = []

    def put(field: str, value) -> None:
        setattr(case, field, value)
        changed.append(field)

    if transition.restarts_clock:
        # A transfer or a reopening: fresh deadlines from now (DOMAIN.md R2 "fresh 60 d clock").
        put("clock_started_at", now)
        put("paused_at", None)
        put("paused_days", 0)
        put("paused_working_days", 0)
        put("escalation_level", 1)
        put("is_overdue", False)
        put("answered_at", None)
        put("last_qualifying_action_at", None)
        put("escalation_timer_from", None)
        put("extension_days", 0)
        for field, value in compute_deadlines(policy, started_at=now).items():
            put(field, value)
        return changed
    if transition.pauses_clock and case.paused_at is None:
        put("paused_at", now)
        put("next_escalation_at", None)  # nobody escalates a case waiting for the requester
    if transition.resumes_clock and case.paused_at is not None:
        put("paused_days", case.paused_days + (local_date(now) - local_date(case.paused_at)).days)
        put(
            "paused_working_days",
            case.paused_working_days + max(0, working_days_between(local_date(case.paused_at), local_date(now))),
        )
        put("paused_at", None)
        # The clock stood still while waiting: the escalation step counts afresh from the reply
        # (the pause itself began with a qualifying action, the request for information).
        put("escalation_timer_from", now)
    # The administration's own actions only: not the requester's, not the platform's automatic
    # ones (docs/sla-and-escalation.md §2).
    qualifying = transition.qualifying and role not in (REQUESTER, SYSTEM)
    if qualifying:
        put("last_qualifying_action_at", now)
        put("escalation_timer_from", now)
    if transition.answers:
        put("answered_at", now)
    if changed or qualifying or transition.answers:
        deadlines = compute_deadlines(
            policy,
            started_at=case.clock_started_at or case.received_at,
            paused_days=case.paused_days,
            paused_working_days=case.paused_working_days,
            escalation_level=case.escalation_level,
            last_action_at=timer_base(case),
            extension_days=case.extension_days,
        )
        put("answer_due_at", deadlines["answer_due_at"])
        put("deadlines_provisional", deadlines["deadlines_provisional"])
        waiting = case.paused_at is not None or case.answered_at is not None
        put("next_escalation_at", None if waiting else deadlines["next_escalation_at"])
    return changed


def case_transition(
    *,
    case: Case,
    action: str,
    actor: Actor,
    note: str = "",
    payload: dict[str, Any] | None = None,
    administration=None,
) -> Case:
    """Move `case` along its workflow table by `action`, as `actor` (see the module docstring).

    `note` becomes a message of the transition's `message_kind` when it has one (the answer, the
    request for information...). `administration` is required by transitions that move the case
    (`moves_administration`, e.g. a transfer) and refused by the others.
    """
    workflow = get_workflow(case.portal)
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("administration").get(pk=case.pk)
        transition = workflow.find(locked.status, action)
        if transition is None:
            raise TransitionNotAllowed(f"{action!r} is not possible from status {locked.status!r}")
        role = actor.role_for(transition.roles)
        if role is None:
            raise TransitionNotAllowed(f"{sorted(actor.roles)} may not {action!r} this case")
        if transition.moves_administration != (administration is not None):
            raise TransitionNotAllowed(f"{action!r} needs a target administration only for transfers")
        if transition.message_kind and transition.note_required and not note.strip():
            raise ValidationError(_("Write the text that goes with this action."), code="note_required")
        now = timezone.now()
        from_status = locked.status
        event_payload = dict(payload or {})
        changed = ["status", "version", "updated_at"]
        if administration is not None:
            if administration.pk == locked.administration_id:
                raise ValidationError(_("The case is already with this administration."), code="same_administration")
            event_payload["from_administration_id"] = locked.administration_id
            event_payload["to_administration_id"] = administration.pk
            locked.administration = administration
            locked.assignee = None
            changed += ["administration", "assignee"]
        locked.status = transition.target
        locked.version += 1
        changed += _apply_clock(locked, transition, workflow.policy_for(locked.kind), now, role, actor)
        if transition.reopens:
            locked.reopen_count += 1
            changed.append("reopen_count")
        if transition.target in workflow.closed_statuses:
            locked.closed_at = now
            locked.next_escalation_at = None
            changed += ["closed_at", "next_escalation_at"]
        elif locked.closed_at is not None:
            locked.closed_at = None
            changed.append("closed_at")
        locked.save(update_fields=sorted(set(changed)))
        if transition.message_kind and note.strip():
            message = Message.objects.create(
                case=locked,
                kind=transition.message_kind,
                author=actor.user if actor.user_id else None,
                author_role=role,
                body=note.strip(),
                language=locked.language,
            )
            event_payload["message_id"] = message.pk
        _event(
            locked,
            action=action,
            actor=actor,
            role=role,
            is_public=transition.public,
            from_status=from_status,
            to_status=locked.status,
            payload=event_payload,
        )
        if transition.notifies_requester:
            public_note = note.strip() if transition.message_kind in Message.PUBLIC_KINDS else ""
            if not public_note and transition.public:
                # A public transition's stated reason (e.g. a transfer's) is the requester's too.
                public_note = str(event_payload.get("reason", ""))
            _notify_requester(
                locked,
                workflow,
                template="case_updated",
                context={
                    "action": action,
                    "action_label": transition.label or action.replace("_", " "),
                    "note": public_note,
                },
            )
        if administration is not None:
            # Transfer in (issue 4): the receiving administration's level-1 officers are told.
            _alert(
                case_staff_recipients(locked),
                locked,
                kind=StaffAlert.Kind.TRANSFER_IN,
                text=gettext_noop("Case %(reference)s was transferred to your administration."),
            )
        elif role == REQUESTER:
            _alert(
                case_staff_recipients(locked),
                locked,
                kind=StaffAlert.Kind.REQUESTER_UPDATE,
                text=_REQUESTER_ALERTS.get(action, _REQUESTER_ALERT_DEFAULT),
            )
    return locked


def case_log_event(
    *,
    case: Case,
    action: str,
    actor: Actor,
    role: str,
    is_public: bool,
    payload: dict[str, Any] | None = None,
) -> CaseEvent:
    """Append one event that changes no status (e.g. a portal's "rated"), inside the caller's
    transaction. `role` must be one the actor holds for this case. The status is never touched
    here: that is `case_transition`'s alone."""
    if role not in actor.roles:
        raise CaseActionRefused(f"{sorted(actor.roles)} do not include {role!r}")
    if action in {t.action for t in get_workflow(case.portal).transitions}:
        raise CaseActionRefused(f"{action!r} is a workflow transition: use case_transition")
    return _event(case, action=action, actor=actor, role=role, is_public=is_public, payload=payload)


def case_inform_requester(
    *, case: Case, actor: Actor, body: str, action: str, payload: dict[str, Any] | None = None
) -> Message:
    """A staff message to the requester outside a transition (e.g. a problem's resolution sent to
    a complaint already answered): a public message, one public event `action`, the requester's
    email. Changes no status and no clock (not a qualifying action). Open or answered cases only:
    a case closed without an answer is left alone by the caller."""
    role = actor.role_for(CASE_STAFF_ROLES)
    if role is None:
        raise CaseActionRefused(f"{sorted(actor.roles)} may not write to this requester")
    if not body.strip():
        raise ValidationError(_("The message is empty."), code="empty_message")
    workflow = get_workflow(case.portal)
    if action in workflow.actions:
        raise CaseActionRefused(f"{action!r} is a workflow transition: use case_transition")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        message = Message.objects.create(
            case=locked,
            kind=Message.Kind.PUBLIC_ANSWER,
            author=actor.user if actor.user_id else None,
            author_role=role,
            body=body.strip(),
            language=locked.language,
        )
        locked.version += 1
        locked.save(update_fields=["version", "updated_at"])
        _event(
            locked,
            action=action,
            actor=actor,
            role=role,
            is_public=True,
            payload={**(payload or {}), "message_id": message.pk},
        )
        _notify_requester(
            locked,
            workflow,
            template="case_updated",
            context={
                "action": action,
                "action_label": gettext_noop("A message from the administration"),
                "note": body.strip(),
            },
        )
    return message


def case_extend_answer_deadline(
    *, case: Case, actor: Actor, days: int, reason: str, payload: dict[str, Any] | None = None
) -> Case:
    """Push the answer deadline back by `days` (in the policy's unit) once, before it has passed
    (law 31-13 art. 16: one extension of 20 working days, asked before the first deadline ends,
    the requester told why). The portal decides who may and with which reason; the core keeps
    the rule that holds for any portal: once, on an open and unanswered case, before the
    deadline. A qualifying action (the administration handled the case)."""
    role = actor.role_for(CASE_STAFF_ROLES)
    if role is None:
        raise CaseActionRefused(f"{sorted(actor.roles)} may not extend this case's deadline")
    if days <= 0:
        raise ValueError("an extension is a positive number of days")
    if not reason.strip():
        raise ValidationError(_("Give the reason for the extension."), code="reason_required")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        now = timezone.now()
        if locked.closed_at is not None or locked.answered_at is not None:
            raise CaseActionRefused("the case is closed or answered")
        if locked.extension_days:
            raise ValidationError(_("The deadline has already been extended once."), code="already_extended")
        if locked.answer_due_at is not None and now > locked.answer_due_at:
            raise ValidationError(
                _("The deadline has passed: an extension can only be asked before it ends."),
                code="extension_too_late",
            )
        previous_due = locked.answer_due_at
        locked.extension_days = days
        locked.last_qualifying_action_at = now
        locked.escalation_timer_from = now
        deadlines = compute_deadlines(
            _policy(locked),
            started_at=locked.clock_started_at or locked.received_at,
            paused_days=locked.paused_days,
            paused_working_days=locked.paused_working_days,
            escalation_level=locked.escalation_level,
            last_action_at=now,
            extension_days=days,
        )
        locked.answer_due_at = deadlines["answer_due_at"]
        locked.deadlines_provisional = deadlines["deadlines_provisional"]
        locked.next_escalation_at = None if locked.paused_at else deadlines["next_escalation_at"]
        locked.is_overdue = False
        locked.version += 1
        locked.save(
            update_fields=[
                "extension_days",
                "last_qualifying_action_at",
                "escalation_timer_from",
                "answer_due_at",
                "deadlines_provisional",
                "next_escalation_at",
                "is_overdue",
                "version",
                "updated_at",
            ]
        )
        event_payload = {
            **(payload or {}),
            "days": days,
            "reason": reason.strip(),
            "previous_answer_due_at": previous_due.isoformat() if previous_due else None,
            "answer_due_at": locked.answer_due_at.isoformat(),
        }
        _event(locked, action="deadline_extended", actor=actor, role=role, is_public=True, payload=event_payload)
        _notify_requester(
            locked,
            get_workflow(locked.portal),
            template="case_updated",
            context={
                "action": "deadline_extended",
                "action_label": gettext_noop("The answer deadline was extended"),
                "note": reason.strip(),
            },
        )
    return locked


# --- Hooks of the SLA sweep (issue 4) -------------------------------------------------------


def case_escalate(*, case: Case, now: datetime | None = None) -> Case | None:
    """Raise the case one level up the ladder if its escalation time has passed (DOMAIN.md R2:
    no qualifying action 2 wd after arrival → level 2; 2 more wd → level 3).

    Idempotent and safe on several workers: the row is locked and re-read, and only a case
    still due is moved, so two sweeps at the same moment escalate it once. The next step is
    counted from the previous escalation time, not from when the sweep ran. Returns the case
    when it was escalated, None when there was nothing to do.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().select_related("administration").get(pk=case.pk)
        due = locked.next_escalation_at
        if due is None or due > now or locked.closed_at is not None or locked.paused_at is not None:
            return None
        steps = _policy(locked).escalation_steps
        if locked.escalation_level > len(steps):
            return None
        previous = locked.escalation_level
        locked.escalation_level = previous + 1
        locked.next_escalation_at = (
            end_of_day(add_working_days(local_date(due), steps[locked.escalation_level - 1]))
            if locked.escalation_level <= len(steps)
            else None
        )
        locked.escalation_timer_from = due  # the next step counts from this escalation
        locked.version += 1
        locked.save(
            update_fields=["escalation_level", "next_escalation_at", "escalation_timer_from", "version", "updated_at"]
        )
        _event(
            locked,
            action="escalated",
            actor=Actor.system(),
            role=SYSTEM,
            is_public=True,
            payload={"from_level": previous, "to_level": locked.escalation_level, "due_at": due.isoformat()},
        )
        workflow = get_workflow(locked.portal)
        _notify_requester(
            locked,
            workflow,
            template="case_updated",
            context={
                "action": "escalated",
                "action_label": gettext_noop("Sent to a higher level of the administration"),
                "note": "",
            },
        )
        _notify_escalation_contacts(locked)
    return locked


def _notify_escalation_contacts(case: Case) -> None:
    """Tell the people of the new level (accounts.selectors.escalation_contacts): a staff alert
    and an email at once. Both carry the reference and the dates only: never the requester's
    identity (confidential cases, issue 4)."""
    from tawasul.accounts.selectors import escalation_contacts

    people = escalation_contacts(
        case.administration, case.escalation_level, roles=get_workflow(case.portal).roles_at(case.escalation_level)
    )
    _alert(
        people,
        case,
        kind=StaffAlert.Kind.ESCALATED,
        text=gettext_noop("Case %(reference)s reached level %(level)s of the escalation ladder: no action in time."),
        dedupe_key=f"escalated:{case.pk}:{case.escalation_level}:{case.escalation_timer_from or ''}",
        emailed=True,
        level=case.escalation_level,
    )
    for person in people:
        if not person.email:
            continue
        notify(
            channel="email",
            to=person.email,
            template="case_escalated_staff",
            context={
                "reference": case.reference,
                "level": case.escalation_level,
                "received_on": local_date(case.received_at).isoformat(),
                "answer_due": local_date(case.answer_due_at).isoformat() if case.answer_due_at else "",
                "url": staff_case_url(case),
                "site_url": settings.SITE_URL,
            },
            language=getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE,
            subject_ref=case.reference,
        )


def case_mark_overdue(*, case: Case, now: datetime | None = None) -> Case | None:
    """Flag an unanswered open case whose answer deadline has passed (once; idempotent)."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if (
            locked.is_overdue
            or locked.closed_at is not None
            or locked.answered_at is not None
            or locked.paused_at is not None
            or locked.answer_due_at is None
            or locked.answer_due_at >= now
        ):
            return None
        locked.is_overdue = True
        locked.version += 1
        locked.save(update_fields=["is_overdue", "version", "updated_at"])
        _event(
            locked,
            action="overdue",
            actor=Actor.system(),
            role=SYSTEM,
            is_public=False,
            payload={"answer_due_at": locked.answer_due_at.isoformat()},
        )
    return locked


def case_mark_overdue_many(*, ids: Sequence[int], now: datetime | None = None) -> int:
    """`case_mark_overdue` for a batch of cases, for the sweep (issue 7, scenario 5): one case at
    a time cost ~6 queries and a transaction per case. In one transaction: lock the cases of `ids`
    that are still due (the same conditions, re-checked under the lock, in pk order, so two sweeps
    at once flag each case once and never deadlock), flag them (`is_overdue`, `version`) in one
    UPDATE and write their staff-only `overdue` events in one INSERT. Returns how many were
    flagged."""
    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Case.objects.filter(
                pk__in=list(ids),
                closed_at__isnull=True,
                answered_at__isnull=True,
                paused_at__isnull=True,
                is_overdue=False,
                answer_due_at__lt=now,
            )
            .select_for_update()
            .order_by("pk")
            .values_list("pk", "answer_due_at")
        )
        if not due:
            return 0
        Case.objects.filter(pk__in=[pk for pk, _ in due]).update(
            is_overdue=True, version=F("version") + 1, updated_at=timezone.now()
        )
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case_id=pk,
                action="overdue",
                actor_role=SYSTEM,
                is_public=False,
                payload={"answer_due_at": answer_due_at.isoformat()},
            )
            for pk, answer_due_at in due
        )
    return len(due)


def case_escalate_many(
    *, ids: Sequence[int], now: datetime | None = None, contacts: dict[tuple, list] | None = None
) -> list[int]:
    """`case_escalate` for a batch of cases, for the sweep (issue 7, scenario 5: ~8 queries per
    case one at a time). The same guarantees: in one transaction, the cases of `ids` still due
    are locked (cases only, in pk order: two sweeps at once never deadlock, and the second
    re-reads what the first wrote and skips it) and each rises one level. Then, in bulk: one
    UPDATE, one INSERT of the public `escalated` events, the escalation contacts looked up once
    per administration and level, one INSERT of staff alerts (deduplicated as before) and one
    of the outbox rows (the citizen's email or SMS and the new level's emails), each enqueued
    after commit. `contacts`, a dict the caller keeps, shares the contacts looked up between
    the batches of one sweep. Returns the pks of the cases escalated."""
    from tawasul.accounts.selectors import escalation_contacts
    from tawasul.notifications.services import notify_many, staff_alerts_create_many

    now = now or timezone.now()
    with transaction.atomic():
        locked = list(
            Case.objects.filter(
                pk__in=list(ids), closed_at__isnull=True, paused_at__isnull=True, next_escalation_at__lte=now
            )
            .select_for_update(of=("self",))
            .select_related("administration")
            .order_by("pk")
        )
        changed, events, alerts, messages = [], [], [], []
        contacts = {} if contacts is None else contacts
        stamp = timezone.now()
        for case in locked:
            due = case.next_escalation_at
            steps = _policy(case).escalation_steps
            if case.escalation_level > len(steps):
                continue
            previous = case.escalation_level
            case.escalation_level = previous + 1
            case.next_escalation_at = (
                end_of_day(add_working_days(local_date(due), steps[case.escalation_level - 1]))
                if case.escalation_level <= len(steps)
                else None
            )
            case.escalation_timer_from = due  # the next step counts from this escalation
            case.version += 1
            case.updated_at = stamp
            changed.append(case)
            events.append(
                CaseEvent(
                    case=case,
                    action="escalated",
                    actor_role=SYSTEM,
                    is_public=True,
                    payload={"from_level": previous, "to_level": case.escalation_level, "due_at": due.isoformat()},
                )
            )
            workflow = get_workflow(case.portal)
            requester = _requester_message(
                case,
                workflow,
                template="case_updated",
                context={
                    "action": "escalated",
                    "action_label": gettext_noop("Sent to a higher level of the administration"),
                    "note": "",
                },
            )
            if requester is not None:
                messages.append(requester)
            roles = workflow.roles_at(case.escalation_level)
            key = (case.administration_id, case.escalation_level, roles)
            if key not in contacts:
                contacts[key] = escalation_contacts(case.administration, case.escalation_level, roles=roles)
            people = contacts[key]
            url = staff_case_url(case)
            alerts.append(
                {
                    "users": people,
                    "kind": StaffAlert.Kind.ESCALATED,
                    "text": gettext_noop(
                        "Case %(reference)s reached level %(level)s of the escalation ladder: no action in time."
                    ),
                    "params": {"reference": case.reference, "level": case.escalation_level},
                    "case_reference": case.reference,
                    "url": url,
                    "dedupe_key": f"escalated:{case.pk}:{case.escalation_level}:{case.escalation_timer_from or ''}",
                    "emailed": True,
                }
            )
            messages.extend(_escalation_email(case, person, url) for person in people if person.email)
        if not changed:
            return []
        # One UPDATE per (new level, next escalation time): the next step ends at the end of a
        # working day, so a batch due the same day shares a handful of them (a per-row CASE of
        # `bulk_update` cost ~1.7 s per 500 cases). The new timer start is the old escalation
        # time, read from the row in the same UPDATE (SET reads the values before the update).
        groups: dict[tuple, list[int]] = {}
        for case in changed:
            groups.setdefault((case.escalation_level, case.next_escalation_at), []).append(case.pk)
        for (level, next_at), pks in groups.items():
            Case.objects.filter(pk__in=pks).update(
                escalation_level=level,
                next_escalation_at=next_at,
                escalation_timer_from=F("next_escalation_at"),
                version=F("version") + 1,
                updated_at=stamp,
            )
        CaseEvent.objects.bulk_create(events)
        staff_alerts_create_many(alerts)
        notify_many(messages)
    return [case.pk for case in changed]


def _escalation_email(case: Case, person, url: str) -> dict[str, Any]:
    """The email to one person of the new level (`_notify_escalation_contacts`): reference and
    dates only, never the requester's identity."""
    return {
        "channel": "email",
        "to": person.email,
        "template": "case_escalated_staff",
        "context": {
            "reference": case.reference,
            "level": case.escalation_level,
            "received_on": local_date(case.received_at).isoformat(),
            "answer_due": local_date(case.answer_due_at).isoformat() if case.answer_due_at else "",
            "url": url,
            "site_url": settings.SITE_URL,
        },
        "language": getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE,
        "subject_ref": case.reference,
    }


#: Bit of each reminder in `Case.reminders_sent`, by working days before the answer deadline.
def _reminder_bit(index: int) -> int:
    return 1 << index


def reminder_due(case: Case, now: datetime) -> int | None:
    """The index in `CASE_REMINDER_WORKING_DAYS` (D-5, D-1) of the reminder to send now, or None.

    A reminder is due from the start of its day (the Nth working day before the answer day,
    Africa/Casablanca) until the deadline; when several are due (a deadline that restarted
    close to its end), only the nearest one is sent and the earlier ones are counted as sent.
    The mask applies to the deadline it was sent for: a deadline that moved starts afresh.
    """
    if case.answer_due_at is None or case.closed_at or case.answered_at or case.paused_at:
        return None
    if now >= case.answer_due_at:
        return None
    sent = case.reminders_sent if case.reminders_sent_for == case.answer_due_at else 0
    answer_day = local_date(case.answer_due_at)
    today = local_date(now)
    due = None
    for index, days in enumerate(settings.CASE_REMINDER_WORKING_DAYS):
        reached = today >= add_working_days(answer_day, -days)
        if reached and (due is None or days < settings.CASE_REMINDER_WORKING_DAYS[due]):
            due = index
    if due is None or sent & _reminder_bit(due):
        return None
    return due


def case_remind(*, case: Case, now: datetime | None = None) -> Case | None:
    """Send the D-5 / D-1 reminder of the answer deadline if it is due and not sent yet (issue 4):
    a staff alert and an email to whoever handles the case (`case_staff_recipients`), and a staff
    timeline event. Locks and re-reads the row, so two sweeps at the same moment send it once.
    Returns the case when a reminder was sent, None otherwise."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = (
            Case.objects.select_for_update(of=("self",)).select_related("administration", "assignee").get(pk=case.pk)
        )
        index = reminder_due(locked, now)
        if index is None:
            return None
        days = settings.CASE_REMINDER_WORKING_DAYS[index]
        sent = locked.reminders_sent if locked.reminders_sent_for == locked.answer_due_at else 0
        for other, other_days in enumerate(settings.CASE_REMINDER_WORKING_DAYS):
            if other_days >= days:  # this one and the earlier ones, never sent twice
                sent |= _reminder_bit(other)
        locked.reminders_sent = sent
        locked.reminders_sent_for = locked.answer_due_at
        locked.save(update_fields=["reminders_sent", "reminders_sent_for", "updated_at"])
        due_day = local_date(locked.answer_due_at).isoformat()
        _event(
            locked,
            action="reminder_sent",
            actor=Actor.system(),
            role=SYSTEM,
            is_public=False,
            payload={"working_days_before": days, "answer_due_at": locked.answer_due_at.isoformat()},
        )
        people = case_staff_recipients(locked)
        _alert(
            people,
            locked,
            kind=StaffAlert.Kind.REMINDER,
            text=gettext_noop("Reminder: case %(reference)s must be answered by %(due)s."),
            dedupe_key=f"reminder:{locked.pk}:{days}:{locked.answer_due_at.isoformat()}",
            emailed=True,
            due=due_day,
        )
        for person in people:
            notify(
                channel="email",
                to=person.email,
                template="case_reminder_staff",
                context={
                    "reference": locked.reference,
                    "answer_due": due_day,
                    "working_days": days,
                    "url": staff_case_url(locked),
                    "site_url": settings.SITE_URL,
                },
                language=getattr(person, "preferred_language", "") or settings.LANGUAGE_CODE,
                subject_ref=locked.reference,
            )
    return locked


# --- Messages, assignment, attachments ---------------------------------------------------------


def case_add_message(
    *,
    case: Case,
    actor: Actor,
    kind: str,
    body: str,
    attachments: Sequence = (),
) -> Message:
    """Add a requester message (open cases) or a staff internal note (qualifying: it resets the
    escalation timer, DOMAIN.md R2 "no action (no state change or internal note)").

    Answers and requests for information are transitions (`case_transition(note=...)`).
    """
    workflow = get_workflow(case.portal)
    if kind == Message.Kind.CITIZEN_MESSAGE:
        role = actor.role_for({REQUESTER})
    elif kind == Message.Kind.INTERNAL_NOTE:
        role = actor.role_for(CASE_STAFF_ROLES)
    else:
        raise CaseActionRefused(f"{kind!r} messages are written by a transition")
    if role is None:
        raise CaseActionRefused(f"{sorted(actor.roles)} may not add a {kind!r}")
    if not body.strip():
        raise ValidationError(_("The message is empty."), code="empty_message")
    files = list(attachments)
    checked = _check_files(files)
    stored = _store_files(files, checked)
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if kind == Message.Kind.CITIZEN_MESSAGE and locked.status in workflow.closed_statuses:
                raise CaseActionRefused("the case is closed")
            from .limits import check_message_quota  # limits imports this module

            check_message_quota(locked, author_role=role)
            message = Message.objects.create(
                case=locked,
                kind=kind,
                author=actor.user if actor.user_id else None,
                author_role=role,
                body=body.strip(),
                language=locked.language,
            )
            is_public = kind == Message.Kind.CITIZEN_MESSAGE
            _attachment_rows(locked, checked, stored, role=role, message=message, is_public=is_public)
            update = ["version", "updated_at"]
            locked.version += 1
            if kind == Message.Kind.INTERNAL_NOTE and locked.paused_at is None and locked.answered_at is None:
                locked.last_qualifying_action_at = timezone.now()
                locked.escalation_timer_from = locked.last_qualifying_action_at
                locked.next_escalation_at = compute_deadlines(
                    _policy(locked),
                    started_at=locked.clock_started_at or locked.received_at,
                    escalation_level=locked.escalation_level,
                    last_action_at=locked.escalation_timer_from,
                )["next_escalation_at"]
                update += ["last_qualifying_action_at", "escalation_timer_from", "next_escalation_at"]
            locked.save(update_fields=update)
            _event(
                locked,
                action="message_added" if is_public else "note_added",
                actor=actor,
                role=role,
                is_public=is_public,
                payload={"message_id": message.pk, "attachments": len(stored)},
            )
            if kind == Message.Kind.CITIZEN_MESSAGE:
                _alert(
                    case_staff_recipients(locked),
                    locked,
                    kind=StaffAlert.Kind.REQUESTER_UPDATE,
                    text=_REQUESTER_ALERTS["message_added"],
                )
    except BaseException:
        for name in stored:
            delete_stored_file(name)
        raise
    return message


def case_assign(*, case: Case, actor: Actor, assignee) -> Case:
    """Give the case to an officer of its own administration (issue 4 "assign")."""
    role = actor.role_for(CASE_STAFF_ROLES)
    if role is None:
        raise CaseActionRefused(f"{sorted(actor.roles)} may not assign cases")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if locked.closed_at is not None:
            raise CaseActionRefused("the case is closed")
        if assignee is None or not (roles_of(assignee, locked.administration_id) & CASE_STAFF_ROLES):
            raise CaseActionRefused("the assignee must be staff of the case's administration")
        previous = locked.assignee_id
        locked.assignee = assignee
        locked.version += 1
        locked.save(update_fields=["assignee", "version", "updated_at"])
        _event(
            locked,
            action="assigned",
            actor=actor,
            role=role,
            is_public=False,
            payload={"assignee_id": assignee.pk, "previous_assignee_id": previous},
        )
        if assignee.pk != actor.user_id:
            _alert(
                [assignee],
                locked,
                kind=StaffAlert.Kind.ASSIGNED,
                text=gettext_noop("Case %(reference)s was assigned to you."),
            )
    return locked


def case_add_attachment(*, case: Case, actor: Actor, uploaded_file, is_public: bool = True) -> Attachment:
    """Attach one file to an open case. Requester files are always public (they sent them);
    staff may keep one internal."""
    workflow = get_workflow(case.portal)
    role = actor.role_for({REQUESTER} | CASE_STAFF_ROLES)
    if role is None:
        raise CaseActionRefused(f"{sorted(actor.roles)} may not add files to this case")
    if role == REQUESTER:
        is_public = True
    checked = _check_files([uploaded_file])
    stored = _store_files([uploaded_file], checked)
    try:
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.status in workflow.closed_statuses:
                raise CaseActionRefused("the case is closed")
            if locked.attachments.count() >= settings.CASE_MAX_ATTACHMENTS * 3:
                raise CaseActionRefused("this case has too many files")
            (attachment,) = _attachment_rows(locked, checked, stored, role=role, is_public=is_public)
            locked.version += 1
            locked.save(update_fields=["version", "updated_at"])
            _event(
                locked,
                action="attachment_added",
                actor=actor,
                role=role,
                is_public=is_public,
                payload={"attachment_id": attachment.pk},
            )
    except BaseException:
        for name in stored:
            delete_stored_file(name)
        raise
    return attachment
