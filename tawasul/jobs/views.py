"""The public-jobs portal, public and candidate side (SPEC.md §7; DOMAIN.md §4.3 and R4).

Thin views: forms check shape, `services.py` writes, `selectors.py` reads. Every form works
without JavaScript. The notice and list pages are the results-day hot path: one query answers a
revalidation (304), and their body is rendered once per publication (cached on the notice's
`version`), see `_conditional_page` and ADR 0025.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tawasul.core.references import format_for_speech
from tawasul.core.uploads import UploadRejected

from . import pages
from .forms import ApplicationForm, CandidateProfileForm, NoticeFilterForm
from .models import Application, CandidateProfile, ListKind, Notice
from .selectors import (
    application_for_candidate,
    applications_of,
    notice_public_get,
    notice_public_stamp,
    notices_public,
)
from .services import JobActionRefused, application_submit, application_withdraw, eligibility_errors

PER_PAGE = 20


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


# --- Public pages --------------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    from tawasul.registry.models import Administration

    administrations = [
        (a.code, a.name())
        for a in Administration.objects.filter(job_notices__status=Notice.Status.PUBLISHED).distinct().order_by("code")
    ]
    form = NoticeFilterForm(request.GET or None, administrations=administrations)
    page = Paginator(notices_public(**form.filters()), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "jobs/index.html",
        {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()},
    )


def _etag(request: HttpRequest, *parts) -> str:
    """The page's validator: the notice's version, the language and who reads it (the page's
    header differs for a signed-in person)."""
    who = f"u{request.user.pk}" if request.user.is_authenticated else "a"
    raw = "-".join(str(p) for p in (*parts, _language(), who))
    return '"' + hashlib.sha256(raw.encode()).hexdigest()[:20] + '"'


def _not_modified(request: HttpRequest, etag: str, updated_at) -> bool:
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match is not None:
        return etag in [tag.strip() for tag in if_none_match.split(",")]
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    return since is not None and int(updated_at.timestamp()) <= since


def _conditional_page(request: HttpRequest, pk: int, page: str, build) -> HttpResponse:
    """A public page of notice `pk`: 304 when the reader has this version; else the body from the
    cache (rendered by `build()` at most once per version and language, or ahead of time by
    `tasks.warm_public_pages`), in the site's shell."""
    stamp = notice_public_stamp(pk)
    if stamp is None:
        raise Http404
    version, updated_at, deadline_at = stamp
    # The page says whether applications are open: the deadline passing is a new version too.
    is_open = timezone.now() < deadline_at
    last_change = updated_at if is_open else max(updated_at, deadline_at)
    etag = _etag(request, page, pk, version, int(is_open))
    if _not_modified(request, etag, last_change):
        response = HttpResponseNotModified()
    else:
        response = _page(request, pk, page, version, is_open, build)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_change.timestamp())
    response["Cache-Control"] = "private, no-cache"
    return response


def _page(request: HttpRequest, pk: int, page: str, version: int, is_open: bool, build) -> HttpResponse:
    """The page: the body from the cache in the site's shell; for a reader who sends no cookie,
    the whole page as the first such reader got it (ADR 0059: most of a results day's first
    visits render nothing)."""
    # By host too: nothing of the shell reads it today, and a page never crosses sites.
    where = f"{request.get_host()}{request.get_full_path()}"
    key = pages.page_key(page, pk, version, is_open, where) if _shared_reader(request) else None
    if key is not None and (html := cache.get(key)) is not None:
        return HttpResponse(html)
    cached = pages.cached_body(pages.cache_key(page, pk, version, is_open), build)
    # The body is the output of our own auto-escaping template (`pages`), never input.
    body = mark_safe(cached["body"])  # noqa: S308
    response = render(request, "jobs/cached_page.html", {"title": cached["title"], "body": body})
    # Kept only when nothing of it was this reader's: no cookie set (a CSRF token in a form) and
    # no nonce handed out (an inline script's).
    if key is not None and not response.cookies and not _nonce_used(request):
        cache.set(key, response.content.decode(), pages.BODY_CACHE_SECONDS)
    return response


def _shared_reader(request: HttpRequest) -> bool:
    """A reader the page is the same for: no cookie at all, so no session (anonymous, without
    a flash message) and no preference of its own."""
    return not request.COOKIES


def _nonce_used(request: HttpRequest) -> bool:
    # django-csp's lazy nonce is true once it was handed out.
    return bool(getattr(request, "csp_nonce", None))


@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _conditional_page(request, pk, "notice", lambda: pages.notice_body(pk))


@require_GET
def list_detail(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    if slug not in ListKind.values:
        raise Http404
    return _conditional_page(request, pk, f"list-{slug}", lambda: pages.list_body(pk, slug))


@require_GET
def notice_file(request: HttpRequest, pk: int, slug: str) -> FileResponse:
    """The notice PDF or the opening order of a published notice (R4 `notice_pdf`,
    `opening_order_pdf`)."""
    notice = Notice.objects.filter(pk=pk, status=Notice.Status.PUBLISHED).first()
    stored = notice.file(slug) if notice else None
    if not stored:
        raise Http404
    try:
        handle = default_storage.open(stored.name, "rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    filename = f"{'avis' if slug == 'notice' else 'arrete'}-{notice.pk}.pdf"
    response = FileResponse(handle, content_type="application/pdf", filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    return response


# --- Candidates ----------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    from .services import candidate_profile_save

    existing = CandidateProfile.objects.filter(user=request.user).first()
    initial = {"cin": request.user.cin, "phone": request.user.phone}
    if existing:
        initial.update(
            birth_date=existing.birth_date,
            diplomas=existing.diplomas,
            experience=existing.experience,
            prior_service_years=existing.prior_service_years,
        )
    form = CandidateProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        candidate_profile_save(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your candidate profile is saved."))
        target = request.POST.get("next") or ""
        if target.isdigit():
            return redirect("jobs:apply", pk=int(target))
        return redirect("jobs:my_applications")
    target = request.POST.get("next") or request.GET.get("next") or ""
    return render(request, "jobs/profile.html", {"form": form, "next": target if target.isdigit() else ""})


def _open_notice(pk: int) -> Notice:
    try:
        return notice_public_get(pk)
    except Notice.DoesNotExist as exc:
        raise Http404 from exc


@login_required
def apply(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _open_notice(pk)
    if not notice.takes_portal_applications:
        messages.warning(request, _("This notice does not take applications on the portal."))
        return redirect("jobs:notice", pk=pk)
    if not notice.is_open():
        messages.error(request, _("The deadline for applications has passed."))
        return redirect("jobs:notice", pk=pk)
    existing = applications_of(request.user).filter(notice=notice).exclude(status=Application.Status.WITHDRAWN).first()
    if existing is not None:
        messages.info(request, _("You have already applied to this notice."))
        return redirect("jobs:application", reference=existing.reference)
    profile = CandidateProfile.objects.filter(user=request.user).first()
    if profile is None:
        messages.info(request, _("Fill in your candidate profile first."))
        return redirect(f"{_url('jobs:profile')}?next={pk}")
    form = ApplicationForm(request.POST or None, request.FILES or None, notice=notice)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_submit(
                user=request.user,
                notice=notice,
                line=form.cleaned_data["line"],
                centre=form.cleaned_data.get("centre"),
                is_civil_servant=form.cleaned_data["is_civil_servant"],
                documents=form.documents(),
                authorisation=form.cleaned_data.get("authorisation"),
            )
        except JobActionRefused as refusal:
            form.add_error(None, refusal.message)
        except UploadRejected as rejected:
            form.add_error(None, rejected.message)
        else:
            messages.success(request, _("Your application is received."))
            return redirect("jobs:application", reference=application.reference)
    warnings = eligibility_errors(notice, profile, is_civil_servant=False)
    return render(
        request,
        "jobs/apply.html",
        {"notice": notice, "form": form, "profile": profile, "age_warnings": warnings},
    )


def _url(name: str, **kwargs) -> str:
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


@login_required
@require_GET
def my_applications(request: HttpRequest) -> HttpResponse:
    applications = applications_of(request.user).order_by("-submitted_at", "-pk")
    return render(request, "jobs/my_applications.html", {"applications": applications})


def _own_application(request: HttpRequest, reference: str) -> Application:
    try:
        return application_for_candidate(request.user, reference)
    except Application.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def application_detail(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request, reference)
    return render(
        request,
        "jobs/application.html",
        {
            "application": application,
            "notice": application.notice,
            "spoken": format_for_speech(application.reference),
            "can_withdraw": application.status == Application.Status.SUBMITTED and application.notice.is_open(),
        },
    )


@login_required
@require_POST
def application_withdraw_view(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own_application(request, reference)
    try:
        application_withdraw(user=request.user, application=application)
    except JobActionRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("jobs:application", reference=reference)
