"""Staff pages of the reception program: the registry of sites (checklist, label, history), the
survey results per site and per administration, and the progress of the program's activities.

Heads of unit see their administrations only (a site or activity of another answers 404, like one
that does not exist); the national unit sees everything (permissions.py).
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tawasul.facilities.models import Facility
from tawasul.registry.services import build_search_text

from . import permissions, selectors, services
from .forms import ActivityPlanForm, ActivityProgressForm, ChecklistForm, FacilitySearchForm, LabelForm
from .models import ActivityStatus, ChecklistItem, ReceptionSite
from .rules import checklist_score, survey_summary


def reception_staff(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.is_reception_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


# --- Sites ------------------------------------------------------------------------------------------


@reception_staff
def sites(request: HttpRequest) -> HttpResponse:
    rows = list(
        selectors.sites_for(request.user).prefetch_related("checks").order_by("administration__name_ar", "code")
    )
    for site in rows:
        site.score = checklist_score(check.state for check in site.checks.all())
    return render(
        request,
        "reception/staff/sites.html",
        {"sites": rows, "is_national_unit": permissions.is_national_unit(request.user)},
    )


@reception_staff
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest) -> HttpResponse:
    """Find a facility (of an administration the user manages) and take it into the program."""
    managed = permissions.managed_administrations(request.user)
    if request.method == "POST":
        facility = Facility.objects.filter(code=request.POST.get("facility", ""), is_active=True).first()
        if facility is None or not permissions.can_manage(request.user, facility.administration_id):
            raise Http404
        try:
            site = services.site_create(actor=request.user, facility=facility)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("reception:staff_site_create")
        messages.success(request, _("The site was added to the program."))
        return redirect("reception:staff_site", pk=site.pk)
    form = FacilitySearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        query = form.cleaned_data["q"]
        qs = Facility.objects.filter(is_active=True, reception_site__isnull=True).select_related("administration")
        if not permissions.is_national_unit(request.user):
            qs = qs.filter(administration__in=managed)
        else:
            qs = qs.filter(administration__isnull=False)
        by_code = qs.filter(code=query)
        if not by_code.exists():
            for word in build_search_text(query).split() or [query]:
                qs = qs.filter(search_text__contains=word)
        else:
            qs = by_code
        results = list(qs.order_by("name_ar")[:20])
    return render(request, "reception/staff/site_create.html", {"form": form, "results": results})


@reception_staff
@require_http_methods(["GET", "POST"])
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_for(request.user, pk)
    checks = selectors.site_checks(site)
    if request.method == "POST":
        form = ChecklistForm(request.POST, checks=checks)
        if form.is_valid():
            try:
                changed = services.site_update_checklist(actor=request.user, site=site, items=form.items())
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if changed:
                    messages.success(request, _("The checklist was saved."))
                else:
                    messages.info(request, _("Nothing changed."))
                return redirect("reception:staff_site", pk=site.pk)
    else:
        form = ChecklistForm(checks=checks)
    missing = selectors.site_missing_items(site)
    score = checklist_score(check.state for check in checks)
    return render(
        request,
        "reception/staff/site.html",
        {
            "site": site,
            "form": form,
            "label_form": LabelForm(),
            "missing": [ChecklistItem(item).label for item in missing],
            "score": score,
            "can_label": permissions.is_national_unit(request.user),
            "history": selectors.site_history(site),
        },
        status=400 if form.is_bound else 200,
    )


@reception_staff
@require_POST
def site_label(request: HttpRequest, pk: int) -> HttpResponse:
    if not permissions.is_national_unit(request.user):
        raise PermissionDenied
    site = selectors.site_for(request.user, pk)
    form = LabelForm(request.POST)
    grant = request.POST.get("action") == "grant"
    if form.is_valid():
        try:
            services.site_set_label(
                actor=request.user, site=site, is_model_site=grant, labelled_on=form.cleaned_data["labelled_on"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The label was granted.") if grant else _("The label was withdrawn."))
    else:
        messages.error(request, _("Give a valid date."))
    return redirect("reception:staff_site", pk=site.pk)


# --- Survey results -----------------------------------------------------------------------------------


@reception_staff
def site_results(request: HttpRequest, pk: int) -> HttpResponse:
    site = selectors.site_for(request.user, pk)
    only = ReceptionSite.objects.filter(pk=site.pk)
    month = request.GET.get("month") or None
    return render(
        request,
        "reception/staff/results.html",
        {
            "site": site,
            "summary": selectors.survey_results(only, month=month),
            "months": selectors.survey_months(only),
            "month": month,
            "by_month": sorted(selectors.survey_results_by(only, "month").items(), reverse=True)[:12],
        },
    )


@reception_staff
def results(request: HttpRequest) -> HttpResponse:
    """Results per administration: a line per administration with sites, then the whole summary
    of one administration (`?administration=<id>`), each withheld under the minimum."""
    scoped = selectors.sites_for(request.user)
    month = request.GET.get("month") or None
    chosen = None
    empty = survey_summary([], minimum=selectors.survey_minimum())
    adm = request.GET.get("administration", "")
    if adm.isdigit():
        chosen_sites = scoped.filter(administration_id=int(adm))
        if not chosen_sites.exists():
            raise Http404
        by_site = selectors.survey_results_by(chosen_sites, "site_id", month=month)
        chosen = {
            "administration": chosen_sites.first().administration,
            "summary": selectors.survey_results(chosen_sites, month=month),
            "sites": [{"site": s, "summary": by_site.get(s.pk, empty)} for s in chosen_sites],
        }
    by_administration = selectors.survey_results_by(scoped, "site__administration_id", month=month)
    lines = {}
    for site in scoped:
        line = lines.setdefault(
            site.administration_id,
            {
                "administration": site.administration,
                "sites": 0,
                "summary": by_administration.get(site.administration_id, empty),
            },
        )
        line["sites"] += 1
    lines = sorted(lines.values(), key=lambda line: line["administration"].name())
    return render(
        request,
        "reception/staff/results_by_administration.html",
        {"lines": lines, "chosen": chosen, "month": month, "months": selectors.survey_months(scoped)},
    )


# --- Activities and progress ----------------------------------------------------------------------------


@reception_staff
def progress(request: HttpRequest) -> HttpResponse:
    activities = selectors.activities_for(request.user)
    return render(
        request,
        "reception/staff/progress.html",
        {
            "total": selectors.progress(activities),
            "by_administration": selectors.progress_by_administration(activities),
            "statuses": ActivityStatus.choices,
            "is_national_unit": permissions.is_national_unit(request.user),
        },
    )


@reception_staff
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest) -> HttpResponse:
    if not permissions.is_national_unit(request.user):
        raise PermissionDenied
    form = ActivityPlanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_create(actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The activity was added."))
            return redirect("reception:staff_progress")
    return render(
        request, "reception/staff/activity.html", {"form": form, "activity": None}, status=400 if form.is_bound else 200
    )


@reception_staff
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_for(request.user, pk)
    form_class = ActivityPlanForm if permissions.is_national_unit(request.user) else ActivityProgressForm
    form = form_class(request.POST or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_update(actor=request.user, activity=activity, data=form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The activity was saved."))
            return redirect("reception:staff_progress")
    history = list(activity.history.select_related("history_user").order_by("-history_date")[:20])
    return render(
        request,
        "reception/staff/activity.html",
        {"form": form, "activity": activity, "history": history},
        status=400 if form.is_bound else 200,
    )
