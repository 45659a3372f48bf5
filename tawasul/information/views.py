"""The access-to-information portal, citizen side (law 31-13; issue 5; seed 002's seven steps).

Thin views: forms check shape, `services.py` and the case core write, `access.py` decides who may
open a case, `recourse.py` computes the routes after a refusal. Every form works without
JavaScript. The public pages (register, proactive publication, statistics) show no identity.
"""

from __future__ import annotations

import mimetypes
import uuid

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from tawasul.cases.actors import Actor, actor_for
from tawasul.cases.links import tracking_url_builder
from tawasul.cases.models import Attachment, Message
from tawasul.cases.selectors import (
    case_by_token,
    case_public_timeline,
    case_track,
    cases_for_requester,
    cases_for_staff,
)
from tawasul.cases.services import CaseActionRefused, case_add_message
from tawasul.cases.workflow import get_workflow
from tawasul.core.references import format_for_speech
from tawasul.core.uploads import UploadRejected
from tawasul.registry.selectors import administration_search, administrations_joined

from .access import access_requester_case, has_proof, remember_proof
from .forms import BodySearchForm, ComplaintForm, InfoRequestForm, MessageForm, TrackForm
from .models import ExtensionReason, InfoRequest, Kind, RefusalGround
from .recourse import recourse_for
from .selectors import (
    bodies_with_register,
    proactive_register,
    public_statistics,
    published_request,
    published_requests,
)
from .services import (
    info_complaint_to_cdai_file,
    info_complaint_to_head_file,
    info_request_publish,
    info_request_submit,
)
from .staff_forms import PublishForm
from .workflow import PORTAL

#: Tracking attempts per client IP (as for complaints: tracking is rate-limited per client).
TRACK_RATE = "10/m"
#: Session key of the secret links of cases filed in this session (shown once on the receipt).
RECEIPT_TOKENS = "information_receipt_tokens"


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


def _remember_receipt(request: HttpRequest, case) -> None:
    remember_proof(request, case)
    tokens = request.session.get(RECEIPT_TOKENS, {})
    tokens[case.reference] = case.tracking_token
    request.session[RECEIPT_TOKENS] = dict(list(tokens.items())[-5:])


# --- Landing and filing ---------------------------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    law = {
        "answer": settings.INFORMATION_ANSWER_WORKING_DAYS,
        "extension": settings.INFORMATION_EXTENSION_WORKING_DAYS,
        "urgent": settings.INFORMATION_URGENT_DAYS,
    }
    return render(request, "information/index.html", {"law": law})


@require_GET
def file_choose_body(request: HttpRequest) -> HttpResponse:
    """Step 3: choose the body (search the registry in any language)."""
    form = BodySearchForm(request.GET or None)
    results = None
    if request.GET and form.is_valid():
        results = administration_search(form.cleaned_data.get("q", ""), limit=50)
    return render(request, "information/file_choose.html", {"form": form, "results": results})


def file_request(request: HttpRequest) -> HttpResponse:
    """Steps 4 to 6: kind, personal data and information sought, send."""
    code = request.POST.get("administration") or request.GET.get("administration") or ""
    administration = administrations_joined().filter(code=code).first()
    if administration is None:
        messages.warning(request, _("First choose the body concerned."))
        return redirect("information:file")
    signed_in = request.user.is_authenticated
    lost_files: list[str] = []
    if request.method == "POST":
        form = InfoRequestForm(request.POST, request.FILES, signed_in=signed_in)
        if form.is_valid():
            response = _submit(request, form, administration)
            if response is not None:
                return response
        lost_files = [f.name for f in request.FILES.getlist("attachments")]
        if "idempotency_key" in form.errors:
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(uuid.uuid4())
    else:
        initial = {}
        if signed_in:
            initial = {
                "first_name": request.user.first_name,
                "last_name": request.user.last_name,
                "email": request.user.email,
            }
        form = InfoRequestForm(initial=initial, signed_in=signed_in)
    return render(
        request,
        "information/file_form.html",
        {"form": form, "administration": administration, "lost_files": lost_files},
        status=200 if not form.is_bound or not form.errors else 400,
    )


def _submit(request: HttpRequest, form: InfoRequestForm, administration) -> HttpResponse | None:
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    try:
        case = info_request_submit(
            actor=Actor(user=user, roles=frozenset({"requester"})),
            administration=administration,
            requester_type=data["requester_type"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            id_number=data["id_number"],
            address=data["address"],
            email=data["email"],
            phone=data["phone"],
            subject=data["subject"],
            description=data["description"],
            period_from=data["period_from"],
            period_to=data["period_to"],
            document_kinds=data["document_kinds"],
            delivery_mode=data["delivery_mode"],
            is_urgent=data["is_urgent"],
            urgency_reason=data["urgency_reason"],
            publish_consent=data["publish_consent"],
            lawful_use_undertaking=data["lawful_use_undertaking"],
            channel="web",
            requester_user=user,
            language=_language(),
            attachments=data["attachments"],
            idempotency_key=str(data["idempotency_key"]),
            tracking_url_builder=tracking_url_builder(request, "information:track_link"),
        )
    except UploadRejected as error:
        form.add_error("attachments", error.message)
        return None
    except ValidationError as error:
        field = {
            "urgency_reason_required": "urgency_reason",
            "invalid_period": "period_to",
            "id_required": "id_number",
            "invalid_cin": "id_number",
            "contact_required": "email",
        }.get(error.code or "")
        form.add_error(field, error)
        return None
    if case.was_created:
        _remember_receipt(request, case)
    elif not has_proof(request, case):
        messages.info(request, _("This request was already sent. Follow it with its reference and your email."))
        return redirect("information:track")
    return redirect("information:receipt", reference=case.reference)


@require_GET
def receipt(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_case(request, reference)
    token = request.session.get(RECEIPT_TOKENS, {}).get(case.reference)
    return render(
        request,
        "information/receipt.html",
        {
            "case": case,
            "kind_label": Kind(case.kind).label,
            "spoken_reference": format_for_speech(case.reference),
            "tracking_url": tracking_url_builder(request, "information:track_link")(case, token) if token else "",
        },
    )


# --- Tracking -------------------------------------------------------------------------------------


@ratelimit(key="ip", rate=TRACK_RATE, method="POST", block=False)
def track(request: HttpRequest) -> HttpResponse:
    """Reference + email or phone. An unknown reference and a wrong contact get the same page."""
    my_cases = cases_for_requester(request.user).filter(portal=PORTAL)[:50] if request.user.is_authenticated else None
    context = {"my_cases": my_cases}
    if request.method != "POST":
        return render(request, "information/track.html", {"form": TrackForm(), **context})
    form = TrackForm(request.POST)
    if getattr(request, "limited", False):
        context["too_many"] = True
        return render(request, "information/track.html", {"form": form, **context}, status=429)
    if form.is_valid():
        case = case_track(form.cleaned_data["reference"], form.cleaned_data["contact"])
        if case is not None and case.portal == PORTAL:
            remember_proof(request, case)
            return redirect("information:case", reference=case.reference)
        context["not_found"] = True
    return render(request, "information/track.html", {"form": form, **context})


@ratelimit(key="ip", rate=TRACK_RATE, method="GET", block=False)
@require_GET
def track_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    if getattr(request, "limited", False):
        return render(request, "information/track.html", {"form": TrackForm(), "too_many": True}, status=429)
    case = case_by_token(reference, token)
    if case is None or case.portal != PORTAL:
        return render(request, "information/track.html", {"form": TrackForm(), "not_found": True}, status=404)
    remember_proof(request, case)
    return redirect("information:case", reference=case.reference)


# --- The requester's case page --------------------------------------------------------------------


def _action_labels(workflow) -> dict[str, str]:
    labels = {t.action: _(t.label) if t.label else t.action for t in workflow.transitions}
    labels.update(
        {
            "submitted": _("Request received"),
            "attachment_added": _("Document added"),
            "escalated": _("Sent to a higher level of the body"),
            "deadline_extended": _("The answer deadline was extended"),
            "complaint_filed": _("Complaint filed about this request"),
            "published": _("Answer published in the public register"),
            Message.Kind.PUBLIC_ANSWER: _("Answer of the body"),
            Message.Kind.CITIZEN_MESSAGE: _("Your message"),
        }
    )
    return labels


def _case_page(request: HttpRequest, case, *, status: int = 200, **forms) -> HttpResponse:
    workflow = get_workflow(PORTAL)
    labels = _action_labels(workflow)
    info = (
        InfoRequest.objects.filter(case=case).select_related("parent__case", "redirected_to", "published_entry").first()
    )
    events = {e.pk: e for e in case.events.filter(is_public=True, action="deadline_extended")}
    extension = next(iter(events.values()), None)
    timeline = [
        {
            "entry": entry,
            "label": labels.get(entry.action, entry.action.replace("_", " ")),
            "status_label": _(workflow.status_label(entry.status)) if entry.status else "",
        }
        for entry in case_public_timeline(case)
    ]
    recourse = recourse_for(case)
    if recourse is not None:  # the complaints are the same requester's: the proof covers them
        for child in (recourse.head_case, recourse.cdai_case):
            if child is not None:
                remember_proof(request, child)
    if info is not None and info.parent is not None:
        remember_proof(request, info.parent.case)
    context = {
        "case": case,
        "info": info,
        "status_label": _(workflow.status_label(case.status)),
        "kind_label": Kind(case.kind).label,
        "spoken_reference": format_for_speech(case.reference),
        "timeline": timeline,
        "files": Attachment.objects.filter(case=case, is_public=True),
        "can_message": case.status not in workflow.closed_statuses,
        "extension": extension,
        "extension_reason": ExtensionReason(info.extension_reason).label if info and info.extension_reason else "",
        "refusal_ground": RefusalGround(info.refusal_ground).label if info and info.refusal_ground else "",
        "recourse": recourse,
        "message_form": forms.get("message_form") or MessageForm(),
        "complaint_form": forms.get("complaint_form") or ComplaintForm(),
    }
    return render(request, "information/case.html", context, status=status)


@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, access_requester_case(request, reference))


@require_POST
def case_message(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_requester_case(request, reference)
    form = MessageForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, message_form=form)
    try:
        case_add_message(
            case=case,
            actor=Actor.requester(case),
            kind=Message.Kind.CITIZEN_MESSAGE,
            body=form.cleaned_data["body"],
            attachments=form.cleaned_data["attachments"],
        )
    except UploadRejected as error:
        form.add_error("attachments", error.message)
        return _case_page(request, case, status=400, message_form=form)
    except CaseActionRefused:
        messages.error(request, _("This request is closed: it can no longer receive messages."))
        return redirect("information:case", reference=case.reference)
    messages.success(request, _("Your message was added to the request."))
    return redirect("information:case", reference=case.reference)


def _file_complaint(request: HttpRequest, reference: str, route: str) -> HttpResponse:
    case = access_requester_case(request, reference)
    form = ComplaintForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, complaint_form=form)
    recourse = recourse_for(case)
    try:
        if route == "head":
            service, parent = info_complaint_to_head_file, case
        else:
            if recourse is None or recourse.head_case is None:
                raise CaseActionRefused(route)
            service, parent = info_complaint_to_cdai_file, recourse.head_case
        child = service(
            parent=parent,
            actor=Actor.requester(parent),
            description=form.cleaned_data["description"],
            language=_language(),
            tracking_url_builder=tracking_url_builder(request, "information:track_link"),
        )
    except CaseActionRefused:
        messages.error(
            request, _("This complaint cannot be filed now: its deadline has passed or it was already filed.")
        )
        return redirect("information:case", reference=case.reference)
    _remember_receipt(request, child)
    return redirect("information:receipt", reference=child.reference)


@require_POST
def complaint_to_head(request: HttpRequest, reference: str) -> HttpResponse:
    return _file_complaint(request, reference, "head")


@require_POST
def complaint_to_cdai(request: HttpRequest, reference: str) -> HttpResponse:
    return _file_complaint(request, reference, "cdai")


@require_GET
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
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


# --- Transparency ---------------------------------------------------------------------------------


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register of answered requests (opt-in, redacted)."""
    return render(request, "information/register.html", {"entries": published_requests()[:100]})


@require_GET
def register_detail(request: HttpRequest, reference: str) -> HttpResponse:
    entry = published_request(reference)
    if entry is None:
        raise Http404
    return render(request, "information/register_detail.html", {"entry": entry})


@require_GET
def publications(request: HttpRequest) -> HttpResponse:
    return render(request, "information/publications.html", {"bodies": bodies_with_register()})


@require_GET
def publications_body(request: HttpRequest, code: str) -> HttpResponse:
    administration = get_object_or_404(administrations_joined(), code=code)
    return render(
        request,
        "information/publications_body.html",
        {"administration": administration, "sections": proactive_register(administration)},
    )


@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    year = request.GET.get("year", "")
    year = int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else None
    return render(request, "information/statistics.html", {"stats": public_statistics(year=year)})


# --- Staff: publication in the register (the back office links here from the case panel) ---------


@login_required
def staff_publish(request: HttpRequest, reference: str) -> HttpResponse:
    case = cases_for_staff(request.user).filter(reference=reference, portal=PORTAL).first()
    if case is None:
        raise Http404
    info = get_object_or_404(InfoRequest, case=case)
    actor = actor_for(request.user, case)
    form = PublishForm(request.POST or None, initial={"redacted_text": info.redacted_text})
    if request.method == "POST" and form.is_valid():
        try:
            info_request_publish(case=case, actor=actor, redacted_text=form.cleaned_data["redacted_text"])
        except ValidationError as error:
            form.add_error("redacted_text", error)
        except CaseActionRefused as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The answer was published in the public register."))
            return redirect("information:staff_publish", reference=case.reference)
    answers = case.messages.filter(kind=Message.Kind.PUBLIC_ANSWER)
    return render(
        request,
        "information/staff/publish.html",
        {"case": case, "info": info, "form": form, "answers": answers},
        status=400 if form.is_bound and form.errors else 200,
    )
