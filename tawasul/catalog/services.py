"""Writes of the catalog: the editorial workflow draft → in_review → published → archived
(SPEC.md §5, issue 6) and the downloadable forms.

Every write checks who acts (`tawasul.catalog.permissions`), runs the law 55-19 checks
(`tawasul.catalog.rules`), keeps the search index in sync (`tawasul.catalog.search`) and leaves
a `simple_history` row with the acting user and a reason, which the staff diff page reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tawasul.core.uploads import UploadRejected, check_upload, delete_stored_file, store_checked_file

from . import permissions
from .i18n import LANGUAGES
from .models import Procedure, ProcedureForm, RequiredDocument, Step
from .rules import check_document
from .search import index_procedures, index_text

#: Fields of `Procedure` that `procedure_create` / `procedure_update` accept from the editor.
EDITABLE_FIELDS = (
    "code",
    "kind",
    "theme",
    "subtheme",
    *[
        f"{name}_{lang}"
        for name in ("title", "summary", "who", "issuing_service", "deposit_note")
        for lang in LANGUAGES
    ],
    "audiences",
    "is_free",
    "cost_amount",
    "stamp_duty",
    *[f"cost_note_{lang}" for lang in LANGUAGES],
    "max_delay_days",
    "is_investment",
    "extension_allowed_once",
    *[f"extension_reason_{lang}" for lang in LANGUAGES],
    "silence_means_acceptance",
    "attestation_issuer",
    *[f"legal_{lang}" for lang in LANGUAGES],
    "online_service_url",
    "last_verified_on",
)
DOCUMENT_FIELDS = (
    *[f"name_{lang}" for lang in LANGUAGES],
    "copies",
    "original_required",
    "legalised_signature",
    "certified_copy",
)
STEP_FIELDS = tuple(f"text_{lang}" for lang in LANGUAGES)
#: What a downloadable form may be (tawasul.core.uploads kinds).
FORM_KINDS = frozenset({"pdf", "office"})


def procedure_index_text(procedure: Procedure) -> tuple[str, str]:
    """(search_title, search_text): the normalized texts the index is built from."""
    title = index_text(*(getattr(procedure, f"title_{lang}") for lang in LANGUAGES))
    parts: list[str] = []
    for name in ("summary", "who", "issuing_service", "deposit_note"):
        parts += [getattr(procedure, f"{name}_{lang}") for lang in LANGUAGES]
    parts += [*procedure.administration.names(), procedure.administration.acronym]
    parts += procedure.theme.names()
    if procedure.subtheme_id:
        parts += procedure.subtheme.names()
    if procedure.pk:
        for doc in procedure.documents.all():
            parts += [getattr(doc, f"name_{lang}") for lang in LANGUAGES]
        for step in procedure.steps.all():
            parts += [getattr(step, f"text_{lang}") for lang in LANGUAGES]
    return title, index_text(*parts)


def _refresh_index(procedure: Procedure) -> None:
    title, text = procedure_index_text(procedure)
    Procedure.objects.filter(pk=procedure.pk).update(search_title=title, search_text=text)
    procedure.search_title, procedure.search_text = title, text
    index_procedures([procedure.pk])


def _check(procedure: Procedure, documents: Sequence[dict]) -> None:
    """Raise ValidationError with the procedure's field errors and each bad document row."""
    errors: dict[str, list] = {}
    try:
        procedure.full_clean(exclude=["deposit_places"], validate_unique=True)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    for number, row in enumerate(documents, 1):
        for messages in check_document(RequiredDocument(**row)).values():
            errors.setdefault("documents", []).extend(
                _("Document %(number)d: %(message)s") % {"number": number, "message": m} for m in messages
            )
    if errors:
        raise ValidationError(errors)


def _save_with_history(procedure: Procedure, *, actor, reason: str, update_fields=None) -> None:
    procedure._history_user = actor
    procedure._change_reason = reason
    procedure.save(update_fields=update_fields)


def _replace_rows(procedure: Procedure, documents: Sequence[dict] | None, steps: Sequence[dict] | None, actor) -> None:
    if documents is not None:
        for old in procedure.documents.all():
            old._history_user = actor
            old.delete()
        for position, row in enumerate(documents):
            doc = RequiredDocument(procedure=procedure, position=position, **row)
            doc._history_user = actor
            doc.save()
    if steps is not None:
        for old in procedure.steps.all():
            old._history_user = actor
            old.delete()
        for position, row in enumerate(steps):
            step = Step(procedure=procedure, position=position, **row)
            step._history_user = actor
            step.save()


def _clean_data(data: dict) -> dict:
    unknown = set(data) - set(EDITABLE_FIELDS) - {"deposit_places"}
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    return {k: v for k, v in data.items() if k != "deposit_places"}


def _deposit_places(places: Iterable) -> tuple[list[int], str]:
    """(ids, codes snapshot) of facilities given as objects or ids; the snapshot (sorted codes,
    one per line) goes into the procedure's history with the version it belongs to."""
    from tawasul.facilities.models import Facility

    ids = list(dict.fromkeys(getattr(p, "pk", p) for p in places))
    codes = sorted(Facility.objects.filter(pk__in=ids).values_list("code", flat=True))
    return ids, "\n".join(codes)


def _audiences(value) -> str:
    if isinstance(value, str):
        return value if value.startswith(",") else f",{value.strip(',')},"
    return "," + ",".join(value) + "," if value else ","


@transaction.atomic
def procedure_create(
    *,
    actor,
    administration,
    data: dict,
    documents: Sequence[dict] = (),
    steps: Sequence[dict] = (),
    deposit_places: Iterable | None = None,
) -> Procedure:
    """A new draft of `administration`, by one of its catalog editors."""
    if not permissions.is_editor_of(actor, administration):
        raise PermissionDenied(_("Only the catalog editors of this administration may add its procedures."))
    fields = _clean_data(data)
    if "audiences" in fields:
        fields["audiences"] = _audiences(fields["audiences"])
    procedure = Procedure(administration=administration, status=Procedure.Status.DRAFT, **fields)
    _check(procedure, documents)
    place_ids, procedure.deposit_place_codes = _deposit_places(deposit_places or ())
    _save_with_history(procedure, actor=actor, reason="created")
    _replace_rows(procedure, documents, steps, actor)
    procedure.deposit_places.set(place_ids)
    _refresh_index(procedure)
    return procedure


@transaction.atomic
def procedure_update(
    *,
    actor,
    procedure: Procedure,
    data: dict,
    documents: Sequence[dict] | None = None,
    steps: Sequence[dict] | None = None,
    deposit_places: Iterable | None = None,
) -> Procedure:
    """Change a draft. Only the editors of its administration; `documents`/`steps` replace the
    rows when given."""
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not permissions.can_edit(actor, procedure):
        raise PermissionDenied(_("You may not edit this procedure."))
    fields = _clean_data(data)
    if "audiences" in fields:
        fields["audiences"] = _audiences(fields["audiences"])
    for name, value in fields.items():
        setattr(procedure, name, value)
    rows = (
        documents
        if documents is not None
        else [{f: getattr(d, f) for f in DOCUMENT_FIELDS} for d in procedure.documents.all()]
    )
    _check(procedure, rows)
    if deposit_places is not None:
        place_ids, procedure.deposit_place_codes = _deposit_places(deposit_places)
    _save_with_history(procedure, actor=actor, reason="edited")
    _replace_rows(procedure, documents, steps, actor)
    if deposit_places is not None:
        procedure.deposit_places.set(place_ids)
    _refresh_index(procedure)
    return procedure


def _transition(procedure: Procedure, *, actor, allowed, to: str, reason: str, **extra) -> Procedure:
    procedure = Procedure.objects.select_for_update().get(pk=procedure.pk)
    if not allowed(actor, procedure):
        raise PermissionDenied(_("This action is not allowed on this procedure now."))
    procedure.status = to
    for name, value in extra.items():
        setattr(procedure, name, value)
    _save_with_history(procedure, actor=actor, reason=reason, update_fields=["status", "updated_at", *extra])
    index_procedures([procedure.pk])  # what the public can find changed
    return procedure


@transaction.atomic
def procedure_submit_for_review(*, actor, procedure: Procedure) -> Procedure:
    """draft → in_review, by an editor of the administration; the law 55-19 checks run again."""
    current = Procedure.objects.get(pk=procedure.pk)
    rows = [{f: getattr(d, f) for f in DOCUMENT_FIELDS} for d in current.documents.all()]
    _check(current, rows)
    if not current.documents.exists() or not current.steps.exists():
        raise ValidationError(_("A procedure needs at least one required document and one step before review."))
    return _transition(
        procedure, actor=actor, allowed=permissions.can_submit, to=Procedure.Status.IN_REVIEW, reason="submitted"
    )


@transaction.atomic
def procedure_publish(*, actor, procedure: Procedure) -> Procedure:
    """in_review → published, by the national unit only."""
    return _transition(
        procedure,
        actor=actor,
        allowed=permissions.can_publish,
        to=Procedure.Status.PUBLISHED,
        reason="published",
        published_at=timezone.now(),
    )


@transaction.atomic
def procedure_return_to_draft(*, actor, procedure: Procedure, note: str = "") -> Procedure:
    """in_review or published → draft (sent back by the national unit, withdrawn or reopened by
    an editor). A published procedure leaves the public catalog until it is published again."""
    reason = "returned to draft" + (f": {note.strip()[:80]}" if note.strip() else "")
    return _transition(
        procedure, actor=actor, allowed=permissions.can_return_to_draft, to=Procedure.Status.DRAFT, reason=reason
    )


@transaction.atomic
def procedure_archive(*, actor, procedure: Procedure) -> Procedure:
    """Any status → archived, by the national unit (a procedure abolished or merged)."""
    return _transition(
        procedure, actor=actor, allowed=permissions.can_archive, to=Procedure.Status.ARCHIVED, reason="archived"
    )


def procedure_form_add(
    *, actor, procedure: Procedure, uploaded_file, title_ar: str, title_fr: str = ""
) -> ProcedureForm:
    """Attach a downloadable form, checked by `tawasul.core.uploads` (raises UploadRejected)."""
    if not permissions.can_edit(actor, procedure):
        raise PermissionDenied(_("You may not edit this procedure."))
    checked = check_upload(uploaded_file)
    if checked.kind not in FORM_KINDS:  # a form to fill in: a PDF or an office document
        raise UploadRejected("unsupported_type")
    name = store_checked_file(uploaded_file, checked, folder="catalog/forms")
    try:
        with transaction.atomic():
            form = ProcedureForm(
                procedure=procedure,
                title_ar=title_ar,
                title_fr=title_fr,
                kind=checked.kind,
                size=checked.size,
                sha256=checked.sha256,
                position=procedure.forms.count(),
            )
            form.file.name = name
            form._history_user = actor
            form.save()
    except Exception:
        delete_stored_file(name)
        raise
    return form
