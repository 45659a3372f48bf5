"""The workflow's staff actions as the back office offers them (interfaces.md "Staff action forms").

For each transition of `get_workflow(case.portal).allowed(case.status, actor.roles)` that the
actor may do *as staff* (not only as the requester, not only as the system sweep):
- the form: `import_string(transition.form)` when the portal names one, else
  `forms.default_form_class(transition)`; built as `Form(data, files, case=, actor=, prefix=action)`;
- the service: `import_string(transition.service)` called as `service(case=, actor=,
  **cleaned_data)` when the portal names one, else `case_transition(case=, action=, actor=,
  note=, payload=, administration=)`. A default transfer's reason goes into the payload `reason`
  (a public event: the requester reads it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.module_loading import import_string

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.cases.workflow import REQUESTER, SYSTEM, Transition, get_workflow

from .forms import default_form_class


@dataclass(frozen=True)
class StaffAction:
    transition: Transition
    form_class: type[forms.Form]

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> str:
        return self.transition.label or self.transition.action.replace("_", " ").capitalize()


def staff_actions(case: Case, actor: Actor) -> list[StaffAction]:
    """The actions this staff member may take on this case now, in the workflow's order."""
    workflow = get_workflow(case.portal)
    found = []
    for transition in workflow.allowed(case.status, actor.roles):
        if actor.role_for(set(transition.roles) - {REQUESTER, SYSTEM}) is None:
            continue
        form_class = import_string(transition.form) if transition.form else default_form_class(transition)
        found.append(StaffAction(transition=transition, form_class=form_class))
    return found


def staff_action(case: Case, actor: Actor, action: str) -> StaffAction | None:
    return next((a for a in staff_actions(case, actor) if a.action == action), None)


def build_form(staff_action: StaffAction, case: Case, actor: Actor, data=None, files=None, initial=None):
    kwargs: dict[str, Any] = {"case": case, "actor": actor, "prefix": staff_action.action}
    if initial:
        kwargs["initial"] = initial
    return staff_action.form_class(data or None, files or None, **kwargs)


def perform(staff_action: StaffAction, case: Case, actor: Actor, cleaned: dict[str, Any]) -> Case:
    """Run the action's service with the form's cleaned data (see the module docstring)."""
    transition = staff_action.transition
    cleaned = dict(cleaned)
    if transition.service:
        service = import_string(transition.service)
        return service(case=case, actor=actor, **cleaned)
    note = cleaned.pop("note", "") or ""
    administration = cleaned.pop("administration", None)
    payload = {key: value for key, value in cleaned.items() if _is_json(value)}
    if transition.moves_administration and note.strip():
        payload["reason"] = note.strip()
    return case_transition(
        case=case, action=transition.action, actor=actor, note=note, payload=payload, administration=administration
    )


def _is_json(value) -> bool:
    return value is None or isinstance(value, str | int | float | bool | list | dict)
