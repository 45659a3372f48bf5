"""The complaints workflow table (decree 2-17-265; DOMAIN.md R2; issue 4 for the staff actions).

received ─acknowledge→ acknowledged ─start→ in_progress ─answer→ answered ─close→ closed
                                        in_progress ─request_information→ info_requested (clock paused)
                                        info_requested ─provide_information→ in_progress (clock resumes)
answered|closed ─reopen→ in_progress (the requester, once, within the window: a fresh clock)
before the answer: transfer (to the competent administration, the clock restarts there),
declare_inadmissible (before a court, judicial police report, outside the decree's scope),
mark_duplicate, withdraw. The staff actions with fields of their own (answer + outcome, transfer
+ reason, inadmissible + ground, duplicate + original) name their form and service.

Deadlines: first action 2 working days, answer 60 calendar days ("ستين يوما", decree
2-17-265, DOMAIN.md §2.1), escalation after 2 then 2 more working days (Jordan's system,
DOMAIN.md §7) — the defaults of `cases.workflow.Policy`, set in settings.
"""

from django.utils.translation import gettext_noop

from tawasul.accounts.roles import Role
from tawasul.cases.workflow import REQUESTER, SYSTEM, Policy, Transition, Workflow, register_workflow

PORTAL = "complaints"
PREFIX = "CHK"
# The back office's forms and services of the staff actions (interfaces.md "Staff action forms").
STAFF_FORMS = "tawasul.complaints.staff_forms"
SERVICES = "tawasul.complaints.services"

OFFICERS = frozenset({Role.OFFICER, Role.DEPUTY})
SUPERVISORS = frozenset({Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})
STAFF = OFFICERS | SUPERVISORS
BEFORE_ANSWER = ("submitted", "acknowledged", "in_progress")
REQUESTER_ONLY = frozenset({REQUESTER})

#: Statuses in plain words for the citizen (English msgids, translated where shown).
STATUS_LABELS = {
    "submitted": gettext_noop("Received, waiting for the administration"),
    "acknowledged": gettext_noop("Acknowledged by the administration"),
    "in_progress": gettext_noop("Being processed"),
    "info_requested": gettext_noop("Waiting for your information"),
    "answered": gettext_noop("Answered"),
    "closed": gettext_noop("Closed"),
    "inadmissible": gettext_noop("Not admissible"),
    "duplicate": gettext_noop("Duplicate of another complaint"),
    "withdrawn": gettext_noop("Withdrawn"),
}

COMPLAINTS = register_workflow(
    Workflow(
        portal=PORTAL,
        prefix=PREFIX,
        kinds=("complaint", "observation", "suggestion"),
        initial="submitted",
        closed_statuses=frozenset({"closed", "inadmissible", "duplicate", "withdrawn"}),
        policy=Policy(),
        status_labels=STATUS_LABELS,
        transitions=(
            Transition(
                "submitted",
                "acknowledge",
                "acknowledged",
                STAFF | {SYSTEM},
                label=gettext_noop("Acknowledged by the administration"),
            ),
            Transition(
                ("submitted", "acknowledged"), "start", "in_progress", STAFF, label=gettext_noop("Processing started")
            ),
            Transition(
                ("submitted", "acknowledged", "in_progress"),
                "request_information",
                "info_requested",
                STAFF,
                pauses_clock=True,
                message_kind="request_for_information",
                note_required=True,
                label=gettext_noop("More information requested"),
            ),
            Transition(
                "info_requested",
                "provide_information",
                "in_progress",
                REQUESTER_ONLY,
                qualifying=False,
                resumes_clock=True,
                message_kind="citizen_message",
                note_required=True,
                notify_requester=False,
                label=gettext_noop("Information sent by the complainant"),
            ),
            Transition(
                BEFORE_ANSWER,
                "answer",
                "answered",
                STAFF,
                answers=True,
                message_kind="public_answer",
                note_required=True,
                label=gettext_noop("Answer given"),
                form=f"{STAFF_FORMS}.AnswerForm",
                service=f"{SERVICES}.complaint_answer",
            ),
            Transition(
                "answered", "close", "closed", STAFF | {REQUESTER, SYSTEM}, label=gettext_noop("Complaint closed")
            ),
            Transition(
                ("answered", "closed"),
                "reopen",
                "in_progress",
                REQUESTER_ONLY,
                qualifying=False,
                restarts_clock=True,
                reopens=True,
                notify_requester=True,
                message_kind="citizen_message",
                note_required=True,
                label=gettext_noop("Complaint reopened by the complainant"),
            ),
            Transition(
                BEFORE_ANSWER,
                "transfer",
                "submitted",
                STAFF,
                restarts_clock=True,
                moves_administration=True,
                label=gettext_noop("Transferred to the competent administration"),
                form=f"{STAFF_FORMS}.TransferForm",
                service=f"{SERVICES}.complaint_transfer",
            ),
            Transition(
                BEFORE_ANSWER,
                "declare_inadmissible",
                "inadmissible",
                STAFF,
                message_kind="public_answer",  # the written reason the complainant receives
                note_required=True,
                label=gettext_noop("Declared not admissible"),
                form=f"{STAFF_FORMS}.InadmissibleForm",
                service=f"{SERVICES}.complaint_declare_inadmissible",
            ),
            Transition(
                BEFORE_ANSWER,
                "mark_duplicate",
                "duplicate",
                STAFF,
                message_kind="public_answer",  # the original's reference and status line
                label=gettext_noop("Marked as a duplicate"),
                form=f"{STAFF_FORMS}.DuplicateForm",
                service=f"{SERVICES}.complaint_mark_duplicate",
            ),
            Transition(
                ("submitted", "acknowledged"),
                "withdraw",
                "withdrawn",
                REQUESTER_ONLY,
                qualifying=False,
                notify_requester=False,
                label=gettext_noop("Withdrawn by the complainant"),
            ),
        ),
    )
)
