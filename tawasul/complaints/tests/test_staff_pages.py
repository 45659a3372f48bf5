"""The problem pages and the case panel (issue 4; interfaces.md "Portal panel"): only complaint
staff of the problem's administration and the supervisors above reach them; anyone else gets
the same 404 as for a problem that does not exist."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tawasul.cases.actors import actor_for
from tawasul.cases.models import Case
from tawasul.cases.tests.factories import UserFactory, make_staff
from tawasul.complaints.models import Problem, ProblemLink
from tawasul.complaints.services import problem_create, problem_link_case
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_complaint

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_forced_2fa(settings):
    """Staff 2FA has its own tests (accounts); these pages sign staff in with force_login."""
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def world():
    ministry = AdministrationFactory()
    delegation = AdministrationFactory(parent=ministry)
    other = AdministrationFactory()
    officer = make_staff(delegation, role="officer")
    problem = problem_create(actor=officer, administration=delegation, title="Files d'attente au guichet")
    return {
        "delegation": delegation,
        "officer": officer,
        "supervisor": make_staff(ministry, role="head_of_unit"),
        "other_officer": make_staff(other, role="officer"),
        "citizen": UserFactory(),
        "problem": problem,
        "complaint": make_complaint(delegation),
        "other_complaint": make_complaint(other),
    }


def _urls(problem, reference):
    return {
        "list": ("get", reverse("complaints:staff_problems")),
        "new": ("get", reverse("complaints:staff_problem_new")),
        "detail": ("get", reverse("complaints:staff_problem", args=[problem.pk])),
        "link": ("post", reverse("complaints:staff_problem_link", args=[problem.pk])),
        "resolve": ("post", reverse("complaints:staff_problem_resolve", args=[problem.pk])),
        "unlink": ("post", reverse("complaints:staff_problem_unlink", args=[problem.pk, reference])),
        "case_link": ("post", reverse("complaints:staff_case_link_problem", args=[reference])),
    }


@pytest.mark.parametrize("persona", ["other_officer", "citizen"])
def test_other_people_get_404_on_every_page_of_the_problem(client, world, persona):
    client.force_login(world[persona])
    tried = 0
    for name, (method, url) in _urls(world["problem"], world["complaint"].reference).items():
        response = getattr(client, method)(url, {})
        if name in ("list", "new") and persona == "other_officer":
            # Their own administration's list and form: this problem is not in them.
            assert response.status_code == 200 and "attente au guichet" not in response.content.decode()
        else:
            assert response.status_code == 404, (persona, name)
        tried += 1
    assert tried == 7
    assert not ProblemLink.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for method, url in _urls(world["problem"], world["complaint"].reference).values():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize("persona", ["officer", "supervisor"])
def test_staff_of_the_administration_and_supervisors_above_see_the_problem(client, world, persona):
    client.force_login(world[persona])
    assert client.get(reverse("complaints:staff_problems")).status_code == 200
    page = client.get(reverse("complaints:staff_problem", args=[world["problem"].pk]))
    assert page.status_code == 200 and "attente au guichet" in page.content.decode()


def test_officer_creates_links_and_resolves_through_the_pages(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("complaints:staff_problem_new"),
        {"administration": world["delegation"].pk, "title": "Panne du site", "description": ""},
    )
    assert response.status_code == 302
    problem = Problem.objects.get(title="Panne du site")
    link = client.post(
        reverse("complaints:staff_problem_link", args=[problem.pk]), {"reference": world["complaint"].reference}
    )
    assert link.status_code == 302
    resolve = client.post(
        reverse("complaints:staff_problem_resolve", args=[problem.pk]),
        {"outcome": "positive", "resolution": "Le site est rétabli."},
    )
    assert resolve.status_code == 302
    assert Case.objects.get(pk=world["complaint"].pk).status == "answered"


def test_linking_a_complaint_of_another_administration_keeps_the_input_and_says_why(client, world):
    client.force_login(world["officer"])
    reference = world["other_complaint"].reference
    response = client.post(
        reverse("complaints:staff_problem_link", args=[world["problem"].pk]), {"reference": reference}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert reference in html and "is-invalid" in html
    assert not ProblemLink.objects.exists()


def test_a_resolution_without_text_is_refused_next_to_the_field(client, world):
    client.force_login(world["officer"])
    response = client.post(
        reverse("complaints:staff_problem_resolve", args=[world["problem"].pk]), {"outcome": "positive"}
    )
    assert response.status_code == 400 and "id_resolution_error" in response.content.decode()


def test_case_panel_shows_the_subject_and_links_to_a_problem(client, world):
    case = world["complaint"]
    request = RequestFactory().get("/")
    request.user = world["officer"]
    html = render_to_string(
        "complaints/staff/case_panel.html",
        {"case": case, "actor": actor_for(world["officer"], case), "request": request},
        request=request,
    )
    assert case.complaint.subject.name() in html
    assert reverse("complaints:staff_case_link_problem", args=[case.reference]) in html
    client.force_login(world["officer"])
    response = client.post(
        reverse("complaints:staff_case_link_problem", args=[case.reference]), {"problem": world["problem"].pk}
    )
    assert response.status_code == 302
    assert ProblemLink.objects.get().complaint_id == case.pk
    html = render_to_string(
        "complaints/staff/case_panel.html", {"case": Case.objects.get(pk=case.pk), "request": request}, request=request
    )
    assert "Files d&#x27;attente au guichet" in html


def test_panel_link_to_a_problem_of_another_administration_is_refused(client, world):
    other_problem = problem_create(
        actor=world["other_officer"], administration=world["other_complaint"].administration, title="Ailleurs"
    )
    client.force_login(world["officer"])
    response = client.post(
        reverse("complaints:staff_case_link_problem", args=[world["complaint"].reference]),
        {"problem": other_problem.pk},
    )
    assert response.status_code == 302 and not ProblemLink.objects.exists()
    problem_link_case(problem=world["problem"], case=world["complaint"], actor=world["officer"])
