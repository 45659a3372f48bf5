"""Writes of the complaints portal. The web form, the API, the contact center and email intake
all call these (ARCHITECTURE.md §3.5); they call the case core for everything a case has."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from tawasul.accounts.roles import Role
from tawasul.accounts.selectors import administrations_for
from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Case
from tawasul.cases.services import (
    CaseActionRefused,
    case_create,
    case_inform_requester,
    case_log_event,
    case_transition,
)
from tawasul.cases.workflow import get_workflow
from tawasul.core.inserts import PreparedInsert
from tawasul.registry.selectors import administrations_joined

from .models import Complaint, InadmissibleGround, Outcome, Problem, ProblemLink, Subject
from .workflow import PORTAL

#: The complaint's row of a filing, through an INSERT compiled once (issue 7; `tawasul.core.inserts`).
_COMPLAINT_ROW = PreparedInsert(Complaint)


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

    def complaint_row(case: Case) -> None:
        # Written by case_create in the case's own transaction (one savepoint fewer, issue 7).
        _COMPLAINT_ROW.create(
            case=case,
            subject=subject,
            sub_subject=sub_subject,
            region=region or (province.region if province else None),
            province=province or (commune.province if commune else None),
            commune=commune,
            place_address=place_address.strip(),
        )

    return case_create(
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
        portal_rows=complaint_row,
        portal_rows_held=True,  # the complaint's row is a PreparedInsert (_COMPLAINT_ROW)
    )


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


# --- Staff actions (issue 4; interfaces.md "Staff action forms") ------------------------------


def _check_portal(case: Case) -> None:
    if case.portal != PORTAL:
        raise CaseActionRefused(f"{case.reference} is not a complaint")


def complaint_answer(*, case: Case, actor: Actor, note: str, outcome: str) -> Case:
    """Answer publicly with an outcome (DOMAIN.md R2 "ANSWERED (outcome ∈ {positive, negative,
    partial, informative})"): the `answer` transition with `{"outcome": ...}` in its event's
    payload, and `Complaint.outcome`, in one transaction (interfaces.md "Answer outcome")."""
    _check_portal(case)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the answer.")}, code="invalid_outcome")
    with transaction.atomic():
        case = case_transition(case=case, action="answer", actor=actor, note=note, payload={"outcome": outcome})
        Complaint.objects.filter(case=case).update(outcome=outcome)
    return case


def complaint_transfer(*, case: Case, actor: Actor, administration, note: str) -> Case:
    """Send the complaint to the competent administration (decree 2-17-265: a matter outside
    the administration's competence is redirected, the complainant informed). The reason is in
    the public event and in the complainant's email; the clock restarts there (the workflow's
    `restarts_clock`); the case core refuses the same administration."""
    _check_portal(case)
    if not note.strip():
        raise ValidationError({"note": _("Give the reason of the transfer.")}, code="reason_required")
    if administration is None or not administrations_joined().filter(pk=administration.pk).exists():
        raise ValidationError(
            {"administration": _("Choose an administration that works on the platform.")}, code="not_joined"
        )
    return case_transition(
        case=case,
        action="transfer",
        actor=actor,
        note=note,
        payload={"reason": note.strip()},
        administration=administration,
    )


def complaint_declare_inadmissible(*, case: Case, actor: Actor, ground: str, note: str) -> Case:
    """Close the complaint as not admissible on one of the decree's grounds (DOMAIN.md §2.1 and R2:
    before a court, a judicial police report, outside the decree's scope) with a written reason,
    which the complainant receives as the administration's reply."""
    _check_portal(case)
    if ground not in InadmissibleGround.values:
        raise ValidationError({"ground": _("Choose the ground of inadmissibility.")}, code="invalid_ground")
    if not note.strip():
        raise ValidationError({"note": _("Write the reason for the complainant.")}, code="reason_required")
    return case_transition(case=case, action="declare_inadmissible", actor=actor, note=note, payload={"ground": ground})


def complaint_mark_duplicate(*, case: Case, actor: Actor, original_reference: str, note: str = "") -> Case:
    """Close the complaint as a duplicate of another complaint the actor can see (not itself).
    The payload holds `duplicate_of`; the complainant is given the original's reference and
    status line in their language, never its contents (someone else may have filed it)."""
    from tawasul.cases.selectors import cases_for_staff
    from tawasul.core.references import parse_reference

    _check_portal(case)
    parsed = parse_reference(original_reference or "")
    original = None
    if parsed is not None and actor.user is not None:
        original = cases_for_staff(actor.user).filter(portal=PORTAL, reference=str(parsed)).first()
    if original is None:
        raise ValidationError(
            {"original_reference": _("No complaint with this reference among the cases you can see.")},
            code="unknown_original",
        )
    if original.pk == case.pk:
        raise ValidationError(
            {"original_reference": _("A complaint cannot be a duplicate of itself.")}, code="same_case"
        )
    with translation.override(case.language):
        status_text = gettext(get_workflow(PORTAL).status_label(original.status))
        line = gettext("This complaint repeats complaint %(reference)s, whose status is: %(status)s.") % {
            "reference": original.reference,
            "status": status_text,
        }
    body = f"{line}\n\n{note.strip()}" if note.strip() else line
    return case_transition(
        case=case,
        action="mark_duplicate",
        actor=actor,
        note=body,
        payload={"duplicate_of": original.reference, "original_status": original.status},
    )


# --- Problems (ITIL problem management, Jordan's system: DOMAIN.md §7, SPEC.md §2) ------------

#: Complaint staff: level 1 (officer, deputy) and the supervisors of the escalation chain.
STAFF_ROLES = frozenset({Role.OFFICER, Role.DEPUTY, Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})
SUPERVISOR_ROLES = frozenset({Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})


def _user_of(actor):
    """Problem services take the staff user, or an `Actor` (whose user is taken)."""
    return actor.user if isinstance(actor, Actor) else actor


def _case_actor(user, case: Case) -> tuple[Actor, str]:
    case_actor = actor_for(user, case)
    role = case_actor.role_for(STAFF_ROLES)
    if role is None:
        raise CaseActionRefused(_("You cannot act on complaint %(reference)s.") % {"reference": case.reference})
    return case_actor, role


def _visible_problem(user, problem: Problem, *, for_update: bool = False) -> Problem:
    from .selectors import problems_for_staff

    problems = problems_for_staff(user)
    if for_update:
        problems = problems.select_for_update()
    found = problems.filter(pk=problem.pk).first()
    if found is None:
        raise CaseActionRefused("this problem is not visible to this user")
    return found


def problem_create(*, actor, administration, title: str, description: str = "") -> Problem:
    """Open a problem in an administration where the user is complaint staff (or supervises it)."""
    user = _user_of(actor)
    if not title.strip():
        raise ValidationError({"title": _("Give the problem a title.")}, code="title_required")
    if not administrations_for(user, roles=STAFF_ROLES).filter(pk=administration.pk).exists():
        raise CaseActionRefused("the user is not complaint staff of this administration")
    return Problem.objects.create(
        administration=administration, title=title.strip(), description=description.strip(), created_by=user
    )


def problem_link_case(*, problem: Problem, case: Case, actor) -> ProblemLink:
    """Link a complaint to an open problem: the complaint is of the problem's administration, or
    of one under the user's supervision (head of unit, higher management); a complaint belongs to
    at most one problem. Writes `linked_to_problem` on the case (staff timeline; not a qualifying
    action: it does not reset the escalation timer, docs/sla-and-escalation.md)."""
    user = _user_of(actor)
    _check_portal(case)
    with transaction.atomic():
        locked_problem = _visible_problem(user, problem, for_update=True)
        if not locked_problem.is_open:
            raise ValidationError(_("This problem is resolved: open a new one."), code="problem_resolved")
        locked = Case.objects.select_for_update().select_related("administration").get(pk=case.pk)
        case_actor, role = _case_actor(user, locked)
        same = locked.administration_id == locked_problem.administration_id
        if not same and not (case_actor.roles & SUPERVISOR_ROLES):
            raise ValidationError(
                {"reference": _("This complaint belongs to another administration than the problem.")},
                code="other_administration",
            )
        if locked.status in get_workflow(PORTAL).closed_statuses and locked.answered_at is None:
            raise ValidationError(
                {"reference": _("This complaint was closed without an answer.")}, code="closed_without_answer"
            )
        existing = ProblemLink.objects.filter(complaint_id=locked.pk).select_related("problem").first()
        if existing is not None:
            raise ValidationError(
                {
                    "reference": _("This complaint is already linked to the problem “%(title)s”.")
                    % {"title": existing.problem.title}
                },
                code="already_linked",
            )
        link = ProblemLink.objects.create(problem=locked_problem, complaint_id=locked.pk, linked_by=user)
        case_log_event(
            case=locked,
            action="linked_to_problem",
            actor=case_actor,
            role=role,
            is_public=False,
            payload={"problem_id": locked_problem.pk, "title": locked_problem.title},
        )
    return link


def problem_unlink_case(*, problem: Problem, case: Case, actor) -> None:
    """Take a complaint off an open problem (event `unlinked_from_problem`)."""
    user = _user_of(actor)
    with transaction.atomic():
        locked_problem = _visible_problem(user, problem, for_update=True)
        if not locked_problem.is_open:
            raise ValidationError(_("This problem is resolved: its complaints stay linked."), code="problem_resolved")
        locked = Case.objects.select_for_update().get(pk=case.pk)
        case_actor, role = _case_actor(user, locked)
        deleted, _rows = ProblemLink.objects.filter(problem=locked_problem, complaint_id=locked.pk).delete()
        if not deleted:
            raise ValidationError(_("This complaint is not linked to this problem."), code="not_linked")
        case_log_event(
            case=locked,
            action="unlinked_from_problem",
            actor=case_actor,
            role=role,
            is_public=False,
            payload={"problem_id": locked_problem.pk},
        )


def problem_resolve(*, problem: Problem, actor, resolution: str, outcome: str) -> Problem:
    """Resolve the problem and tell every linked complainant (ITIL problem management: one root
    cause, one fix, all complainants told; DOMAIN.md §7, SPEC.md §2), all in one transaction:

    - a complaint still open before its answer is answered with the resolution as its public
      answer and `outcome` (`complaint_answer`: one `answer` event, the complainant's email);
    - a complaint already answered, or waiting for the complainant's information, gets the
      resolution as a public message (`problem_resolved` event, the complainant's email);
    - a complaint closed without an answer (withdrawn, not admissible, duplicate) is left alone.

    The resolver must be able to act on every linked complaint, or nothing is done. Sets
    `problem.summary` = {"answered": n, "informed": n, "left": n}.
    """
    user = _user_of(actor)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose the outcome of the answer.")}, code="invalid_outcome")
    if not resolution.strip():
        raise ValidationError({"resolution": _("Write the resolution.")}, code="resolution_required")
    workflow = get_workflow(PORTAL)
    summary = {"answered": 0, "informed": 0, "left": 0}
    with transaction.atomic():
        locked_problem = _visible_problem(user, problem, for_update=True)
        if not locked_problem.is_open:
            raise ValidationError(_("This problem is already resolved."), code="problem_resolved")
        case_ids = list(locked_problem.links.order_by("complaint_id").values_list("complaint_id", flat=True))
        for case in Case.objects.filter(pk__in=case_ids).select_related("administration").order_by("pk"):
            case_actor, _role = _case_actor(user, case)
            if workflow.find(case.status, "answer") is not None:
                complaint_answer(case=case, actor=case_actor, note=resolution, outcome=outcome)
                summary["answered"] += 1
            elif case.status in workflow.closed_statuses and case.answered_at is None:
                summary["left"] += 1
            else:
                case_inform_requester(
                    case=case,
                    actor=case_actor,
                    body=resolution,
                    action="problem_resolved",
                    payload={"problem_id": locked_problem.pk, "outcome": outcome},
                )
                summary["informed"] += 1
        locked_problem.status = Problem.Status.RESOLVED
        locked_problem.resolution = resolution.strip()
        locked_problem.outcome = outcome
        locked_problem.resolved_by = user
        locked_problem.resolved_at = timezone.now()
        locked_problem.save(update_fields=["status", "resolution", "outcome", "resolved_by", "resolved_at"])
    locked_problem.summary = summary
    return locked_problem
