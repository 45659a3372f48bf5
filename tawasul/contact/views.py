"""The contact center's pages (SPEC.md §8): the agents' console, the log, the statistics, and the
public assistant with its "ask to be called back" form.

Thin views: forms check shape, `services.py` writes, `selectors.py` decides who sees what. Every
form works without JavaScript; after a successful POST the page is redirected (PRG); a rejected
form comes back with what was typed and the error next to its field (status 400).
"""

from __future__ import annotations

import csv
import uuid
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tawasul.cases.links import tracking_url_builder
from tawasul.catalog.search import search as catalog_search
from tawasul.core.references import format_for_speech
from tawasul.core.uploads import UploadRejected
from tawasul.facilities.selectors import facility_list
from tawasul.registry.selectors import administration_search, administrations_joined

from . import assistant as assistant_engine
from .forms import (
    AssistantForm,
    CallbackForm,
    CallerComplaintForm,
    ConsoleSearchForm,
    ContactLogForm,
    LogFilterForm,
    StatisticsForm,
)
from .models import Category, Channel, Contact, Language
from .selectors import (
    callback_get,
    callbacks_waiting,
    can_read_log,
    can_read_statistics,
    contact_list,
    contact_statistics,
    contact_statistics_rows,
    contacts_for,
    is_contact_agent,
)
from .services import assistant_question_log, callback_request, contact_file_complaint, contact_log

#: Results of each kind shown in the console while on the call.
CONSOLE_RESULTS = 5
LOG_PAGE_SIZE = 50


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


def _requires(check):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _nav(request: HttpRequest, current: str) -> dict:
    """The staff pages' tabs: only those the user may open."""
    user = request.user
    return {
        "console": is_contact_agent(user),
        "log": can_read_log(user),
        "statistics": can_read_statistics(user),
        "current": current,
    }


agent_required = _requires(is_contact_agent)
log_reader_required = _requires(can_read_log)
statistics_reader_required = _requires(can_read_statistics)


# --- The console ----------------------------------------------------------------------------------


def _search_results(form: ConsoleSearchForm) -> dict | None:
    if not form.is_bound or not form.is_valid():
        return None
    q = form.cleaned_data["q"]
    return {
        "procedures": catalog_search(q, limit=CONSOLE_RESULTS),
        "facilities": list(facility_list(q=q).order_by("name_ar", "pk")[:CONSOLE_RESULTS]),
        "administrations": list(administration_search(q, limit=CONSOLE_RESULTS)),
    }


def _log_initial(request: HttpRequest, callback: Contact | None) -> dict:
    initial = {"language": _language(), "channel": Channel.PHONE}
    for key in ("procedure", "facility", "administration", "category"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    if request.GET.get("procedure") and "category" not in initial:
        initial["category"] = Category.PROCEDURE_INFO
    if callback is not None:
        initial.update({"callback": callback.pk, "language": callback.language, "category": callback.category})
    return initial


def _console_context(request: HttpRequest, log_form: ContactLogForm, callback: Contact | None) -> dict:
    search_form = ConsoleSearchForm(request.GET if request.GET.get("q") else None)
    keep = request.GET.copy()
    for key in ("procedure", "facility", "administration", "callback"):
        keep.pop(key, None)
    return {
        "search_form": search_form,
        "results": _search_results(search_form),
        "query_string": keep.urlencode(),
        "log_form": log_form,
        "callback": callback,
        "callbacks": callbacks_waiting(request.user)[:20],
        "callbacks_count": callbacks_waiting(request.user).count(),
        "recent": contact_list(for_user=request.user, mine=True)[:10],
        "administrations": administrations_joined().order_by("name_ar"),
        "phone_number": settings.CONTACT_CENTER_PHONE,
        "nav": _nav(request, "console"),
    }


@agent_required
@require_GET
def console(request: HttpRequest) -> HttpResponse:
    """One page for the call: search, log the contact, file a complaint, the callback queue."""
    callback = callback_get(request.user, request.GET.get("callback")) if request.GET.get("callback") else None
    if request.GET.get("callback") and callback is None:
        messages.warning(request, _("This callback was already handled by another agent."))
    form = ContactLogForm(initial=_log_initial(request, callback))
    return render(request, "contact/console.html", _console_context(request, form, callback))


@agent_required
@require_POST
def console_log(request: HttpRequest) -> HttpResponse:
    form = ContactLogForm(request.POST)
    callback = None
    if form.is_valid():
        data = form.cleaned_data
        callback_id = data.get("callback")
        callback = callback_get(request.user, callback_id) if callback_id else None
        if callback_id and callback is None:
            form.add_error(None, _("This callback was already handled by another agent."))
        else:
            try:
                contact_log(
                    agent=request.user,
                    channel=data["channel"],
                    category=data["category"],
                    language=data["language"],
                    requester_category=data.get("requester_category") or "",
                    administration=data.get("administration"),
                    note=data.get("note", ""),
                    procedure=data.get("procedure"),
                    facility=data.get("facility"),
                    callback=callback,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("The contact was logged."))
                return redirect("contact:console")
    return render(request, "contact/console.html", _console_context(request, form, callback), status=400)


@agent_required
@require_http_methods(["GET", "POST"])
def console_complaint(request: HttpRequest) -> HttpResponse:
    """File a complaint for the caller, with the complaints portal's own form and service."""
    code = request.POST.get("administration") or request.GET.get("administration") or ""
    administration = administrations_joined().filter(code=code).first()
    if administration is None:
        messages.warning(request, _("First choose the administration concerned."))
        return redirect("contact:console")
    refreshed = False
    if request.method == "POST" and "refresh" in request.POST:
        # The no-JavaScript place picker, as on the citizen form: redisplay with the next lists.
        initial = {key: request.POST.get(key) for key in request.POST if key != "csrfmiddlewaretoken"}
        initial["is_confidential"] = "is_confidential" in request.POST
        initial["consent"] = "consent" in request.POST
        form = CallerComplaintForm(initial=initial, administration=administration)
        refreshed = True
    elif request.method == "POST":
        form = CallerComplaintForm(request.POST, request.FILES, administration=administration)
        if form.is_valid():
            response = _file_for_caller(request, form, administration)
            if response is not None:
                return response
        if "idempotency_key" in form.errors:
            form.data = form.data.copy()
            form.data["idempotency_key"] = str(uuid.uuid4())
    else:
        initial = {"kind": "complaint", "language": _language(), "channel": Channel.PHONE}
        for key in ("procedure", "facility", "callback"):
            if request.GET.get(key):
                initial[key] = request.GET[key]
        callback = callback_get(request.user, request.GET.get("callback")) if request.GET.get("callback") else None
        if callback is not None:
            initial.update({"phone": callback.callback_phone, "language": callback.language, "note": callback.note})
        form = CallerComplaintForm(initial=initial, administration=administration)
    return render(
        request,
        "contact/console_complaint.html",
        {"form": form, "administration": administration, "refreshed": refreshed, "nav": _nav(request, "console")},
        status=400 if form.is_bound and form.errors else 200,
    )


def _file_for_caller(request: HttpRequest, form: CallerComplaintForm, administration) -> HttpResponse | None:
    data = form.cleaned_data
    callback = None
    if data.get("callback"):
        callback = callback_get(request.user, data["callback"])
        if callback is None:
            form.add_error(None, _("This callback was already handled by another agent."))
            return None
    try:
        case, _contact = contact_file_complaint(
            agent=request.user,
            channel=data["channel"],
            administration=administration,
            kind=data["kind"],
            subject=data["subject"],
            sub_subject=data["sub_subject"],
            description=data["description"],
            language=data["language"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            id_type=data["id_type"],
            id_number=data["id_number"],
            email=data["email"],
            phone=data["phone"],
            complainant_type=data["complainant_type"],
            is_confidential=data["is_confidential"],
            region=data["region"],
            province=data["province"],
            commune=data["commune"],
            place_address=data["place_address"],
            attachments=data["attachments"],
            requester_category=data.get("requester_category") or "",
            note=data.get("note", ""),
            procedure=data.get("procedure"),
            facility=data.get("facility"),
            callback=callback,
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
        form.add_error(None if hasattr(error, "error_dict") else field, error)
        return None
    return redirect("contact:console_complaint_done", reference=case.reference)


@agent_required
@require_GET
def console_complaint_done(request: HttpRequest, reference: str) -> HttpResponse:
    """The reference to read to the caller, and how they receive it."""
    contact = (
        contacts_for(request.user).filter(complaint__reference=reference, complaint__isnull=False).first()
        if is_contact_agent(request.user)
        else None
    )
    if contact is None:
        raise Http404
    case = contact.complaint
    return render(
        request,
        "contact/console_complaint_done.html",
        {
            "contact": contact,
            "case": case,
            "spoken_reference": format_for_speech(case.reference),
            "nav": _nav(request, "console"),
        },
    )


# --- The log and the statistics ----------------------------------------------------------------------


@log_reader_required
@require_GET
def log(request: HttpRequest) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    contacts = contact_list(
        for_user=request.user,
        channel=filters.get("channel") or "",
        category=filters.get("category") or "",
        language=filters.get("language") or "",
        start=filters.get("start"),
        end=filters.get("end"),
        mine=bool(filters.get("mine")),
    )
    page = Paginator(contacts, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "contact/log.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "is_agent": is_contact_agent(request.user),
            "nav": _nav(request, "log"),
        },
    )


@statistics_reader_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    form = StatisticsForm(request.GET or None)
    start, end, period = form.period_values()
    stats = contact_statistics(start=start, end=end, period=period)
    query = request.GET.copy()
    return render(
        request,
        "contact/statistics.html",
        {
            "form": form,
            "stats": stats,
            "start": start,
            "end": end,
            "period": period,
            "query": query.urlencode(),
            "nav": _nav(request, "statistics"),
        },
    )


class _Echo:
    def write(self, value):
        return value


@statistics_reader_required
@require_GET
def statistics_csv(request: HttpRequest) -> StreamingHttpResponse:
    """(period, channel, category, language, count), codes and labels: counts only, no personal data."""
    form = StatisticsForm(request.GET or None)
    start, end, period = form.period_values()
    writer = csv.writer(_Echo())
    channels, categories, languages = dict(Channel.choices), dict(Category.choices), dict(Language.choices)

    def rows():
        yield "\ufeff"  # a BOM, so spreadsheets read the Arabic as UTF-8
        yield writer.writerow(
            [
                _("Period"),
                "channel",
                _("Channel"),
                "category",
                _("Category"),
                "language",
                _("Language"),
                _("Contacts"),
            ]
        )
        for day, channel, category, language, count in contact_statistics_rows(start=start, end=end, period=period):
            label = day.strftime("%Y-%m") if period == "month" else day.isoformat()
            yield writer.writerow(
                [
                    label,
                    channel,
                    channels.get(channel, channel),
                    category,
                    categories.get(category, category),
                    language,
                    languages.get(language, language),
                    count,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="contact-statistics-{period}-{stamp}.csv"'
    return response


# --- The assistant (public) ------------------------------------------------------------------------------


def _handover() -> dict:
    return {"phone_number": settings.CONTACT_CENTER_PHONE, "phone_hours": settings.CONTACT_CENTER_HOURS}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The contact center's public page: the number and its hours, the assistant, a callback."""
    user = request.user
    return render(
        request,
        "contact/index.html",
        {**_handover(), "form": AssistantForm(), "nav": _nav(request, "") if can_read_log(user) else None},
    )


@require_http_methods(["GET", "POST"])
def assistant(request: HttpRequest) -> HttpResponse:
    """A question and its answer, citing the source page; or the hand-over. Rate-limited per
    client on POST (settings.PUBLIC_FORM_RATE_LIMITS). Each question is counted, not kept."""
    if request.method != "POST":
        return render(request, "contact/assistant.html", {"form": AssistantForm(), **_handover()})
    form = AssistantForm(request.POST)
    if not form.is_valid():
        return render(request, "contact/assistant.html", {"form": form, **_handover()}, status=400)
    language = _language()
    result = assistant_engine.answer(form.cleaned_data["question"], language=language)
    assistant_question_log(language=language, category=result.category, answered=result.confident)
    return render(
        request,
        "contact/assistant.html",
        {"form": form, "answer": result, **_handover()},
    )


@require_http_methods(["GET", "POST"])
def callback(request: HttpRequest) -> HttpResponse:
    """Ask to be called back: a waiting contact in the agents' queue."""
    if request.method != "POST":
        return render(
            request, "contact/callback.html", {"form": CallbackForm(initial={"language": _language()}), **_handover()}
        )
    form = CallbackForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        category = assistant_engine.answer(data["note"], language=_language()).category
        callback_request(
            name=data["name"], phone=data["phone"], language=data["language"], note=data["note"], category=category
        )
        return redirect("contact:callback_sent")
    return render(request, "contact/callback.html", {"form": form, **_handover()}, status=400)


@require_GET
def callback_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/callback_sent.html", _handover())
