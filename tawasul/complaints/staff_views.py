"""Staff pages of the complaints portal: problems (ITIL problem management, Jordan's system,
DOMAIN.md §7; SPEC.md §2) and the "link to a problem" form of the case panel.

Thin views (ARCHITECTURE.md §3): reads through `selectors.problems_for_staff` and
`cases.selectors.cases_for_staff`, which return only what the user may see, so a problem or a
complaint of another administration is a 404, the same as one that does not exist; writes
through `services.problem_*`. Every form works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.accounts.selectors import administrations_for
from tawasul.cases.selectors import cases_for_staff
from tawasul.cases.services import CaseActionRefused, staff_case_url
from tawasul.cases.workflow import get_workflow
from tawasul.core.references import parse_reference

from .models import Problem
from .selectors import PROBLEM_STAFF_ROLES, open_problems_for_case, problem_cases, problems_for_staff
from .services import problem_create, problem_link_case, problem_resolve, problem_unlink_case
from .staff_forms import LinkCaseForm, LinkToProblemForm, ProblemForm, ResolveProblemForm
from .workflow import PORTAL

#: Problems per page of the list.
PAGE_SIZE = 50


def _staff_administrations(user):
    """The administrations where the user works on complaints; a 404 for anyone without one."""
    administrations = administrations_for(user, roles=PROBLEM_STAFF_ROLES)
    if not administrations.exists():
        raise Http404
    return administrations


def _problem(request: HttpRequest, pk: int) -> Problem:
    return get_object_or_404(problems_for_staff(request.user), pk=pk)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


@login_required
@require_GET
def problems(request: HttpRequest) -> HttpResponse:
    _staff_administrations(request.user)
    status = request.GET.get("status", Problem.Status.OPEN)
    listed = problems_for_staff(request.user).annotate(complaints=Count("links"))
    if status in Problem.Status.values:
        listed = listed.filter(status=status)
    return render(
        request,
        "complaints/staff/problems.html",
        {"problems": listed.order_by("-created_at", "-pk")[:PAGE_SIZE], "status": status, "statuses": Problem.Status},
    )


@login_required
@require_http_methods(["GET", "POST"])
def problem_new(request: HttpRequest) -> HttpResponse:
    administrations = _staff_administrations(request.user).order_by("name_ar", "pk")
    form = ProblemForm(request.POST or None, administrations=administrations)
    if request.method == "POST" and form.is_valid():
        try:
            problem = problem_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except CaseActionRefused:
            raise Http404 from None
        else:
            messages.success(request, _("The problem was created: link the complaints that share its cause."))
            return redirect("complaints:staff_problem", pk=problem.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "complaints/staff/problem_form.html", {"form": form}, status=status)


def _detail(request, problem, *, link_form=None, resolve_form=None, status=200) -> HttpResponse:
    cases = list(problem_cases(problem, request.user))
    workflow = get_workflow(PORTAL)
    return render(
        request,
        "complaints/staff/problem_detail.html",
        {
            "problem": problem,
            "cases": [(case, staff_case_url(case), workflow.status_label(case.status)) for case in cases],
            "link_form": link_form or LinkCaseForm(),
            "resolve_form": resolve_form or ResolveProblemForm(),
        },
        status=status,
    )


@login_required
@require_GET
def problem_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _problem(request, pk))


def _visible_complaint(user, reference: str):
    parsed = parse_reference(reference or "")
    if parsed is None:
        return None
    return cases_for_staff(user).filter(portal=PORTAL, reference=str(parsed)).first()


@login_required
@require_POST
def problem_link(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    form = LinkCaseForm(request.POST)
    if form.is_valid():
        case = _visible_complaint(request.user, form.cleaned_data["reference"])
        if case is None:
            form.add_error("reference", _("No complaint with this reference among the cases you can see."))
        else:
            try:
                problem_link_case(problem=problem, case=case, actor=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            except CaseActionRefused:
                form.add_error("reference", _("No complaint with this reference among the cases you can see."))
            else:
                messages.success(request, _("The complaint %(reference)s is linked.") % {"reference": case.reference})
                return redirect("complaints:staff_problem", pk=problem.pk)
    return _detail(request, problem, link_form=form, status=400)


@login_required
@require_POST
def problem_unlink(request: HttpRequest, pk: int, reference: str) -> HttpResponse:
    problem = _problem(request, pk)
    case = _visible_complaint(request.user, reference)
    if case is None:
        raise Http404
    try:
        problem_unlink_case(problem=problem, case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except CaseActionRefused:
        raise Http404 from None
    else:
        messages.success(request, _("The complaint %(reference)s is no longer linked.") % {"reference": case.reference})
    return redirect("complaints:staff_problem", pk=problem.pk)


@login_required
@require_POST
def problem_resolve_view(request: HttpRequest, pk: int) -> HttpResponse:
    problem = _problem(request, pk)
    form = ResolveProblemForm(request.POST)
    if form.is_valid():
        try:
            resolved = problem_resolve(problem=problem, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        except CaseActionRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "The problem is resolved: %(answered)s complaints answered, %(informed)s complainants "
                    "informed, %(left)s closed complaints left as they were."
                )
                % resolved.summary,
            )
            return redirect("complaints:staff_problem", pk=problem.pk)
    return _detail(request, problem, resolve_form=form, status=400)


@login_required
@require_POST
def case_link_problem(request: HttpRequest, reference: str) -> HttpResponse:
    """The case panel's form (templates/complaints/staff/case_panel.html): link this complaint to
    one of the open problems the user can see; back to the case page either way."""
    case = _visible_complaint(request.user, reference)
    if case is None:
        raise Http404
    back = staff_case_url(case) or reverse("complaints:staff_problems")
    form = LinkToProblemForm(request.POST, problems=open_problems_for_case(case, request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of the open problems."))
        return redirect(back)
    problem = get_object_or_404(problems_for_staff(request.user), pk=form.cleaned_data["problem"])
    try:
        problem_link_case(problem=problem, case=case, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except CaseActionRefused:
        messages.error(request, _("You cannot link this complaint to this problem."))
    else:
        messages.success(request, _("The complaint is linked to the problem “%(title)s”.") % {"title": problem.title})
    return redirect(back)
