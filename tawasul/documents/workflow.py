"""The document-order workflow table (DOMAIN.md R3 "States"; SPEC.md §4).

awaiting_payment ─confirm_payment (system)→ paid ─transmit (system)→ transmitted
awaiting_payment ─cancel (requester, system)→ cancelled
transmitted ─start_check→ in_process ("being checked")
transmitted | in_process ─reject (reason)→ rejected ─open_refund (system)→ refund_pending
refund_pending ─confirm_refund (system)→ refunded
in_process ─issue→ issued ─hand_to_post (registered item number)→ handed_to_post
handed_to_post ─mark_in_transit→ in_transit
handed_to_post | in_transit ─mark_delivered→ delivered | ─mark_returned→ returned

R3's CART is `awaiting_payment`, TRANSMITTED_TO_BEC `transmitted`, REJECTED_WRONG_DATA `rejected`.
Only the civil-status officers of the office's administration work an order (the post's
updates are theirs to record, or the platform's when a postal feed is plugged in: `system`).
The payment moves are the platform's alone (`services.payment_confirm`): nobody can mark an order
paid by hand. The SLA (3 to 7 days end to end) is for display only (R3): no escalation ladder; the
answer clock counts 7 calendar days from the transmission to the office and stops at the issue or
the rejection.
"""

from django.conf import settings
from django.utils.translation import gettext_noop

from tawasul.accounts.roles import Role
from tawasul.cases.workflow import REQUESTER, SYSTEM, Policy, Transition, Workflow, register_workflow

PORTAL = "documents"
PREFIX = "DOC"
KIND = "birth_record"

#: R3 "SLA target: 3–7 d end to end, for display only" (DOMAIN.md §3, almaghribtoday.net).
DELAY_MIN_DAYS = 3
DELAY_MAX_DAYS = 7

OFFICE = frozenset({Role.CIVIL_STATUS_OFFICER})
OFFICE_OR_SYSTEM = OFFICE | {SYSTEM}

STATUS_LABELS = {
    "awaiting_payment": gettext_noop("Waiting for the payment"),
    "paid": gettext_noop("Paid"),
    "transmitted": gettext_noop("Sent to the civil-status office"),
    "in_process": gettext_noop("Being checked by the civil-status office"),
    "issued": gettext_noop("Documents issued"),
    "handed_to_post": gettext_noop("Handed to the post"),
    "in_transit": gettext_noop("On its way"),
    "delivered": gettext_noop("Delivered"),
    "returned": gettext_noop("Returned to the sender"),
    "rejected": gettext_noop("Rejected by the civil-status office"),
    "refund_pending": gettext_noop("Refund pending"),
    "refunded": gettext_noop("Refunded"),
    "cancelled": gettext_noop("Cancelled"),
}

CLOSED = frozenset({"delivered", "returned", "refunded", "cancelled"})

_FORMS = "tawasul.documents.staff_forms"
_SERVICES = "tawasul.documents.services"


def build_workflow() -> Workflow:
    return Workflow(
        portal=PORTAL,
        prefix=PREFIX,
        kinds=(KIND,),
        initial="awaiting_payment",
        closed_statuses=CLOSED,
        # R3 "Paid before transmission": the office sees an order once paid, never a cart nor one
        # cancelled unpaid (the only way to `cancelled`).
        unseen_by_staff=frozenset({"awaiting_payment", "cancelled"}),
        policy=Policy(
            first_action_working_days=settings.CASE_FIRST_ACTION_WORKING_DAYS,
            answer_days=DELAY_MAX_DAYS,
            answer_unit="calendar",
            escalation_steps=(),
        ),
        status_labels=STATUS_LABELS,
        escalation_roles={
            1: OFFICE,
            2: frozenset({Role.HEAD_OF_UNIT}),
            3: frozenset({Role.HIGHER_MANAGEMENT}),
        },
        transitions=(
            Transition(
                "awaiting_payment",
                "confirm_payment",
                "paid",
                frozenset({SYSTEM}),
                qualifying=False,
                notify_requester=False,  # the next move (transmit) writes the one email
                label=gettext_noop("Payment received"),
            ),
            Transition(
                "paid",
                "transmit",
                "transmitted",
                frozenset({SYSTEM}),
                qualifying=False,
                restarts_clock=True,  # the office's 3-7 days count from here
                label=gettext_noop("Paid and sent to the civil-status office"),
            ),
            Transition(
                "awaiting_payment",
                "cancel",
                "cancelled",
                frozenset({REQUESTER, SYSTEM}),
                qualifying=False,
                label=gettext_noop("Order cancelled before payment"),
            ),
            Transition(
                "transmitted",
                "start_check",
                "in_process",
                OFFICE,
                label=gettext_noop("The civil-status office is checking the record"),
            ),
            Transition(
                ("transmitted", "in_process"),
                "reject",
                "rejected",
                OFFICE,
                answers=True,
                message_kind="public_answer",
                label=gettext_noop("Order rejected by the civil-status office"),
                form=f"{_FORMS}.RejectForm",
                service=f"{_SERVICES}.order_reject",
            ),
            Transition(
                "rejected",
                "open_refund",
                "refund_pending",
                frozenset({SYSTEM}),
                qualifying=False,
                notify_requester=False,  # the rejection's email says the refund follows
                label=gettext_noop("Refund requested"),
            ),
            Transition(
                "refund_pending",
                "confirm_refund",
                "refunded",
                frozenset({SYSTEM}),
                qualifying=False,
                label=gettext_noop("Refund made"),
            ),
            Transition("in_process", "issue", "issued", OFFICE, answers=True, label=gettext_noop("Documents issued")),
            Transition(
                "issued",
                "hand_to_post",
                "handed_to_post",
                OFFICE,
                label=gettext_noop("Handed to the post as a registered letter"),
                form=f"{_FORMS}.HandToPostForm",
                service=f"{_SERVICES}.order_hand_to_post",
            ),
            Transition(
                "handed_to_post",
                "mark_in_transit",
                "in_transit",
                OFFICE_OR_SYSTEM,
                label=gettext_noop("The letter is on its way"),
            ),
            Transition(
                ("handed_to_post", "in_transit"),
                "mark_delivered",
                "delivered",
                OFFICE_OR_SYSTEM,
                label=gettext_noop("The letter was delivered"),
            ),
            Transition(
                ("handed_to_post", "in_transit"),
                "mark_returned",
                "returned",
                OFFICE_OR_SYSTEM,
                label=gettext_noop("The letter was returned to the sender"),
            ),
        ),
    )


DOCUMENTS = register_workflow(build_workflow())
