"""The workflow as a table (ARCHITECTURE.md §4): every (status, action, role) is allowed or refused
as R3 and the brief say, written out here independently of `workflow.py`; each allowed move writes
exactly one event, a refused one writes nothing."""

import pytest

from tawasul.accounts.roles import Role
from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import TransitionNotAllowed, case_transition
from tawasul.cases.tests.factories import make_staff
from tawasul.cases.workflow import get_workflow
from tawasul.documents.workflow import PORTAL

from .factories import make_order

pytestmark = pytest.mark.django_db

CSO, SYS, REQ = "civil_status_officer", "system", "requester"
#: (status, action) → (target, roles allowed). Anything not listed is refused for everyone.
EXPECTED = {
    ("awaiting_payment", "confirm_payment"): ("paid", {SYS}),
    ("awaiting_payment", "cancel"): ("cancelled", {REQ, SYS}),
    ("paid", "transmit"): ("transmitted", {SYS}),
    ("transmitted", "start_check"): ("in_process", {CSO}),
    ("transmitted", "reject"): ("rejected", {CSO}),
    ("in_process", "reject"): ("rejected", {CSO}),
    ("in_process", "issue"): ("issued", {CSO}),
    ("rejected", "open_refund"): ("refund_pending", {SYS}),
    ("refund_pending", "confirm_refund"): ("refunded", {SYS}),
    ("issued", "hand_to_post"): ("handed_to_post", {CSO}),
    ("handed_to_post", "mark_in_transit"): ("in_transit", {CSO, SYS}),
    ("handed_to_post", "mark_delivered"): ("delivered", {CSO, SYS}),
    ("in_transit", "mark_delivered"): ("delivered", {CSO, SYS}),
    ("handed_to_post", "mark_returned"): ("returned", {CSO, SYS}),
    ("in_transit", "mark_returned"): ("returned", {CSO, SYS}),
}
STATUSES = sorted(get_workflow(PORTAL).statuses)
ACTIONS = sorted(get_workflow(PORTAL).actions)
#: Roles tried: the office's officer, the administration's liaison officer and head of unit (they
#: see the order in the back office but do not work it), the requester, the platform.
ROLES = (CSO, Role.OFFICER, Role.HEAD_OF_UNIT, REQ, SYS)
PAYLOAD_ACTIONS = {"hand_to_post": {"item_number": "RR123456785MA"}, "reject": {"reason_code": "data_mismatch"}}


def test_the_table_is_the_expected_one():
    workflow = get_workflow(PORTAL)
    found = {(source, t.action): (t.target, set(t.roles)) for t in workflow.transitions for source in t.sources}
    assert found == EXPECTED
    assert workflow.closed_statuses == {"delivered", "returned", "refunded", "cancelled"}
    assert workflow.prefix == "DOC"


def _actor(role: str, case: Case) -> Actor:
    if role == SYS:
        return Actor.system()
    if role == REQ:
        return Actor.requester(case)
    return actor_for(make_staff(case.administration, role=role), case)


@pytest.mark.parametrize("status", STATUSES)
def test_every_status_action_and_role(status):
    case = make_order()
    actors = {role: _actor(role, case) for role in ROLES}
    for action in ACTIONS:
        for role in ROLES:
            # the status is set directly here only to reach every row of the table
            Case.objects.filter(pk=case.pk).update(status=status, closed_at=None)
            before = CaseEvent.objects.filter(case=case).count()
            expected = EXPECTED.get((status, action))
            allowed = expected is not None and role in expected[1]
            try:
                moved = case_transition(
                    case=case,
                    action=action,
                    actor=actors[role],
                    note="Note" if action == "reject" else "",
                    payload=PAYLOAD_ACTIONS.get(action),
                )
            except TransitionNotAllowed:
                assert not allowed, (status, action, role)
                assert CaseEvent.objects.filter(case=case).count() == before
                continue
            assert allowed, (status, action, role)
            assert moved.status == expected[0]
            assert CaseEvent.objects.filter(case=case).count() == before + 1
