"""Workflows as tables the server enforces (ARCHITECTURE.md §3.6).

Each portal declares, in its own `workflow.py`, the transitions of its case kinds and registers
them at start-up (`AppConfig.ready`): the case core knows no portal. `case_transition` is the
only code that moves a case, and it moves it only along a row of this table, for an actor who
holds one of the row's roles *for that case*.

Roles are strings: `requester` (the person who filed: the account owner, or whoever proved the
tracking secret), the membership roles of the case's administration (`officer`, `deputy`,
`head_of_unit`, `higher_management`, `national_unit`, `contact_agent`, ...) and `system`
(the periodic sweeps).

A *qualifying* transition is an action by the administration that counts as handling the case
(issue 4: a public answer, a request for information, a transfer or a status change): it
resets the escalation timer. Internal notes are qualifying too (DOMAIN.md R2, "no action (no
state change or internal note)"); that is decided in `services.case_add_message`. The requester's
and the platform's (`system`) transitions never qualify. The whole table, with the settings that
change the defaults: docs/sla-and-escalation.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

__all__ = [
    "REQUESTER",
    "SYSTEM",
    "Policy",
    "Transition",
    "Workflow",
    "WorkflowError",
    "get_workflow",
    "register_workflow",
    "registered_workflows",
    "unregister_workflow",
]

REQUESTER = "requester"
SYSTEM = "system"


class WorkflowError(LookupError):
    pass


@dataclass(frozen=True)
class Policy:
    """The SLA of a case kind. Defaults from settings (DOMAIN.md R2):
    first action within 2 working days, answer within 60 calendar days (decree 2-17-265),
    escalation after 2 then 2 more working days without a qualifying action (Jordanian model)."""

    first_action_working_days: int | None = None
    answer_days: int | None = None
    answer_unit: str | None = None  # "calendar" | "working"
    escalation_steps: tuple[int, ...] | None = None

    def __post_init__(self) -> None:
        if self.first_action_working_days is None:
            object.__setattr__(self, "first_action_working_days", settings.CASE_FIRST_ACTION_WORKING_DAYS)
        if self.answer_days is None:
            object.__setattr__(self, "answer_days", settings.CASE_ANSWER_DAYS)
        if self.answer_unit is None:
            object.__setattr__(self, "answer_unit", settings.CASE_ANSWER_UNIT)
        if self.escalation_steps is None:
            object.__setattr__(self, "escalation_steps", tuple(settings.CASE_ESCALATION_STEPS))
        if self.answer_unit not in ("calendar", "working"):
            raise ValueError(f"answer_unit must be 'calendar' or 'working', not {self.answer_unit!r}")


@dataclass(frozen=True)
class Transition:
    source: str | tuple[str, ...]
    action: str
    target: str
    roles: frozenset[str]
    qualifying: bool = True
    public: bool = True  # the event appears on the requester's timeline
    pauses_clock: bool = False  # e.g. waiting for the requester's information
    resumes_clock: bool = False
    notify_requester: bool | None = None  # None: notify when public
    restarts_clock: bool = False  # e.g. a transfer or a reopening: fresh deadlines from now
    answers: bool = False  # records `answered_at` (the answer clock stops)
    reopens: bool = False  # counts a reopening (DOMAIN.md R2: at most 1, a portal rule)
    moves_administration: bool = False  # a transfer: `case_transition(administration=...)`
    message_kind: str = ""  # the transition's note becomes a Message of this kind
    note_required: bool = False
    label: str = ""  # English msgid of the action, for timelines and emails
    # How the back office asks for and performs the action, when the defaults do not fit.
    # `form`: dotted path of the portal's Django form class for the action's extra fields (an
    # answer's outcome, a legal ground...); default: a note field when `message_kind` is set.
    # `service`: dotted path of the portal's service, called as
    # `service(case=, actor=, note=, **form.cleaned_data)`; default: `case_transition(case=,
    # action=, actor=, note=, payload=cleaned_data)`. Paths, not imports: the back office sits
    # above the portals and resolves them with `import_string`.
    form: str = ""
    service: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,) if isinstance(self.source, str) else tuple(self.source)

    @property
    def notifies_requester(self) -> bool:
        return self.public if self.notify_requester is None else self.notify_requester


@dataclass(frozen=True)
class Workflow:
    portal: str
    prefix: str  # reference prefix (core.references: 2-4 capitals, e.g. CHK)
    kinds: tuple[str, ...]
    initial: str
    transitions: tuple[Transition, ...]
    closed_statuses: frozenset[str]
    policy: Policy = field(default_factory=Policy)
    policies: dict[str, Policy] = field(default_factory=dict)  # per kind, overriding `policy`
    status_labels: dict[str, str] = field(default_factory=dict)  # English msgids, per status
    # Who is told at each escalation level when the portal's ladder is not the complaints one
    # (accounts.roles.ESCALATION_LEVELS): e.g. law 31-13's information officer, then the head of
    # the body. Level 1 is also who gets the reminders of an unassigned case.
    escalation_roles: dict[int, frozenset[str]] = field(default_factory=dict)
    # Statuses in which the case is not the administration's yet: its staff never see it (the back
    # office leaves it out) and the indicators do not count it as received. A document order
    # before it is paid (DOMAIN.md R3 "Paid before transmission").
    unseen_by_staff: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for transition in self.transitions:
            for source in transition.sources:
                key = (source, transition.action)
                if key in seen:
                    raise WorkflowError(f"{self.portal}: two transitions for {key}")
                seen.add(key)

    def policy_for(self, kind: str) -> Policy:
        return self.policies.get(kind, self.policy)

    def find(self, status: str, action: str) -> Transition | None:
        for transition in self.transitions:
            if transition.action == action and status in transition.sources:
                return transition
        return None

    def allowed(self, status: str, roles: Iterable[str]) -> list[Transition]:
        """The transitions open from `status` to someone holding `roles` (for action menus)."""
        roles = set(roles)
        return [t for t in self.transitions if status in t.sources and roles & t.roles]

    @property
    def statuses(self) -> set[str]:
        found = {self.initial}
        for transition in self.transitions:
            found.update(transition.sources)
            found.add(transition.target)
        return found

    @property
    def actions(self) -> set[str]:
        return {transition.action for transition in self.transitions}

    def roles_at(self, level: int) -> frozenset[str]:
        """The roles told at escalation `level` for this portal."""
        from tawasul.accounts.roles import ESCALATION_LEVELS

        return self.escalation_roles.get(level) or ESCALATION_LEVELS[level]

    def status_label(self, status: str) -> str:
        return self.status_labels.get(status, status.replace("_", " ").capitalize())


_REGISTRY: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> Workflow:
    """Register (or replace, e.g. on autoreload) the workflow of a portal."""
    _REGISTRY[workflow.portal] = workflow
    return workflow


def unregister_workflow(portal: str) -> None:
    _REGISTRY.pop(portal, None)


def get_workflow(portal: str) -> Workflow:
    try:
        return _REGISTRY[portal]
    except KeyError:
        raise WorkflowError(f"no workflow registered for portal {portal!r}") from None


def registered_workflows() -> dict[str, Workflow]:
    return dict(_REGISTRY)
