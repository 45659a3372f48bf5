"""Staff pages of the catalog: an editor's procedures, the edit form, the national unit's review
queue, the actions of the workflow and the history with a diff between versions."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms.utils import ErrorDict, ErrorList
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tawasul.accounts.permissions import memberships_in_force
from tawasul.accounts.roles import Role
from tawasul.core.uploads import UploadRejected
from tawasul.registry.models import Administration

from . import permissions, services
from .forms import (
    DepositPlacesForm,
    DocumentFormSet,
    FormUploadForm,
    NewProcedureForm,
    ProcedureEditForm,
    ReturnForm,
    StepFormSet,
    formset_rows,
)
from .models import Procedure
from .selectors import deposit_place_choices, editor_procedures, procedure_diff, procedure_versions, review_queue
from .services import DOCUMENT_FIELDS, STEP_FIELDS


def catalog_staff(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not permissions.is_catalog_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _editor_administrations(user):
    ids = [g.administration_id for g in memberships_in_force(user) if g.role == Role.CATALOG_EDITOR]
    return Administration.objects.filter(pk__in=ids)


@catalog_staff
def my_procedures(request):
    return render(
        request,
        "catalog/staff/list.html",
        {
            "procedures": editor_procedures(request.user).order_by("status", "title_ar"),
            "is_national_unit": permissions.is_national_unit(request.user),
            "can_create": _editor_administrations(request.user).exists(),
        },
    )


@catalog_staff
def review_queue_view(request):
    if not permissions.is_national_unit(request.user):
        raise PermissionDenied
    return render(request, "catalog/staff/review.html", {"procedures": review_queue(), "return_form": ReturnForm()})


def _apply_service_errors(form, exc: ValidationError) -> None:
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _quiet(*forms) -> None:
    """Bound forms shown again without their errors (the picker's "find" saves nothing, so the
    half-filled editor form is not judged yet)."""
    for form in forms:
        if hasattr(form, "forms"):  # a formset
            form._errors, form._non_form_errors = [], ErrorList()
            _quiet(*form.forms)
        else:
            form._errors = ErrorDict()


def _edit_page(request, *, procedure: Procedure | None):
    administrations = _editor_administrations(request.user)
    form_class = NewProcedureForm if procedure is None else ProcedureEditForm
    finding = False
    if request.method == "POST":
        form = form_class(request.POST, instance=procedure)
        documents = DocumentFormSet(request.POST, prefix="doc")
        steps = StepFormSet(request.POST, prefix="step")
        places = DepositPlacesForm(request.POST, procedure=procedure)
        adm_code = request.POST.get("administration", "")
        administration = administrations.filter(code=adm_code).first() if procedure is None else None
        finding = DepositPlacesForm.FIND in request.POST
        if finding:
            _quiet(form, documents, steps)
        elif procedure is None and administration is None:
            form.add_error(None, _("Choose one of your administrations."))
        if not finding and form.is_valid() and documents.is_valid() and steps.is_valid() and places.is_valid():
            doc_rows = formset_rows(documents, DOCUMENT_FIELDS)
            step_rows = formset_rows(steps, STEP_FIELDS)
            try:
                with transaction.atomic():
                    if procedure is None:
                        procedure = services.procedure_create(
                            actor=request.user,
                            administration=administration,
                            data=form.service_data(),
                            documents=doc_rows,
                            steps=step_rows,
                            deposit_places=places.cleaned_data["selected"],
                        )
                    else:
                        services.procedure_update(
                            actor=request.user,
                            procedure=procedure,
                            data=form.service_data(),
                            documents=doc_rows,
                            steps=step_rows,
                            deposit_places=places.cleaned_data["selected"],
                        )
            except ValidationError as exc:
                _apply_service_errors(form, exc)
            else:
                messages.success(request, _("The procedure was saved."))
                return redirect("catalog:staff_edit", code=procedure.code)
    else:
        form = form_class(instance=procedure)
        initial_docs = (
            [{f: getattr(d, f) for f in DOCUMENT_FIELDS} for d in procedure.documents.all()] if procedure else []
        )
        initial_steps = [{f: getattr(s, f) for f in STEP_FIELDS} for s in procedure.steps.all()] if procedure else []
        documents = DocumentFormSet(prefix="doc", initial=initial_docs)
        steps = StepFormSet(prefix="step", initial=initial_steps)
        places = DepositPlacesForm(procedure=procedure)
    kept = places.kept()
    q, commune = places.search_terms()
    found, more = deposit_place_choices(q=q, commune=commune, exclude=[f.pk for f in kept])
    return render(
        request,
        "catalog/staff/edit.html",
        {
            "procedure": procedure,
            "form": form,
            "documents": documents,
            "steps": steps,
            "administrations": administrations,
            "chosen_administration": request.POST.get("administration", "") if request.method == "POST" else "",
            "places": places,
            "places_kept": kept,
            "places_found": found,
            "places_more": more,
            "places_searched": finding and bool(q or commune),
            "places_find": DepositPlacesForm.FIND,
            "places_editable": procedure is None or procedure.status == Procedure.Status.DRAFT,
            "return_form": ReturnForm(),
            "can_submit": procedure is not None and permissions.can_submit(request.user, procedure),
            "can_publish": procedure is not None and permissions.can_publish(request.user, procedure),
            "can_return": procedure is not None and permissions.can_return_to_draft(request.user, procedure),
            "can_archive": procedure is not None and permissions.can_archive(request.user, procedure),
            "can_edit": procedure is not None and permissions.can_edit(request.user, procedure),
            "upload_form": FormUploadForm(),
        },
    )


@catalog_staff
def create(request):
    if not _editor_administrations(request.user).exists():
        raise PermissionDenied
    return _edit_page(request, procedure=None)


def _staff_procedure(user, code) -> Procedure:
    procedure = get_object_or_404(Procedure.objects.select_related("administration", "theme"), code=code)
    if not permissions.can_see_history(user, procedure):
        raise PermissionDenied
    return procedure


@catalog_staff
def edit(request, code):
    procedure = _staff_procedure(request.user, code)
    if request.method == "POST" and not permissions.can_edit(request.user, procedure):
        raise PermissionDenied
    return _edit_page(request, procedure=procedure)


ACTIONS = {
    "submit": services.procedure_submit_for_review,
    "publish": services.procedure_publish,
    "archive": services.procedure_archive,
}


@require_POST
@catalog_staff
def action(request, code):
    procedure = _staff_procedure(request.user, code)
    name = request.POST.get("action", "")
    try:
        if name == "return":
            form = ReturnForm(request.POST)
            note = form.cleaned_data["note"] if form.is_valid() else ""
            services.procedure_return_to_draft(actor=request.user, procedure=procedure, note=note)
        elif name in ACTIONS:
            ACTIONS[name](actor=request.user, procedure=procedure)
        else:
            # No such action: the same answer as a refused one from the page (nothing done).
            messages.error(request, _("Choose an action."))
            return redirect("catalog:staff_edit", code=procedure.code)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("Done: the procedure is now “%(status)s”.")
            % {"status": Procedure.objects.get(pk=procedure.pk).get_status_display()},
        )
    if name == "publish" or (name == "return" and permissions.is_national_unit(request.user)):
        return redirect("catalog:staff_review")
    return redirect("catalog:staff_edit", code=procedure.code)


@catalog_staff
def history(request, code):
    procedure = _staff_procedure(request.user, code)
    versions = procedure_versions(procedure)
    by_id = {str(v.history_id): v for v in versions}
    new = by_id.get(request.GET.get("new", ""), versions[0] if versions else None)
    old = by_id.get(request.GET.get("old", ""))
    if old is None and new is not None:
        older = [v for v in versions if v.history_date < new.history_date]
        old = older[0] if older else None
    diff = procedure_diff(procedure, old=old, new=new) if old and new else None
    return render(
        request,
        "catalog/staff/history.html",
        {"procedure": procedure, "versions": versions, "old": old, "new": new, "diff": diff},
    )


@require_POST
@catalog_staff
def upload_form(request, code):
    """Attach a downloadable form to a draft (the file is checked by tawasul.core.uploads)."""
    procedure = _staff_procedure(request.user, code)
    form = FormUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("catalog:staff_edit", code=procedure.code)
    try:
        services.procedure_form_add(
            actor=request.user,
            procedure=procedure,
            uploaded_file=form.cleaned_data["file"],
            title_ar=form.cleaned_data["title_ar"],
            title_fr=form.cleaned_data["title_fr"],
        )
    except UploadRejected as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The form was added."))
    return redirect("catalog:staff_edit", code=procedure.code)
