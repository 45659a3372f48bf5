"""The back office (issue 4): the inbox, the case page and its actions, answer templates, alerts.

Thin views (ARCHITECTURE.md §3): `access.py` decides who may open what, `selectors.py` reads,
`actions.py` resolves each workflow action's form and service, the case core and the portals'
services write. Every form works without JavaScript; after a POST the page is redirected back
with a message (PRG); a rejected form is shown again with what was typed and the error next to
its field. Every case form carries the case's `version`: when the case changed meanwhile the
action is not done and the fresh page says so (optimistic concurrency).
"""

from __future__ import annotations

import csv
import mimetypes

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tawasul.cases.actors import actor_for
from tawasul.cases.models import Attachment, Channel, Message
from tawasul.cases.selectors import requester_identity_for
from tawasul.cases.services import (
    CaseActionRefused,
    case_add_attachment,
    case_add_message,
    case_assign,
)
from tawasul.cases.workflow import get_workflow
from tawasul.core.calendar import local_date, working_days_between
from tawasul.core.uploads import UploadRejected
from tawasul.notifications.selectors import staff_alerts_for
from tawasul.notifications.services import staff_alerts_mark_read
from tawasul.registry.selectors import administrations_joined

from . import actions as staff
from .access import access_staff_case, require_staff
from .forms import AnswerTemplateForm, AssignForm, InboxFilterForm, InternalNoteForm, StaffFileForm
from .models import AnswerTemplate
from .selectors import (
    administrations_named,
    assignable_people,
    case_attachments,
    case_events,
    case_messages,
    inbox_cases,
    inbox_counts,
    inbox_page,
    outcomes_for,
    staff_administrations,
    staff_cases,
    template_administrations,
    templates_for_actions,
    templates_for_user,
)
from .services import answer_template_create, answer_template_update

VERSION_FIELD = "version"


#: Each language named in its own script (the requester's language on the case page).
LANGUAGE_NAMES = {"ar": "العربية", "fr": "Français", "zgh": "ⵜⴰⵎⴰⵣⵉⵖⵜ", "en": "English"}


def _status_label(case) -> str:
    try:
        return _(get_workflow(case.portal).status_label(case.status))
    except LookupError:
        return case.status


def _outcome_label(outcome: str) -> str:
    labels = {
        "positive": _("Positive"),
        "negative": _("Negative"),
        "partial": _("Partial"),
        "informative": _("Informative"),
    }
    return labels.get(outcome, outcome)


# --- Inbox -----------------------------------------------------------------------------------


def _inbox_form(request: HttpRequest) -> InboxFilterForm:
    return InboxFilterForm(request.GET or None, administrations=staff_administrations(request.user))


@require_GET
@require_staff
def inbox(request: HttpRequest) -> HttpResponse:
    form = _inbox_form(request)
    filters, per_page = form.filters()
    due_within = filters.due_within if filters.due_within is not None else settings.BACKOFFICE_DUE_SOON_WORKING_DAYS
    page = inbox_page(user=request.user, filters=filters, number=request.GET.get("page"), per_page=per_page)
    rows = page.object_list
    outcomes = outcomes_for(c.pk for c in rows if c.answered_at)
    today = local_date(timezone.now())
    items = [
        {
            "case": case,
            "status_label": _status_label(case),
            "outcome": _outcome_label(outcomes[case.pk]) if case.pk in outcomes else "",
            "due": local_date(case.answer_due_at) if case.answer_due_at else None,
            "days_left": (
                working_days_between(today, local_date(case.answer_due_at))
                if case.answer_due_at and not case.closed_at and not case.answered_at
                else None
            ),
        }
        for case in rows
    ]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/inbox.html",
        {
            "form": form,
            "page": page,
            "items": items,
            "counts": inbox_counts(user=request.user, filters=filters, due_within=due_within),
            "due_within": due_within,
            "query": query.urlencode(),
        },
    )


def _safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage
    return, OWASP "CSV injection") gets a leading quote."""
    text = "" if value is None else str(value)
    if text and text[0] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


class _Echo:
    def write(self, value):
        return value


@require_GET
@require_staff
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered inbox as CSV (same filters), at most BACKOFFICE_EXPORT_MAX_ROWS rows. A
    confidential case's requester is never written (issue 4 "never exported")."""
    filters, _per_page = _inbox_form(request).filters()
    limit = settings.BACKOFFICE_EXPORT_MAX_ROWS
    cases = inbox_cases(user=request.user, filters=filters)[:limit]
    writer = csv.writer(_Echo())
    header = [
        _("Reference"),
        _("Portal"),
        _("Kind"),
        _("Status"),
        _("Administration"),
        _("Channel"),
        _("Received on"),
        _("Answer due on"),
        _("Overdue"),
        _("Escalation level"),
        _("Assigned to"),
        _("Requester"),
        _("Subject"),
    ]
    channels = dict(Channel.choices)

    def rows():
        yield "\ufeff"  # a BOM, so spreadsheets read the Arabic as UTF-8
        yield writer.writerow(header)
        for case in cases.iterator(chunk_size=500):
            identity = requester_identity_for(case, viewer_is_staff=True)
            yield writer.writerow(
                [
                    _safe_cell(v)
                    for v in (
                        case.reference,
                        case.portal,
                        case.kind,
                        _status_label(case),
                        case.administration.name(),
                        channels.get(case.channel, case.channel),
                        local_date(case.received_at).isoformat(),
                        local_date(case.answer_due_at).isoformat() if case.answer_due_at else "",
                        _("yes") if case.is_overdue else "",
                        case.escalation_level,
                        (case.assignee.get_full_name() or case.assignee.email) if case.assignee else "",
                        identity.display_name,
                        case.subject,
                    )
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="inbox-{stamp}.csv"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Case page -------------------------------------------------------------------------------


def _deadline(value, today, *, running: bool):
    if value is None:
        return None
    day = local_date(value)
    return {"date": day, "days_left": working_days_between(today, day) if running else None}


def _payload_summary(event, administrations, people) -> list[tuple[str, str]]:
    """What an event's payload says, in words (a transfer's from and to, an outcome, a reason)."""
    payload = event.payload if isinstance(event.payload, dict) else {}
    lines = []
    if "from_administration_id" in payload or "to_administration_id" in payload:
        source = administrations.get(payload.get("from_administration_id"))
        target = administrations.get(payload.get("to_administration_id"))
        lines.append((_("From"), source.name() if source else "—"))
        lines.append((_("To"), target.name() if target else "—"))
    if payload.get("outcome"):
        lines.append((_("Outcome"), _outcome_label(str(payload["outcome"]))))
    if payload.get("reason"):
        lines.append((_("Reason"), str(payload["reason"])))
    if payload.get("ground"):
        lines.append((_("Ground"), str(payload["ground"]).replace("_", " ")))
    if payload.get("duplicate_of"):
        lines.append((_("Duplicate of"), str(payload["duplicate_of"])))
    if "assignee_id" in payload:
        person = people.get(payload.get("assignee_id"))
        lines.append((_("Assigned to"), _person(person)))
    if payload.get("level"):
        lines.append((_("Escalation level"), str(payload["level"])))
    if payload.get("days"):
        lines.append((_("Days added"), str(payload["days"])))
    return lines


def _person(user) -> str:
    if user is None:
        return "—"
    return user.get_full_name() or user.email or user.get_username()


def _action_labels(workflow) -> dict[str, str]:
    labels = {t.action: _(t.label) for t in workflow.transitions if t.label}
    labels.update(
        {
            "submitted": _("Received"),
            "assigned": _("Assigned"),
            "note_added": _("Internal note"),
            "message_added": _("Message from the requester"),
            "attachment_added": _("File added"),
            "escalated": _("Escalated"),
            "overdue": _("Marked overdue"),
            "deadline_extended": _("Answer deadline extended"),
            "reminder_sent": _("Reminder sent"),
        }
    )
    return labels


def _role_label(role: str) -> str:
    from tawasul.accounts.roles import Role

    if role == "requester":
        return _("Requester")
    if role == "system":
        return _("System")
    try:
        return str(Role(role).label)
    except ValueError:
        return role


def _portal_panel(case) -> str | None:
    try:
        return select_template([f"{case.portal}/staff/case_panel.html"]).template.name
    except TemplateDoesNotExist:
        return None


def _case_page(request: HttpRequest, case, *, status: int = 200, bound: dict | None = None, initial=None):
    """The staff case page. `bound` holds the forms of a rejected POST (by key: an action name,
    "assign", "note", "file"); `initial` pre-fills one action form (`{action: {...}}`)."""
    bound = bound or {}
    initial = initial or {}
    actor = actor_for(request.user, case)
    workflow = get_workflow(case.portal)
    labels = _action_labels(workflow)
    today = local_date(timezone.now())
    running = case.closed_at is None and case.answered_at is None and case.paused_at is None
    events = case_events(case)
    messages_ = case_messages(case)
    files = case_attachments(case)
    adm_ids = {
        value
        for e in events
        if isinstance(e.payload, dict)
        for key, value in e.payload.items()
        if key in ("from_administration_id", "to_administration_id")
    }
    administrations = administrations_named(adm_ids)
    people_ids = {
        e.payload.get("assignee_id") for e in events if isinstance(e.payload, dict) and e.payload.get("assignee_id")
    }
    people = get_user_model().objects.in_bulk([i for i in people_ids if isinstance(i, int)])
    timeline = [
        {
            "event": event,
            "label": labels.get(event.action, event.action.replace("_", " ").capitalize()),
            "status_label": _(workflow.status_label(event.to_status)) if event.to_status else "",
            "role": _role_label(event.actor_role),
            "actor": _person(event.actor) if event.actor_id else "",
            "summary": _payload_summary(event, administrations, people),
        }
        for event in events
    ]
    outcome = next(
        (
            str(e.payload["outcome"])
            for e in reversed(events)
            if e.action == "answer" and isinstance(e.payload, dict) and e.payload.get("outcome")
        ),
        "",
    )
    files_by_message: dict[int | None, list[Attachment]] = {}
    for attachment in files:
        files_by_message.setdefault(attachment.message_id, []).append(attachment)

    available = staff.staff_actions(case, actor)
    action_forms = []
    note_actions = []
    for item in available:
        form = bound.get(item.action) or staff.build_form(item, case, actor, initial=initial.get(item.action))
        takes_note = "note" in form.fields
        if takes_note:
            note_actions.append(item.action)
        action_forms.append({"action": item, "label": _(item.label), "form": form, "takes_note": takes_note})
    templates = templates_for_actions(case, note_actions) if note_actions else {}
    for entry in action_forms:
        entry["templates"] = templates.get(entry["action"].action, [])
    is_staff = actor.is_staff
    is_open = case.closed_at is None
    context = {
        "case": case,
        "actor": actor,
        "status_label": _status_label(case),
        "outcome": _outcome_label(outcome) if outcome else "",
        "identity": requester_identity_for(case, viewer_is_staff=True),
        "case_language": LANGUAGE_NAMES.get(case.language, case.language),
        "first_action_due": _deadline(case.first_action_due_at, today, running=running),
        "answer_due": _deadline(case.answer_due_at, today, running=running),
        "timeline": timeline,
        "case_messages": messages_,
        "files_by_message": files_by_message,
        "files": files,
        "action_forms": action_forms,
        "can_work": is_staff,
        "is_open": is_open,
        "assign_form": bound.get("assign") or AssignForm(people=assignable_people(case) if is_staff else ()),
        "note_form": bound.get("note") or InternalNoteForm(),
        "file_form": bound.get("file") or StaffFileForm(),
        "panel_template": _portal_panel(case),
        "administration_choices": (
            administrations_joined().exclude(pk=case.administration_id).order_by("name_ar")
            if any(a.transition.moves_administration and not a.transition.form for a in available)
            else ()
        ),
    }
    return render(request, "backoffice/case.html", context, status=status)


@require_GET
@require_staff
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_staff_case(request.user, reference)
    initial = {}
    template_id, action = request.GET.get("template", ""), request.GET.get("action", "")
    if template_id.isdigit() and action:
        template = AnswerTemplate.objects.filter(
            pk=int(template_id),
            administration_id=case.administration_id,
            portal=case.portal,
            action=action,
            is_active=True,
        ).first()
        if template is not None:
            body = template.render(
                reference=case.reference,
                received_date=date_format(local_date(case.received_at), "DATE_FORMAT"),
            )
            initial[action] = {"note": body}
    return _case_page(request, case, initial=initial)


def _stale(request: HttpRequest, case) -> bool:
    """Whether the form was drawn for an older version of the case (then nothing is done)."""
    return request.POST.get(VERSION_FIELD, "") != str(case.version)


def _stale_response(request: HttpRequest, case) -> HttpResponse:
    messages.warning(
        request,
        _(
            "The case changed while you were writing (someone else acted on it). Nothing was done: "
            "read the page again and repeat your action if it still applies."
        ),
    )
    return redirect("backoffice:case", reference=case.reference)


def _apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        target = (
            "note"
            if getattr(error, "code", "") in ("note_required", "reason_required") and "note" in form.fields
            else None
        )
        form.add_error(target, error)


@require_POST
@require_staff
def case_act(request: HttpRequest, reference: str, action: str) -> HttpResponse:
    case = access_staff_case(request.user, reference)
    actor = actor_for(request.user, case)
    item = staff.staff_action(case, actor, action)
    if _stale(request, case):
        return _stale_response(request, case)
    if item is None:
        messages.error(request, _("This action is not possible on this case now."))
        return redirect("backoffice:case", reference=case.reference)
    form = staff.build_form(item, case, actor, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, bound={action: form})
    try:
        staff.perform(item, case, actor, form.cleaned_data)
    except ValidationError as error:
        _apply_errors(form, error)
        return _case_page(request, case, status=400, bound={action: form})
    except CaseActionRefused:
        messages.error(request, _("This action is not possible on this case now."))
        return redirect("backoffice:case", reference=case.reference)
    messages.success(request, _("Done: %(action)s.") % {"action": _(item.label)})
    if not staff_cases(request.user).filter(pk=case.pk).exists():
        # A transfer takes the case out of this user's reach: back to the inbox.
        return redirect("backoffice:inbox")
    return redirect("backoffice:case", reference=case.reference)


@require_POST
@require_staff
def case_assign_view(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_staff_case(request.user, reference)
    if _stale(request, case):
        return _stale_response(request, case)
    form = AssignForm(request.POST, people=assignable_people(case))
    if not form.is_valid():
        return _case_page(request, case, status=400, bound={"assign": form})
    try:
        case_assign(case=case, actor=actor_for(request.user, case), assignee=form.cleaned_data["assignee"])
    except CaseActionRefused:
        messages.error(request, _("This case cannot be assigned now."))
        return redirect("backoffice:case", reference=case.reference)
    messages.success(request, _("The case was assigned."))
    return redirect("backoffice:case", reference=case.reference)


@require_POST
@require_staff
def case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_staff_case(request.user, reference)
    if _stale(request, case):
        return _stale_response(request, case)
    form = InternalNoteForm(request.POST)
    if not form.is_valid():
        return _case_page(request, case, status=400, bound={"note": form})
    try:
        case_add_message(
            case=case,
            actor=actor_for(request.user, case),
            kind=Message.Kind.INTERNAL_NOTE,
            body=form.cleaned_data["body"],
        )
    except ValidationError as error:
        form.add_error("body", error)
        return _case_page(request, case, status=400, bound={"note": form})
    except CaseActionRefused:
        messages.error(request, _("You cannot add a note to this case."))
        return redirect("backoffice:case", reference=case.reference)
    messages.success(request, _("The internal note was added."))
    return redirect("backoffice:case", reference=case.reference)


@require_POST
@require_staff
def case_upload(request: HttpRequest, reference: str) -> HttpResponse:
    case = access_staff_case(request.user, reference)
    if _stale(request, case):
        return _stale_response(request, case)
    form = StaffFileForm(request.POST, request.FILES)
    if not form.is_valid():
        return _case_page(request, case, status=400, bound={"file": form})
    try:
        case_add_attachment(
            case=case,
            actor=actor_for(request.user, case),
            uploaded_file=form.cleaned_data["file"],
            is_public=form.cleaned_data["visibility"] == "public",
        )
    except UploadRejected as error:
        form.add_error("file", error.message)
        return _case_page(request, case, status=400, bound={"file": form})
    except CaseActionRefused:
        messages.error(request, _("No file can be added to this case now."))
        return redirect("backoffice:case", reference=case.reference)
    messages.success(request, _("The file was added."))
    return redirect("backoffice:case", reference=case.reference)


@require_GET
@require_staff
def attachment_download(request: HttpRequest, reference: str, pk: int) -> FileResponse:
    """Any file of a case the user may open, as a download (never inline, never sniffed)."""
    case = access_staff_case(request.user, reference)
    attachment = get_object_or_404(Attachment, pk=pk, case=case)
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


# --- Answer templates ------------------------------------------------------------------------


def _require_template_editor(request: HttpRequest):
    administrations = template_administrations(request.user)
    if not administrations.exists():
        raise PermissionDenied("answer templates are written by an administration's case staff")
    return administrations


@require_GET
@require_staff
def templates_list(request: HttpRequest) -> HttpResponse:
    _require_template_editor(request)
    return render(request, "backoffice/templates_list.html", {"templates": templates_for_user(request.user)})


def _template_fields(form) -> dict:
    data = dict(form.cleaned_data)
    return {k: data[k] for k in ("administration", "portal", "action", "language", "title", "body", "is_active")}


@require_staff
def template_create(request: HttpRequest) -> HttpResponse:
    administrations = _require_template_editor(request)
    form = AnswerTemplateForm(request.POST or None, administrations=administrations)
    if request.method == "POST":
        if form.is_valid():
            answer_template_create(user=request.user, **_template_fields(form))
            messages.success(request, _("The template was saved."))
            return redirect("backoffice:templates")
        return render(request, "backoffice/template_form.html", {"form": form}, status=400)
    return render(request, "backoffice/template_form.html", {"form": form})


@require_staff
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    administrations = _require_template_editor(request)
    template = get_object_or_404(AnswerTemplate.objects.filter(administration__in=administrations), pk=pk)
    form = AnswerTemplateForm(request.POST or None, administrations=administrations, instance=template)
    if request.method == "POST":
        if form.is_valid():
            answer_template_update(user=request.user, template=template, **_template_fields(form))
            messages.success(request, _("The template was saved."))
            return redirect("backoffice:templates")
        return render(request, "backoffice/template_form.html", {"form": form, "template": template}, status=400)
    return render(request, "backoffice/template_form.html", {"form": form, "template": template})


# --- Staff alerts ----------------------------------------------------------------------------


@require_GET
@require_staff
def alerts(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(staff_alerts_for(request.user), 50)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "backoffice/alerts.html", {"page": page})


@require_POST
@require_staff
def alerts_mark_read(request: HttpRequest) -> HttpResponse:
    count = staff_alerts_mark_read(user=request.user)
    if count:
        messages.success(request, _("Every alert is marked as read."))
    return redirect("backoffice:alerts")
