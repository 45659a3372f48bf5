"""The complaints portal, citizen side (issue 3; decree 2-17-265; DOMAIN.md R2).

Thin views: forms check shape, the services in `services.py` and `tawasul.cases.services` do the
writes, `access.py` decides who may open a case. Every form works without JavaScript.
"""

from __future__ import annotations

import mimetypes
import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from tawasul.cases.actors import Actor
from tawasul.cases.links import tracking_url_builder
from tawasul.cases.models import Attachment, Message
from tawasul.cases.selectors import case_by_token, case_public_timeline, case_track, cases_for_requester
from tawasul.cases.services import CaseActionRefused, case_add_attachment, case_add_message, case_transition
from tawasul.cases.workflow import get_workflow
from tawasul.core.references import format_for_speech
from tawasul.core.uploads import UploadRejected, check_upload
from tawasul.registry.models import Administration
from tawasul.registry.selectors import administration_search, administrations_joined

from .access import access_requester_case, has_proof, remember_proof
from .forms import KIND_HELP, AdministrationSearchForm, ComplaintForm, MessageForm, RateForm, ReopenForm, TrackForm
from .models import Kind
from .selectors import faq_entries, public_statistics
from .services import can_rate, can_reopen, complaint_rate, complaint_reopen, complaint_submit, reopen_deadline
from .workflow import PORTAL

#: Tracking attempts per client IP (issue 3: tracking is rate-limited per client).
TRACK_RATE = "10/m"
#: Session key of the secret links of cases filed in this session (shown once on the receipt).
RECEIPT_TOKENS = "complaints_receipt_tokens"
#: Statuses in which the requester may still withdraw (the `withdraw` transition's sources).
WITHDRAWABLE = ("submitted", "acknowledged")


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


# --- Landing, FAQ, statistics -----------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    kinds = [(value, label, KIND_HELP[value]) for value, label in Kind.choices]
    return render(request, "complaints/index.html", {"kinds": kinds})


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/faq.html", {"entries": faq_entries()})


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    groups = dict(Administration.Group.choices)
    group = request.GET.get("group") if request.GET.get("group") in groups else None
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    stats = public_statistics(group=group, year=year)
    lang = _language()
    for row in stats["ranked"]:
        row["name"] = row["names"].get(lang) or row["names"]["ar"]
    by_group = [(groups.get(key, key), row) for key, row in stats["by_group"]]
    return render(
        request,
        "complaints/statistics.html",
        {"stats": stats, "by_group": by_group, "groups": groups, "group": group, "year": year},
    )


# --- Filing ---------------------------------------------------------------------------------------


@require_GET
def file_choose_administration(request: HttpRequest) -> HttpResponse:
    """Step 1: search the registry (any language; Arabic ignores diacritics), or browse."""
    form = AdministrationSearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        data = form.cleaned_data
        results = administration_search(
            data.get("q", ""),
            region=data.get("region"),
            kind=data.get("kind") or None,
            group=data.get("group") or None,
            limit=50,
        )
    return render(request, "complaints/file_choose.html", {"form": form, "results": results})


def _initial_for(request: HttpRequest) -> dict:
    user = request.user
    if not user.is_authenticated:
        return {"kind": Kind.COMPLAINT}
    return {
        "kind": Kind.COMPLAINT,
        "first_name": getattr(user, "first_name", ""),
        "last_name": getattr(user, "last_name", ""),
        "email": user.email,
    }


def file_complaint(request: HttpRequest) -> HttpResponse:
    """Step 2: one page with fieldsets; errors next to their fields and summarised at the top."""
    code = request.POST.get("administration") or request.GET.get("administration") or ""
    administration = administrations_joined().filter(code=code).first()
    if administration is None:
        messages.warning(request, _("First choose the administration concerned."))
        return redirect("complaints:file")
    refreshed = False
    lost_files: list[str] = []
    if request.method == "POST" and "refresh" in request.POST:
        # The no-JavaScript place picker: redisplay with the provinces/communes of the choice.
        initial = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
        initial["is_confidential"] = "is_confidential" in request.POST
        initial["consent"] = "consent" in request.POST
        form = ComplaintForm(initial=initial, administration=administration, signed_in=request.user.is_authenticated)
        refreshed = True
        lost_files = [f.name for f in request.FILES.getlist("attachments")]
    elif request.method == "POST":
        form = ComplaintForm(
            request.POST, request.FILES, administration=administration, signed_in=request.user.is_authenticated
        )
        if form.is_valid():
            case = _submit(request, form, administration)
            if case is not None:
                return case
        lost_files = [f.name for f in request.FILES.getlist("attachments")]
        if "idempotency_key" in form.errors:  # tampered or missing: the next send gets a fresh key
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(uuid.uuid4())
    else:
        form = ComplaintForm(
            initial=_initial_for(request), administration=administration, signed_in=request.user.is_authenticated
        )
    return render(
        request,
        "complaints/file_form.html",
        {
            "form": form,
            "administration": administration,
            "kind_help": KIND_HELP,
            "refreshed": refreshed,
            "lost_files": lost_files,
        },
        status=200 if not form.is_bound or not form.errors else 400,
    )


def _submit(request: HttpRequest, form: ComplaintForm, administration) -> HttpResponse | None:
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    try:
        case = complaint_submit(
            actor=Actor(user=user, roles=frozenset({"requester"})),
            administration=administration,
            kind=data["kind"],
            subject=data["subject"],
            sub_subject=data["sub_subject"],
            description=data["description"],
            channel="web",
            first_name=data["first_name"],
            last_name=data["last_name"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            email=data["email"],
            phone=data["phone"],
            complainant_type=data["complainant_type"],
            is_confidential=data["is_confidential"],
            requester_user=user,
            region=data["region"],
            province=data["province"],
            commune=data["commune"],
            place_address=data["place_address"],
            language=_language(),
            attachments=data["attachments"],
            idempotency_key=str(data["idempotency_key"]),
            tracking_url_builder=tracking_url_builder(request, "complaints:track_link"),
        )
    except UploadRejected as error:
        form.add_error("attachments", error.message)
        return None
    except ValidationError as error:
        field = {"invalid_subject": "subject", "invalid_sub_subject": "sub_subject", "invalid_place": "commune"}.get(
            error.code or ""
        )
        form.add_error(field, error)
        return None
    if case.was_created:
        remember_proof(request, case)
        tokens = request.session.get(RECEIPT_TOKENS, {})
        tokens[case.reference] = case.tracking_token
        request.session[RECEIPT_TOKENS] = dict(list(tokens.items())[-5:])
    elif not has_proof(request, case):
        # A resubmission with the key of another session's form: say it was received, reveal nothing.
        messages.info(request, _("This request was already sent. Follow it with its reference and your email."))
        return redirect("complaints:track")
    return redirect("complaints:receipt", reference=case.reference)


def _dates(case) -> dict:
    return {"first_action_due": case.first_action_due_at, "answer_due": case.answer_due_at}


@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    """The success page: only for the session that filed (or proved) the case."""
    case = access_requester_case(request, reference)
    token = request.session.get(RECEIPT_TOKENS, {}).get(case.reference)
    tracking_url = tracking_url_builder(request, "complaints:track_link")(case, token) if token else ""
    template = "complaints/receipt_print.html" if request.GET.get("print") else "complaints/receipt.html"
    return render(
        request,
        template,
        {
            "case": case,
            "spoken_reference": format_for_speech(case.reference),
            "tracking_url": tracking_url,
            "kind_label": Kind(case.kind).label,
            **_dates(case),
        },
    )


# --- Tracking -------------------------------------------------------------------------------------


@ratelimit(key="ip", rate=TRACK_RATE, method="POST", block=False)
def track(request: HttpRequest) -> HttpResponse:
    """Reference + email or phone. An unknown reference and a wrong contact get the same page."""
    my_cases = cases_for_requester(request.user).filter(portal=PORTAL)[:50] if request.user.is_authenticated else None
    context = {"my_cases": my_cases, "workflow": get_workflow(PORTAL)}
    if request.method != "POST":
        return render(request, "complaints/track.html", {"form": TrackForm(), **context})
    form = TrackForm(request.POST)
    if getattr(request, "limited", False):
        context["too_many"] = True
        return render(request, "complaints/track.html", {"form": form, **context}, status=429)
    if form.is_valid():
        case = case_track(form.cleaned_data["reference"], form.cleaned_data["contact"])
        if case is not None and case.portal == PORTAL:
            remember_proof(request, case)
            return redirect("complaints:case", reference=case.reference)
        context["not_found"] = True
    return render(request, "complaints/track.html", {"form": form, **context}, status=200)


@ratelimit(key="ip", rate=TRACK_RATE, method="GET", block=False)
@require_GET
def track_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """The secret link of the acknowledgement email proves the case for this session."""
    if getattr(request, "limited", False):
        return render(request, "complaints/track.html", {"form": TrackForm(), "too_many": True}, status=429)
    case = case_by_token(reference, token)
    if case is None or case.portal != PORTAL:
        return render(request, "complaints/track.html", {"form": TrackForm(), "not_found": True}, status=404)
    remember_proof(request, case)
    return redirect("complaints:case", reference=case.reference)


# --- The requester's case page --------------------------------------------------------------------


def _action_labels(workflow) -> dict[str, str]:
    labels = {t.action: _(t.label) if t.label else t.action for t in workflow.transitions}
    labels.update(
        {
            "submitted": _("Complaint received"),
            "rated": _("Answer rated"),
            "attachment_added": _("Document added"),
            "escalated": _("Sent to a higher level of the administration"),
            "problem_resolved": _("The administration solved the cause shared by several complaints"),
            Message.Kind.PUBLIC_ANSWER: _("Answer of the administration"),
            Message.Kind.CITIZEN_MESSAGE: _("Your message"),
            Message.Kind.REQUEST_FOR_INFORMATION: _("The administration asks for more information"),
        }
    )
    return labels


def _case_page(request: HttpRequest, case, *, status: int = 200, **forms) -> HttpResponse:
    workflow = get_workflow(PORTAL)
    labels = _action_labels(workflow)
    timeline = [
        {
            "entry": entry,
            "label": labels.get(entry.action, entry.action.replace("_", " ")),
            "status_label": _(workflow.status_label(entry.status)) if entry.status else "",
        }
        for entry in case_public_timeline(case)
    ]
    is_open = case.status not in workflow.closed_statuses
    complaint = getattr(case, "complaint", None)
    context = {
        "case": case,
        "complaint": complaint,
        "status_label": _(workflow.status_label(case.status)),
        "kind_label": Kind(case.kind).label,
        "spoken_reference": format_for_speech(case.reference),
        "timeline": timeline,
        "files": Attachment.objects.filter(case=case, is_public=True),
        "can_message": is_open,
        "info_requested": case.status == "info_requested",
        "can_rate": can_rate(case),
        "can_reopen": can_reopen(case),
        "reopen_deadline": reopen_deadline(case),
        "can_withdraw": case.status in WITHDRAWABLE,
        "message_form": forms.get("message_form") or MessageForm(),
        "rate_form": forms.get("rate_form")
        or RateForm(initial={"satisfaction": complaint.satisfaction} if complaint and complaint.satisfaction else None),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        **_dates(case),
    }
    return render(request, "complaints/case.html", context, status=status)


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, access_requester_case(request, reference))


@require_POST
def case_message(request: HttpRequest, reference: str) -> HttpResponse:
    """Add information or documents; when the administration asked for it, this is the
    `provide_information` transition (the clock resumes)."""
    case = access_requester_case(request, reference)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, message_form=form)
    actor = Actor.requester(case)
    body, files = form.cleaned_data["body"], form.cleaned_data["attachments"]
    try:
        if case.status == "info_requested":
            for uploaded in files:  # checked first: a refused file stops everything
                check_upload(uploaded)
            case_transition(case=case, action="provide_information", actor=actor, note=body)
            for uploaded in files:
                case_add_attachment(case=case, actor=actor, uploaded_file=uploaded)
        else:
            case_add_message(case=case, actor=actor, kind=Message.Kind.CITIZEN_MESSAGE, body=body, attachments=files)
    except UploadRejected as error:
        form.add_error("attachments", error.message)
        return _case_page(request, case, status=400, message_form=form)
    except CaseActionRefused:
        messages.error(request, _("This complaint is closed: it can no longer receive messages."))
        return redirect("complaints:case", reference=case.reference)
    messages.success(request, _("Your message was added to the complaint."))
    return redirect("complaints:case", reference=case.reference)


@require_POST
def case_rate(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_case(request, reference)
    form = RateForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, rate_form=form)
    try:
        complaint_rate(
            case=case,
            actor=Actor.requester(case),
            satisfaction=form.cleaned_data["satisfaction"],
            comment=form.cleaned_data["comment"],
        )
    except CaseActionRefused:
        messages.error(request, _("The answer can be rated once the administration has answered."))
        return redirect("complaints:case", reference=case.reference)
    messages.success(request, _("Thank you: your rating was recorded."))
    return redirect("complaints:case", reference=case.reference)


@require_POST
def case_reopen(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_case(request, reference)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, reopen_form=form)
    try:
        complaint_reopen(case=case, actor=Actor.requester(case), reason=form.cleaned_data["reason"])
    except CaseActionRefused:
        messages.error(request, _("This complaint can no longer be reopened."))
        return redirect("complaints:case", reference=case.reference)
    messages.success(request, _("Your complaint was reopened and returned to the administration."))
    return redirect("complaints:case", reference=case.reference)


@require_POST
def case_withdraw(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_case(request, reference)
    try:
        case_transition(case=case, action="withdraw", actor=Actor.requester(case))
    except CaseActionRefused:
        messages.error(request, _("The administration has started working on it: it can no longer be withdrawn."))
        return redirect("complaints:case", reference=case.reference)
    messages.success(request, _("Your complaint was withdrawn."))
    return redirect("complaints:case", reference=case.reference)


@require_GET
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """A public file of a proven case, as a download (never from a public media URL)."""
    case = access_requester_case(request, reference)
    attachment = get_object_or_404(Attachment, pk=pk, case=case, is_public=True)
    try:
        handle = default_storage.open(attachment.storage_name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = mimetypes.guess_extension(attachment.mime) or ""
    filename = attachment.display_name
    if extension and not filename.lower().endswith(extension):
        filename += extension
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=attachment.mime)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
