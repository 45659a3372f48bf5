"""The test workflow's table walked as a table (ARCHITECTURE.md §4): every (status, action,
role) is allowed or refused; an allowed one writes exactly one event, a refused one raises and
writes nothing."""

import pytest

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, CaseEvent, Message
from tawasul.cases.services import TransitionNotAllowed, case_transition
from tawasul.cases.testing import complaint_like_workflow
from tawasul.notifications.models import Notification

from .factories import make_administration, make_case

pytestmark = pytest.mark.django_db

ROLES = [
    "requester",
    "officer",
    "deputy",
    "head_of_unit",
    "higher_management",
    "contact_agent",
    "national_unit",
    "system",
    None,
]

# How to reach each status through the real service, from "submitted".
PATHS = {
    "submitted": [],
    "acknowledged": [("acknowledge", "officer")],
    "in_progress": [("start", "officer")],
    "info_requested": [("start", "officer"), ("request_information", "officer")],
    "answered": [("start", "officer"), ("answer", "officer")],
    "closed": [("start", "officer"), ("answer", "officer"), ("close", "officer")],
    "inadmissible": [("declare_inadmissible", "officer")],
    "duplicate": [("mark_duplicate", "officer")],
    "withdrawn": [("withdraw", "requester")],
}

WORKFLOW = complaint_like_workflow()


def actor(role):
    return Actor(user=None, roles=frozenset({role} if role else set()))


def kwargs_for(action, other):
    extra = {"note": "نص الجواب / texte"}
    if action == "transfer":
        extra["administration"] = other
    return extra


def case_in(status, administration):
    case = make_case(administration)
    for action, role in PATHS[status]:
        case = case_transition(case=case, action=action, actor=actor(role), note="note")
    assert case.status == status
    return case


def snapshot(case):
    row = Case.objects.filter(pk=case.pk).values().get()
    return row, CaseEvent.objects.filter(case=case).count(), Message.objects.count(), Notification.objects.count()


def test_paths_cover_every_status():
    assert set(PATHS) == WORKFLOW.statuses


@pytest.mark.parametrize("status", sorted(WORKFLOW.statuses))
@pytest.mark.parametrize("action", sorted(WORKFLOW.actions))
def test_transition_table(status, action):
    administration, other = make_administration(), make_administration()
    transition = WORKFLOW.find(status, action)
    allowed = set() if transition is None else set(transition.roles)
    case = case_in(status, administration)
    for role in ROLES:
        if role in allowed:
            continue
        before = snapshot(case)
        with pytest.raises(TransitionNotAllowed):
            case_transition(case=case, action=action, actor=actor(role), **kwargs_for(action, other))
        assert snapshot(case) == before, f"refused {action} by {role} from {status} wrote something"
    for role in sorted(allowed):
        fresh = case_in(status, administration)
        events_before = CaseEvent.objects.filter(case=fresh).count()
        moved = case_transition(case=fresh, action=action, actor=actor(role), **kwargs_for(action, other))
        assert moved.status == transition.target
        new_events = list(CaseEvent.objects.filter(case=fresh).order_by("pk")[events_before:])
        assert len(new_events) == 1
        assert (new_events[0].action, new_events[0].from_status, new_events[0].to_status) == (
            action,
            status,
            transition.target,
        )
        assert new_events[0].actor_role == role
        assert (moved.closed_at is not None) == (transition.target in WORKFLOW.closed_statuses)
