"""The body's decisions (R1; issue 5 "Body side"): answers, refusals on a legal ground, already
published, not held, costs; and the workflow table's rule that only staff decide."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tawasul.cases.actors import Actor
from tawasul.cases.models import Case, CaseEvent, Message
from tawasul.cases.services import CaseActionRefused, TransitionNotAllowed, case_transition
from tawasul.information.models import InfoRequest, ProactiveCategory, ProactiveEntry
from tawasul.information.services import (
    info_request_already_published,
    info_request_answer,
    info_request_ask_costs,
    info_request_not_held,
    info_request_refuse,
)
from tawasul.information.staff_forms import AnswerForm, RefuseForm
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_request, staff_actor

pytestmark = pytest.mark.django_db


def test_refusal_without_a_legal_ground_cannot_be_saved():
    case = make_request()
    officer = staff_actor(case)
    for ground in ("", "because"):
        with pytest.raises(ValidationError) as refused:
            info_request_refuse(case=case, actor=officer, ground=ground, note="Nous ne pouvons pas.")
        assert refused.value.code == "ground_required"
    case.refresh_from_db()
    assert case.status == "submitted" and case.answered_at is None
    assert not CaseEvent.objects.filter(case=case, action="refuse").exists()


def test_refusal_form_requires_the_ground_and_keeps_the_text():
    case = make_request()
    form = RefuseForm({"refuse-ground": "", "refuse-note": "Motif écrit"}, case=case, actor=None, prefix="refuse")
    assert not form.is_valid()
    assert "ground" in form.errors and form["note"].value() == "Motif écrit"


def test_refusal_without_a_written_reason_cannot_be_saved():
    case = make_request()
    with pytest.raises(ValidationError):
        info_request_refuse(case=case, actor=staff_actor(case), ground="private_life", note="  ")


def test_refusal_with_ground_and_reason_is_an_answer_the_requester_sees():
    case = make_request()
    case = info_request_refuse(
        case=case, actor=staff_actor(case), ground="private_life", note="Les données concernent des tiers."
    )
    assert case.status == "refused" and case.answered_at is not None
    assert InfoRequest.objects.get(case=case).refusal_ground == "private_life"
    event = CaseEvent.objects.get(case=case, action="refuse")
    assert event.is_public and event.payload == {"ground": "private_life", "message_id": event.payload["message_id"]}
    assert Message.objects.get(case=case).kind == "public_answer"


def test_partial_answer_needs_the_ground_of_what_is_withheld():
    case = make_request()
    officer = staff_actor(case)
    with pytest.raises(ValidationError):
        info_request_answer(case=case, actor=officer, outcome="partial", note="Voici une partie.")
    form = AnswerForm({"outcome": "partial", "note": "x"}, case=case, actor=officer)
    assert not form.is_valid() and "ground" in form.errors
    case = info_request_answer(case=case, actor=officer, outcome="partial", ground="economic_policy", note="Partie.")
    assert case.status == "answered"
    assert CaseEvent.objects.get(case=case, action="answer").payload["outcome"] == "partial"


def test_the_database_refuses_a_partial_outcome_without_ground():
    case = make_request()
    with pytest.raises(IntegrityError), transaction.atomic():
        InfoRequest.objects.filter(case=case).update(outcome="partial", refusal_ground="")


def test_full_answer_then_close():
    case = make_request()
    officer = staff_actor(case)
    case_transition(case=case, action="acknowledge", actor=officer)
    case_transition(case=case, action="start", actor=officer)
    case = info_request_answer(case=case, actor=officer, outcome="full", note="Le budget est en pièce jointe.")
    assert InfoRequest.objects.get(case=case).outcome == "full"
    case = case_transition(case=case, action="close", actor=officer)
    assert case.status == "closed"


def test_already_published_links_to_the_bodys_register_entry():
    case = make_request()
    category = ProactiveCategory.objects.get_or_create(code="budget", defaults={"name_ar": "الميزانية"})[0]
    entry = ProactiveEntry.objects.create(
        administration=case.administration,
        category=category,
        title="Budget 2025",
        url="https://example.gov.ma/budget-2025.pdf",
        published_on="2025-01-15",
    )
    other = ProactiveEntry.objects.create(
        administration=AdministrationFactory(),
        category=category,
        title="Budget d'un autre",
        url="https://other.gov.ma/b.pdf",
        published_on="2025-01-15",
    )
    officer = staff_actor(case)
    with pytest.raises(ValidationError):
        info_request_already_published(case=case, actor=officer, entry=other)
    with pytest.raises(ValidationError):
        info_request_already_published(case=case, actor=officer)
    case = info_request_already_published(case=case, actor=officer, entry=entry)
    assert case.status == "already_published"
    assert InfoRequest.objects.get(case=case).published_url == entry.url
    assert entry.url in Message.objects.get(case=case).body


def test_not_held_names_the_body_that_may_hold_it():
    case = make_request()
    elsewhere = AdministrationFactory()
    case = info_request_not_held(
        case=case, actor=staff_actor(case), note="Voir l'autre organisme.", redirect_to=elsewhere
    )
    assert case.status == "not_held"
    assert InfoRequest.objects.get(case=case).redirected_to == elsewhere


def test_costs_are_asked_with_amount_and_purpose_and_the_status_stays():
    case = make_request()
    officer = staff_actor(case)
    case_transition(case=case, action="start", actor=officer)
    with pytest.raises(ValidationError):
        info_request_ask_costs(case=case, actor=officer, amount=0, purpose="copies")
    case = info_request_ask_costs(case=case, actor=officer, amount="25.50", purpose="51 photocopies")
    info = InfoRequest.objects.get(case=case)
    assert str(info.cost_amount) == "25.50" and case.status == "in_progress"


def test_requester_cannot_decide_and_other_body_officer_has_no_role():
    case = make_request()
    with pytest.raises(TransitionNotAllowed):
        case_transition(case=case, action="answer", actor=Actor.requester(case), note="x")
    outsider = staff_actor(case, administration=AdministrationFactory())
    assert outsider.roles == frozenset()
    with pytest.raises(CaseActionRefused):
        info_request_refuse(case=case, actor=outsider, ground="private_life", note="x")
    assert Case.objects.get(pk=case.pk).status == "submitted"
