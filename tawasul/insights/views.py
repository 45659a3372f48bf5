"""Insights' pages: the dashboard (national unit; heads of unit for their own administration),
the reports (national unit), open data (public)."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tawasul.accounts.permissions import can_read_national_indicators

from . import selectors
from .access import indicator_scope, require_national_unit
from .forms import DashboardFilterForm, ReportRequestForm
from .models import OpenDataset, Report
from .opendata import LICENCE_NAME, LICENCE_URL, MIN_COUNT
from .reports import monthly_period, pending_period
from .tasks import generate_report


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = indicator_scope(request.user)
    administrations = selectors.administrations_in_scope(scope)
    form = DashboardFilterForm(request.GET, administrations=administrations)
    context = {"form": form, "national": scope is None}
    if form.is_valid():
        data = form.cleaned_data
        context.update(
            selectors.dashboard(
                scope=scope,
                period=data["period"],
                portal=data.get("portal") or None,
                administration=data.get("administration"),
            )
        )
        if scope is None:
            period = data["period"]
            context["visits"] = selectors.visits_summary(start=period.start, end=period.last_day)
    return render(request, "insights/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reports(request: HttpRequest) -> HttpResponse:
    require_national_unit(request.user)
    form = ReportRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        kind, start = form.cleaned_data["kind"], form.cleaned_data["month"]
        first, last = monthly_period(start) if kind == Report.Kind.MONTHLY else pending_period(start.year)
        transaction.on_commit(lambda: generate_report.enqueue(kind, first.isoformat(), last.isoformat()))
        messages.success(request, _("The report is being generated; it will be listed here in a few minutes."))
        return redirect("insights:reports")
    return render(request, "insights/reports.html", {"form": form, "reports": selectors.reports_list()})


def _file_response(field, filename: str, content_type: str) -> FileResponse:
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> FileResponse:
    require_national_unit(request.user)
    report = get_object_or_404(Report, pk=pk)
    return _file_response(report.pdf, f"tawasul-{report.kind}-{report.period_start:%Y-%m}.pdf", "application/pdf")


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> FileResponse:
    require_national_unit(request.user)
    report = get_object_or_404(Report, pk=pk)
    return _file_response(
        report.xlsx,
        f"tawasul-{report.kind}-{report.period_start:%Y-%m}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insights/open_data.html",
        {
            "datasets": selectors.open_datasets(),
            "licence_name": LICENCE_NAME,
            "licence_url": LICENCE_URL,
            "min_count": MIN_COUNT,
            "can_see_dashboard": can_read_national_indicators(request.user),
        },
    )


def _dataset(slug: str) -> OpenDataset:
    try:
        year, month = (int(part) for part in slug.split("-"))
        wanted = date(year, month, 1)
    except ValueError as error:
        raise Http404 from error
    return get_object_or_404(OpenDataset, month=wanted)


@require_GET
def open_data_csv(request: HttpRequest, slug: str) -> FileResponse:
    dataset = _dataset(slug)
    return _file_response(dataset.csv, f"tawasul-{dataset.slug}.csv", "text/csv; charset=utf-8")


@require_GET
def open_data_json(request: HttpRequest, slug: str) -> FileResponse:
    dataset = _dataset(slug)
    return _file_response(dataset.json, f"tawasul-{dataset.slug}.json", "application/json")
