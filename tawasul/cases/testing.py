"""A realistic complaint workflow table, for the engine's tests and as a model for portals.

It follows DOMAIN.md R2 (decree 2-17-265 and chikaya.ma): SUBMITTED → ACKNOWLEDGED →
IN_PROGRESS, INFO_REQUESTED pauses the clock, ANSWERED, then CLOSED or REOPENED (a fresh clock),
with the closures of issue 4 (inadmissible, duplicate) and a transfer to the competent
administration (the clock restarts there). The complaints portal registers its own table.
"""

from __future__ import annotations

from tawasul.accounts.roles import Role

from .workflow import REQUESTER, SYSTEM, Policy, Transition, Workflow

OFFICERS = frozenset({Role.OFFICER, Role.DEPUTY})
SUPERVISORS = frozenset({Role.HEAD_OF_UNIT, Role.HIGHER_MANAGEMENT})
STAFF = OFFICERS | SUPERVISORS
OPEN_BEFORE_ANSWER = ("submitted", "acknowledged", "in_progress")


def complaint_like_workflow(portal: str = "test_complaints", prefix: str = "TST") -> Workflow:
    return Workflow(
        portal=portal,
        prefix=prefix,
        kinds=("complaint", "observation", "suggestion"),
        initial="submitted",
        closed_statuses=frozenset({"closed", "inadmissible", "duplicate", "withdrawn"}),
        policy=Policy(),
        status_labels={
            "submitted": "Received",
            "acknowledged": "Acknowledged",
            "in_progress": "Being processed",
            "info_requested": "Waiting for your information",
            "answered": "Answered",
            "closed": "Closed",
            "inadmissible": "Not admissible",
            "duplicate": "Duplicate",
            "withdrawn": "Withdrawn",
        },
        transitions=(
            Transition("submitted", "acknowledge", "acknowledged", STAFF | {SYSTEM}, label="acknowledged"),
            Transition(("submitted", "acknowledged"), "start", "in_progress", STAFF, label="processing started"),
            Transition(
                "in_progress",
                "request_information",
                "info_requested",
                STAFF,
                pauses_clock=True,
                message_kind="request_for_information",
                note_required=True,
                label="more information requested",
            ),
            Transition(
                "info_requested",
                "provide_information",
                "in_progress",
                frozenset({REQUESTER}),
                qualifying=False,
                resumes_clock=True,
                message_kind="citizen_message",
                note_required=True,
                notify_requester=False,
                label="information provided",
            ),
            Transition(
                "in_progress",
                "answer",
                "answered",
                STAFF,
                answers=True,
                message_kind="public_answer",
                note_required=True,
                label="answered",
            ),
            Transition("answered", "close", "closed", STAFF | {REQUESTER, SYSTEM}, label="closed"),
            Transition(
                ("answered", "closed"),
                "reopen",
                "in_progress",
                frozenset({REQUESTER}),
                qualifying=False,
                restarts_clock=True,
                reopens=True,
                notify_requester=True,
                label="reopened",
            ),
            Transition(
                OPEN_BEFORE_ANSWER,
                "transfer",
                "submitted",
                STAFF,
                restarts_clock=True,
                moves_administration=True,
                label="transferred to the competent administration",
            ),
            Transition(
                OPEN_BEFORE_ANSWER, "declare_inadmissible", "inadmissible", STAFF, label="declared inadmissible"
            ),
            Transition(OPEN_BEFORE_ANSWER, "mark_duplicate", "duplicate", STAFF, public=True, label="marked duplicate"),
            Transition(
                ("submitted", "acknowledged"),
                "withdraw",
                "withdrawn",
                frozenset({REQUESTER}),
                qualifying=False,
                notify_requester=False,
                label="withdrawn",
            ),
        ),
    )
