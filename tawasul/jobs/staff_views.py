"""The recruiting unit's pages (SPEC.md §7 "Recruiting units review applications, preselect,
publish lists"): staff with `Role.RECRUITER` of the notice's administration, and nobody else
(the 2FA middleware covers them as every staff member). Another administration's notice or
application is a 404, as an unknown one."""

from __future__ import annotations

import csv
import mimetypes

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tawasul.core.uploads import UploadRejected
from tawasul.registry.models import Administration

from .forms import ListPublishForm, NoticeFileForm, NoticeForm, WithdrawalForm
from .models import Application, ListKind, Notice, list_order
from .permissions import recruiter_administration_ids
from .selectors import application_for_recruiter, notice_for_recruiter, notices_for_recruiter
from .services import (
    NOTICE_FILES,
    JobActionRefused,
    applications_preselect,
    list_candidates,
    list_publish,
    list_record_withdrawal,
    next_list_kind,
    notice_attach_pdf,
    notice_publish,
    notice_save,
)

#: Applications per page of a notice's management page (a competition may receive thousands).
APPLICATIONS_PER_PAGE = 100


def _recruiter(request: HttpRequest) -> set[int]:
    ids = recruiter_administration_ids(request.user)
    if not ids:
        raise PermissionDenied
    return ids


def _notice(request: HttpRequest, pk: int) -> Notice:
    _recruiter(request)
    try:
        return notice_for_recruiter(request.user, pk)
    except Notice.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    _recruiter(request)
    return render(request, "jobs/staff/notices.html", {"notices": notices_for_recruiter(request.user)})


def _notice_form_page(request: HttpRequest, notice: Notice | None) -> HttpResponse:
    ids = _recruiter(request)
    administrations = Administration.objects.filter(pk__in=ids).order_by("code")
    form = NoticeForm(request.POST or None, instance=notice)
    chosen = notice.administration if notice else administrations.first()
    if request.method == "POST":
        code = request.POST.get("administration", "")
        chosen = administrations.filter(code=code).first() if notice is None else notice.administration
        if chosen is None:
            form.add_error(None, _("Choose the administration."))
        elif form.is_valid():
            try:
                saved = notice_save(
                    actor=request.user,
                    administration=chosen,
                    notice=notice,
                    fields=form.notice_fields(),
                    lines=form.cleaned_data["lines_text"],
                    centres=form.cleaned_data["centres_text"],
                    tests=form.cleaned_data["tests_text"],
                    documents=form.cleaned_data["documents_text"],
                )
            except JobActionRefused as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(request, _("The draft is saved."))
                return redirect("jobs:staff_notice", pk=saved.pk)
    return render(
        request,
        "jobs/staff/notice_form.html",
        {"form": form, "notice": notice, "administrations": administrations, "chosen": chosen},
    )


@login_required
def notice_create(request: HttpRequest) -> HttpResponse:
    return _notice_form_page(request, None)


@login_required
def notice_edit(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    if notice.is_published:
        messages.warning(request, _("A published notice cannot be edited."))
        return redirect("jobs:staff_notice", pk=pk)
    return _notice_form_page(request, notice)


@login_required
@require_GET
def notice_manage(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    status = request.GET.get("status", "")
    applications = notice.applications.select_related("line", "centre").order_by("submitted_at", "pk")
    if status in Application.Status.values:
        applications = applications.filter(status=status)
    page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    counts = dict(notice.applications.values_list("status").annotate(n=Count("pk")).order_by())
    lists = {lst.kind: lst for lst in notice.lists.annotate(size=Count("entries"))}
    next_kind = next_list_kind(notice) if notice.is_published else None
    return render(
        request,
        "jobs/staff/notice.html",
        {
            "notice": notice,
            "page": page,
            "status": status,
            "status_counts": [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices],
            "total": sum(counts.values()),
            "lists": [lists[k] for k in list_order(notice) if k in lists],
            "next_kind": next_kind,
            "next_kind_label": ListKind(next_kind).label if next_kind else "",
            "withdrawal_form": WithdrawalForm(),
            "file_slots": [
                ("notice", _("Notice (PDF)"), bool(notice.notice_pdf)),
                ("order", _("Opening order (PDF)"), bool(notice.opening_order_pdf)),
            ],
            "deadline_passed": not notice.is_open() and notice.is_published,
            "events": notice.events.select_related("actor").order_by("-at", "-pk")[:30],
        },
    )


@login_required
@require_POST
def notice_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    try:
        notice_publish(actor=request.user, notice=notice)
    except JobActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The notice is published."))
    return redirect("jobs:staff_notice", pk=pk)


@login_required
@require_POST
def preselect(request: HttpRequest, pk: int) -> HttpResponse:
    """The page's checkboxes (`selected` among `shown`), or every received application (`all`)."""
    notice = _notice(request, pk)
    try:
        if request.POST.get("all"):
            count = applications_preselect(actor=request.user, notice=notice, selected_ids=None)
        else:
            count = applications_preselect(
                actor=request.user,
                notice=notice,
                selected_ids=_ints(request.POST.getlist("selected")),
                among_ids=_ints(request.POST.getlist("shown")) if "shown" in request.POST else None,
            )
    except JobActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(count)s applications preselected.") % {"count": count})
    return redirect("jobs:staff_notice", pk=pk)


def _ints(values) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][: APPLICATIONS_PER_PAGE * 2]


@login_required
def list_publish_view(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    kind = slug
    notice = _notice(request, pk)
    if kind not in list_order(notice) or kind == ListKind.WITHDRAWALS:
        raise Http404
    candidates = list_candidates(notice, kind)
    direct = kind == ListKind.APPOINTED and not candidates
    form = ListPublishForm(request.POST or None, candidates=candidates, direct=direct)
    if request.method == "POST" and form.is_valid():
        try:
            list_publish(
                actor=request.user,
                notice=notice,
                kind=kind,
                application_ids=form.ordered_ids(),
                direct_name=form.cleaned_data.get("direct_name", ""),
            )
        except JobActionRefused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The list is published."))
            return redirect("jobs:staff_notice", pk=pk)
    return render(
        request,
        "jobs/staff/list_form.html",
        {"notice": notice, "form": form, "kind": kind, "kind_label": ListKind(kind).label},
    )


@login_required
@require_POST
def withdrawal(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _notice(request, pk)
    form = WithdrawalForm(request.POST)
    application = None
    if form.is_valid():
        application = notice.applications.filter(reference=form.cleaned_data["reference"].strip().upper()).first()
    if application is None:
        messages.error(request, _("No application of this notice has this reference."))
        return redirect("jobs:staff_notice", pk=pk)
    try:
        promoted = list_record_withdrawal(actor=request.user, notice=notice, application=application)
    except JobActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        if promoted:
            messages.success(
                request,
                _("Withdrawal recorded; %(name)s is called from the waiting list.") % {"name": promoted.full_name},
            )
        else:
            messages.success(request, _("Withdrawal recorded; the waiting list is empty."))
    return redirect("jobs:staff_notice", pk=pk)


@login_required
@require_POST
def notice_file_upload(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    notice = _notice(request, pk)
    form = NoticeFileForm(request.POST, request.FILES)
    if slug not in NOTICE_FILES or not form.is_valid():
        messages.error(request, _("Choose a PDF file."))
        return redirect("jobs:staff_notice", pk=pk)
    try:
        notice_attach_pdf(actor=request.user, notice=notice, which=slug, uploaded_file=form.cleaned_data["file"])
    except UploadRejected as rejected:
        messages.error(request, rejected.message)
    except JobActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The file is attached."))
    return redirect("jobs:staff_notice", pk=pk)


def _safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run (OWASP "CSV injection"): text starting with
    = + - @, a tab or a carriage return gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text and text[0] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def applications_export(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The notice's applications as CSV for its recruiting unit (identity included: the unit
    checks the files; never published)."""
    notice = _notice(request, pk)
    applications = notice.applications.select_related(
        "line", "centre", "candidate", "candidate__candidate_profile"
    ).order_by("submitted_at", "pk")
    writer = csv.writer(_Echo())
    header = [
        _("Reference"),
        _("Name"),
        _("CIN"),
        _("Date of birth"),
        _("Phone number"),
        _("Email"),
        _("Speciality"),
        _("Posting place"),
        _("Exam centre"),
        _("Serving civil servant"),
        _("Status"),
        _("Submitted at"),
    ]

    def rows():
        yield "\ufeff"  # a BOM, so spreadsheets read the Arabic as UTF-8
        yield writer.writerow(header)
        for a in applications.iterator(chunk_size=500):
            profile = getattr(a.candidate, "candidate_profile", None)
            yield writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        a.reference,
                        a.full_name,
                        a.candidate.cin,
                        profile.birth_date.isoformat() if profile else "",
                        a.candidate.phone,
                        a.candidate.email,
                        a.line.speciality,
                        a.line.posting_place,
                        a.centre.name if a.centre else "",
                        _("yes") if a.is_civil_servant else "",
                        a.get_status_display(),
                        timezone.localtime(a.submitted_at).strftime("%Y-%m-%d %H:%M"),
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="applications-{notice.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response


def _application(request: HttpRequest, reference: str) -> Application:
    _recruiter(request)
    try:
        return application_for_recruiter(request.user, reference)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def application_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _application(request, reference)
    profile = getattr(application.candidate, "candidate_profile", None)
    return render(
        request,
        "jobs/staff/application.html",
        {"application": application, "notice": application.notice, "profile": profile},
    )


@login_required
@require_GET
def application_document(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    application = _application(request, reference)
    document = next((d for d in application.documents.all() if d.pk == pk), None)
    if document is None:
        raise Http404
    try:
        handle = default_storage.open(document.storage_name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    content_type = document.mime or mimetypes.guess_type(document.display_name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=document.display_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
