"""The access-to-information workflow table (law 31-13; DOMAIN.md §1.6 and R1; issue 5).

submitted ─acknowledge→ acknowledged ─start→ in_progress
in_progress ─extend→ (no status change: `services.info_request_extend`, once, +20 wd, art. 16)
in_progress ─ask_costs→ in_progress (reproduction/sending costs, art. 5)
before the decision: answer (full/partial) → answered | refuse (legal ground) → refused |
                     mark_already_published (link) → already_published | mark_not_held → not_held
answered | refused | already_published | not_held ─close→ closed

The same table serves the four kinds; the policy differs per kind (settings, each citing its
article): a request 20 working days, an urgent request 3 days (calendar by default), a complaint
to the head of the body 15 days [M], a complaint to the CDAI 30 days. Who may decide which kind
(the head for a complaint to the head, the CDAI for a complaint to it) is checked by
`services` (a workflow row lists roles, not kinds).
"""

from django.conf import settings
from django.utils.translation import gettext_noop

from tawasul.accounts.roles import Role
from tawasul.cases.workflow import REQUESTER, SYSTEM, Policy, Transition, Workflow, register_workflow

PORTAL = "information"
PREFIX = "INF"

#: Information officers (several per body; deputies hold the same role), the head of the body, and
#: the CDAI's agents (complaints to the CDAI are cases of the CDAI's administration).
STAFF = frozenset({Role.INFORMATION_OFFICER, Role.BODY_HEAD, Role.CDAI_AGENT})
BEFORE_DECISION = ("submitted", "acknowledged", "in_progress")
DECIDED = ("answered", "refused", "already_published", "not_held")

STATUS_LABELS = {
    "submitted": gettext_noop("Received, waiting for the body"),
    "acknowledged": gettext_noop("Acknowledged by the body"),
    "in_progress": gettext_noop("Being processed"),
    "answered": gettext_noop("Answered"),
    "refused": gettext_noop("Refused"),
    "already_published": gettext_noop("Already published"),
    "not_held": gettext_noop("Not held by this body"),
    "closed": gettext_noop("Closed"),
}

_FORMS = "tawasul.information.staff_forms"
_SERVICES = "tawasul.information.services"


def _policies() -> dict[str, Policy]:
    return {
        # Art. 16: 20 working days from receipt.
        "request": Policy(answer_days=settings.INFORMATION_ANSWER_WORKING_DAYS, answer_unit="working"),
        # Art. 17: 3 days; unit configurable (DOMAIN.md R1: calendar by default).
        "urgent_request": Policy(
            answer_days=settings.INFORMATION_URGENT_DAYS, answer_unit=settings.INFORMATION_URGENT_UNIT
        ),
        # Art. 19 §2: the head answers within 15 days [M].
        "complaint_to_head": Policy(answer_days=settings.INFORMATION_HEAD_ANSWER_DAYS, answer_unit="calendar"),
        # The CDAI informs the complainant within 30 days (DOMAIN.md §1.6).
        "complaint_to_cdai": Policy(answer_days=settings.INFORMATION_CDAI_ANSWER_DAYS, answer_unit="calendar"),
    }


def build_workflow() -> Workflow:
    policies = _policies()
    return Workflow(
        portal=PORTAL,
        prefix=PREFIX,
        kinds=("request", "urgent_request", "complaint_to_head", "complaint_to_cdai"),
        initial="submitted",
        closed_statuses=frozenset({"closed"}),
        policy=policies["request"],
        policies=policies,
        status_labels=STATUS_LABELS,
        # Law 31-13 (DOMAIN.md §1.6, §1.8): the information officer (and deputy) handle requests;
        # the head of the body hears complaints and is the next level; the CDAI's agents handle
        # the complaints filed with the Commission (their own administration).
        escalation_roles={
            1: frozenset({Role.INFORMATION_OFFICER, Role.CDAI_AGENT}),
            2: frozenset({Role.BODY_HEAD, Role.HEAD_OF_UNIT}),
            3: frozenset({Role.HIGHER_MANAGEMENT}),
        },
        transitions=(
            Transition(
                "submitted",
                "acknowledge",
                "acknowledged",
                STAFF | {SYSTEM},
                label=gettext_noop("Acknowledged by the body"),
            ),
            Transition(
                ("submitted", "acknowledged"), "start", "in_progress", STAFF, label=gettext_noop("Processing started")
            ),
            # Not a status change: the service calls cases.services.case_extend_answer_deadline.
            Transition(
                "in_progress",
                "extend",
                "in_progress",
                STAFF,
                label=gettext_noop("The answer deadline was extended"),
                form=f"{_FORMS}.ExtendForm",
                service=f"{_SERVICES}.info_request_extend",
            ),
            Transition(
                "in_progress",
                "ask_costs",
                "in_progress",
                STAFF,
                label=gettext_noop("Costs of reproduction or sending asked"),
                form=f"{_FORMS}.CostsForm",
                service=f"{_SERVICES}.info_request_ask_costs",
            ),
            Transition(
                BEFORE_DECISION,
                "answer",
                "answered",
                STAFF,
                answers=True,
                message_kind="public_answer",
                note_required=True,
                label=gettext_noop("Answer given"),
                form=f"{_FORMS}.AnswerForm",
                service=f"{_SERVICES}.info_request_answer",
            ),
            Transition(
                BEFORE_DECISION,
                "refuse",
                "refused",
                STAFF,
                answers=True,
                message_kind="public_answer",
                note_required=True,
                label=gettext_noop("Request refused"),
                form=f"{_FORMS}.RefuseForm",
                service=f"{_SERVICES}.info_request_refuse",
            ),
            Transition(
                BEFORE_DECISION,
                "mark_already_published",
                "already_published",
                STAFF,
                answers=True,
                message_kind="public_answer",
                label=gettext_noop("The information is already published"),
                form=f"{_FORMS}.AlreadyPublishedForm",
                service=f"{_SERVICES}.info_request_already_published",
            ),
            Transition(
                BEFORE_DECISION,
                "mark_not_held",
                "not_held",
                STAFF,
                answers=True,
                message_kind="public_answer",
                note_required=True,
                label=gettext_noop("The body does not hold the information"),
                form=f"{_FORMS}.NotHeldForm",
                service=f"{_SERVICES}.info_request_not_held",
            ),
            Transition(DECIDED, "close", "closed", STAFF | {REQUESTER, SYSTEM}, label=gettext_noop("Request closed")),
        ),
    )


INFORMATION = register_workflow(build_workflow())
