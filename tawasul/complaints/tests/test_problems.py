"""Problems: many complaints, one root cause, one resolution sent to every linked complainant
(ITIL problem management from Jordan's system, DOMAIN.md §7; SPEC.md §2; issue 4)."""

import pytest
from django.core.exceptions import ValidationError

from tawasul.cases.actors import Actor
from tawasul.cases.models import CaseEvent, Message
from tawasul.cases.services import CaseActionRefused, case_transition
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.models import Complaint, Problem, ProblemLink
from tawasul.complaints.selectors import problems_for_staff
from tawasul.complaints.services import (
    complaint_answer,
    problem_create,
    problem_link_case,
    problem_resolve,
    problem_unlink_case,
)
from tawasul.notifications.models import Notification
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_complaint, staff_actor

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    administration = AdministrationFactory()
    return administration, make_staff(administration, role="officer")


def test_linked_complaints_open_before_the_answer_are_all_answered_with_the_resolution(unit):
    administration, officer = unit
    problem = problem_create(actor=officer, administration=administration, title="Coupures d'eau à Hay Salam")
    cases = [make_complaint(administration) for _ in range(3)]
    for case in cases:
        problem_link_case(problem=problem, case=case, actor=officer)
    resolution = "La conduite principale a été remplacée le 12 octobre."
    problem = problem_resolve(problem=problem, actor=officer, resolution=resolution, outcome="positive")
    assert problem.status == "resolved" and problem.summary == {"answered": 3, "informed": 0, "left": 0}
    for case in cases:
        case.refresh_from_db()
        assert case.status == "answered"
        assert CaseEvent.objects.filter(case=case, action="answer").count() == 1
        assert CaseEvent.objects.get(case=case, action="answer").payload["outcome"] == "positive"
        assert Complaint.objects.get(case=case).outcome == "positive"
        assert Message.objects.get(case=case, kind="public_answer").body == resolution
        email = Notification.objects.filter(to=case.email, template="case_updated").latest("pk")
        assert email.context["note"] == resolution


def test_already_answered_complaints_get_the_resolution_as_a_message_and_closed_ones_are_left(unit):
    administration, officer = unit
    problem = problem_create(actor=officer, administration=administration, title="Retards de délivrance")
    answered, waiting, open_case = (make_complaint(administration) for _ in range(3))
    for case in (answered, waiting, open_case):
        problem_link_case(problem=problem, case=case, actor=officer)
    complaint_answer(case=answered, actor=staff_actor(answered), note="Première réponse.", outcome="informative")
    case_transition(case=waiting, action="request_information", actor=staff_actor(waiting), note="Votre CIN ?")
    withdrawn = make_complaint(administration)
    problem_link_case(problem=problem, case=withdrawn, actor=officer)
    case_transition(case=withdrawn, action="withdraw", actor=Actor.requester(withdrawn))

    problem = problem_resolve(problem=problem, actor=officer, resolution="Nouveau logiciel.", outcome="positive")
    assert problem.summary == {"answered": 1, "informed": 2, "left": 1}
    answered.refresh_from_db()
    assert answered.status == "answered"
    assert CaseEvent.objects.filter(case=answered, action="answer").count() == 1
    assert CaseEvent.objects.get(case=answered, action="problem_resolved").is_public
    assert Notification.objects.filter(to=answered.email, context__action="problem_resolved").count() == 1
    assert CaseEvent.objects.filter(case=waiting, action="problem_resolved").count() == 1
    assert not CaseEvent.objects.filter(case=withdrawn, action="problem_resolved").exists()


def test_a_complaint_belongs_to_at_most_one_problem(unit):
    administration, officer = unit
    first = problem_create(actor=officer, administration=administration, title="A")
    second = problem_create(actor=officer, administration=administration, title="B")
    case = make_complaint(administration)
    problem_link_case(problem=first, case=case, actor=officer)
    with pytest.raises(ValidationError):
        problem_link_case(problem=second, case=case, actor=officer)
    problem_unlink_case(problem=first, case=case, actor=officer)
    problem_link_case(problem=second, case=case, actor=officer)
    assert ProblemLink.objects.get().problem == second
    actions = list(CaseEvent.objects.filter(case=case).values_list("action", "is_public"))
    assert ("linked_to_problem", False) in actions and ("unlinked_from_problem", False) in actions


def test_an_officer_cannot_link_another_administrations_complaint(unit):
    administration, officer = unit
    problem = problem_create(actor=officer, administration=administration, title="A")
    elsewhere = make_complaint(AdministrationFactory())
    with pytest.raises(CaseActionRefused):
        problem_link_case(problem=problem, case=elsewhere, actor=officer)


def test_a_supervisor_links_complaints_of_the_administrations_below(unit):
    ministry = AdministrationFactory()
    delegation = AdministrationFactory(parent=ministry)
    head = make_staff(ministry, role="head_of_unit")
    problem = problem_create(actor=head, administration=ministry, title="Même cause dans les délégations")
    below = make_complaint(delegation)
    problem_link_case(problem=problem, case=below, actor=head)
    problem_resolve(problem=problem, actor=head, resolution="Corrigé partout.", outcome="partial")
    below.refresh_from_db()
    assert below.status == "answered"


def test_an_officer_of_the_delegation_does_not_see_the_ministrys_problems():
    ministry = AdministrationFactory()
    delegation = AdministrationFactory(parent=ministry)
    head = make_staff(ministry, role="head_of_unit")
    delegation_officer = make_staff(delegation, role="officer")
    problem = problem_create(actor=head, administration=ministry, title="Cause commune")
    assert list(problems_for_staff(head)) == [problem]
    assert list(problems_for_staff(delegation_officer)) == []
    with pytest.raises(CaseActionRefused):
        problem_link_case(problem=problem, case=make_complaint(delegation), actor=delegation_officer)


def test_problems_cannot_be_created_in_someone_elses_administration(unit):
    _administration, officer = unit
    with pytest.raises(CaseActionRefused):
        problem_create(actor=officer, administration=AdministrationFactory(), title="Pas chez moi")


def test_a_resolved_problem_cannot_be_resolved_again_or_take_new_complaints(unit):
    administration, officer = unit
    problem = problem_create(actor=officer, administration=administration, title="A")
    problem_resolve(problem=problem, actor=officer, resolution="Fait.", outcome="informative")
    with pytest.raises(ValidationError):
        problem_resolve(problem=problem, actor=officer, resolution="Encore.", outcome="positive")
    with pytest.raises(ValidationError):
        problem_link_case(problem=problem, case=make_complaint(administration), actor=officer)
    assert Problem.objects.get().resolution == "Fait."


def test_resolution_is_all_or_nothing_when_the_resolver_cannot_act_on_a_linked_complaint():
    ministry = AdministrationFactory()
    delegation = AdministrationFactory(parent=ministry)
    head = make_staff(ministry, role="head_of_unit")
    ministry_officer = make_staff(ministry, role="officer")
    problem = problem_create(actor=head, administration=ministry, title="Cause commune")
    here, below = make_complaint(ministry), make_complaint(delegation)
    problem_link_case(problem=problem, case=here, actor=head)
    problem_link_case(problem=problem, case=below, actor=head)
    with pytest.raises(CaseActionRefused):
        problem_resolve(problem=problem, actor=ministry_officer, resolution="Fait.", outcome="positive")
    here.refresh_from_db()
    assert here.status == "submitted" and Problem.objects.get().status == "open"
