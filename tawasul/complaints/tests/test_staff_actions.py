"""Staff actions of the complaints workflow with fields of their own (issue 4; interfaces.md
"Staff action forms" and "Answer outcome"): answer + outcome, transfer + reason, inadmissible +
ground, duplicate + original. Forms built as the back office builds them."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from tawasul.cases.actors import actor_for
from tawasul.cases.models import CaseEvent, Message
from tawasul.cases.selectors import case_public_timeline
from tawasul.cases.services import TransitionNotAllowed
from tawasul.cases.workflow import get_workflow
from tawasul.complaints.models import Complaint
from tawasul.complaints.selectors import public_statistics
from tawasul.complaints.services import (
    complaint_answer,
    complaint_declare_inadmissible,
    complaint_mark_duplicate,
    complaint_transfer,
)
from tawasul.notifications.models import Notification, StaffAlert
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_complaint, staff_actor

pytestmark = pytest.mark.django_db


def _perform(case, actor, action, data):
    """What the back office does: the transition's form, then its service with cleaned_data."""
    transition = get_workflow(case.portal).find(case.status, action)
    form = import_string(transition.form)(data, None, case=case, actor=actor, prefix=action)
    assert form.is_valid(), form.errors
    return import_string(transition.service)(case=case, actor=actor, **form.cleaned_data)


def test_every_action_form_accepts_case_and_actor_and_names_its_text_note():
    case = make_complaint()
    actor = staff_actor(case)
    for transition in get_workflow("complaints").transitions:
        if transition.form:
            form = import_string(transition.form)(None, None, case=case, actor=actor, prefix=transition.action)
            assert "note" in form.fields, transition.action


def test_answer_records_the_outcome_on_the_event_and_the_complaint():
    case = make_complaint()
    actor = staff_actor(case)
    case = _perform(
        case, actor, "answer", {"answer-outcome": "partial", "answer-note": "Nous avons corrigé en partie."}
    )
    assert case.status == "answered"
    event = CaseEvent.objects.get(case=case, action="answer")
    assert event.payload["outcome"] == "partial"
    assert Complaint.objects.get(case=case).outcome == "partial"
    assert Message.objects.get(case=case, kind="public_answer").body == "Nous avons corrigé en partie."


def test_answer_without_a_valid_outcome_is_refused_and_writes_nothing():
    case = make_complaint()
    with pytest.raises(ValidationError):
        complaint_answer(case=case, actor=staff_actor(case), note="Réponse.", outcome="great")
    assert not CaseEvent.objects.filter(case=case, action="answer").exists()


def test_public_statistics_count_answers_by_outcome():
    for outcome in ("positive", "positive", "negative", "informative"):
        case = make_complaint()
        complaint_answer(case=case, actor=staff_actor(case), note="Réponse.", outcome=outcome)
    overall = public_statistics()["overall"]
    assert overall["by_outcome"] == {"positive": 2, "negative": 1, "partial": 0, "informative": 1}
    assert overall["positive_pct"] == 50.0


def test_transfer_moves_the_case_restarts_the_clock_and_tells_the_citizen_why():
    case = make_complaint()
    actor = staff_actor(case)
    target = AdministrationFactory()
    receiving_officer = staff_actor(make_complaint(target)).user
    reason = "Ce service relève de la commune."
    case = _perform(case, actor, "transfer", {"transfer-administration": target.pk, "transfer-note": reason})
    assert case.administration_id == target.pk and case.status == "submitted" and case.escalation_level == 1
    event = CaseEvent.objects.get(case=case, action="transfer")
    assert event.is_public and event.payload["reason"] == reason
    public = [entry for entry in case_public_timeline(case) if entry.action == "transfer"]
    assert public[0].body == reason
    email = Notification.objects.filter(to=case.email, template="case_updated").latest("pk")
    assert email.context["note"] == reason
    alert = StaffAlert.objects.get(user=receiving_officer, kind="transfer_in")
    assert alert.case_reference == case.reference


def test_transfer_to_the_same_administration_is_refused():
    case = make_complaint()
    with pytest.raises(ValidationError):
        complaint_transfer(case=case, actor=staff_actor(case), administration=case.administration, note="Erreur.")


def test_transfer_form_does_not_offer_the_case_own_administration():
    case = make_complaint()
    form = import_string(get_workflow("complaints").find("submitted", "transfer").form)(
        case=case, actor=staff_actor(case), prefix="transfer"
    )
    assert not form.fields["administration"].queryset.filter(pk=case.administration_id).exists()


def test_transfer_needs_a_reason():
    case = make_complaint()
    with pytest.raises(ValidationError):
        complaint_transfer(case=case, actor=staff_actor(case), administration=AdministrationFactory(), note="  ")


@pytest.mark.parametrize("ground", ["sub_judice", "judicial_police_report", "outside_scope"])
def test_inadmissible_on_each_ground_of_the_decree_closes_with_a_written_reason(ground):
    case = make_complaint()
    reason = "L'affaire est pendante devant le tribunal administratif."
    case = _perform(
        case,
        staff_actor(case),
        "declare_inadmissible",
        {"declare_inadmissible-ground": ground, "declare_inadmissible-note": reason},
    )
    assert case.status == "inadmissible" and case.closed_at is not None
    assert CaseEvent.objects.get(case=case, action="declare_inadmissible").payload["ground"] == ground
    assert Message.objects.get(case=case, kind="public_answer").body == reason


def test_inadmissible_without_a_ground_or_a_reason_is_refused():
    case = make_complaint()
    actor = staff_actor(case)
    with pytest.raises(ValidationError):
        complaint_declare_inadmissible(case=case, actor=actor, ground="not_a_ground", note="Motif.")
    with pytest.raises(ValidationError):
        complaint_declare_inadmissible(case=case, actor=actor, ground="sub_judice", note="")
    case.refresh_from_db()
    assert case.status == "submitted"


def test_duplicate_gives_the_citizen_the_original_reference_and_status_not_its_contents():
    administration = AdministrationFactory()
    original = make_complaint(
        administration, description="Texte confidentiel de la première plainte, à ne pas montrer."
    )
    actor = staff_actor(original)
    duplicate = make_complaint(administration, language="fr")
    duplicate_actor = actor_for(actor.user, duplicate)
    duplicate = _perform(
        duplicate,
        duplicate_actor,
        "mark_duplicate",
        {"mark_duplicate-original_reference": original.reference.lower(), "mark_duplicate-note": ""},
    )
    assert duplicate.status == "duplicate"
    event = CaseEvent.objects.get(case=duplicate, action="mark_duplicate")
    assert event.payload["duplicate_of"] == original.reference
    body = Message.objects.get(case=duplicate, kind="public_answer").body
    assert original.reference in body
    assert "Texte confidentiel" not in body


def test_duplicate_of_itself_is_refused():
    case = make_complaint()
    with pytest.raises(ValidationError) as refused:
        complaint_mark_duplicate(case=case, actor=staff_actor(case), original_reference=case.reference)
    assert "original_reference" in refused.value.message_dict


def test_duplicate_of_a_complaint_the_officer_cannot_see_is_refused_like_an_unknown_one():
    elsewhere = make_complaint()
    case = make_complaint()
    actor = staff_actor(case)
    with pytest.raises(ValidationError) as hidden:
        complaint_mark_duplicate(case=case, actor=actor, original_reference=elsewhere.reference)
    with pytest.raises(ValidationError) as unknown:
        complaint_mark_duplicate(case=case, actor=actor, original_reference="CHK-2026-9999999-X")
    assert hidden.value.message_dict == unknown.value.message_dict


def test_a_requester_cannot_answer_their_own_complaint():
    from tawasul.cases.actors import Actor

    case = make_complaint()
    with pytest.raises(TransitionNotAllowed):
        complaint_answer(case=case, actor=Actor.requester(case), note="Réglé.", outcome="positive")
