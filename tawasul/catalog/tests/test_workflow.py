"""Editorial workflow (SPEC.md §5): editors of an administration write its procedures, the
national unit reviews and publishes; history keeps every version with a diff."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tawasul.catalog import services
from tawasul.catalog.models import Procedure
from tawasul.catalog.selectors import procedure_diff, procedure_versions
from tawasul.catalog.tests.factories import document, make_editor, make_national_unit, make_procedure, step
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def test_editor_of_x_cannot_edit_the_procedure_of_y():
    draft = make_procedure(status=Procedure.Status.DRAFT)
    other_editor = make_editor(AdministrationFactory())
    with pytest.raises(PermissionDenied):
        services.procedure_update(actor=other_editor, procedure=draft, data={"title_fr": "Piraté"})


def test_editor_cannot_create_a_procedure_for_another_administration():
    editor = make_editor()
    with pytest.raises(PermissionDenied):
        make_procedure(editor=editor, administration=AdministrationFactory(), status=Procedure.Status.DRAFT)


def test_editor_of_the_administration_edits_its_draft():
    draft = make_procedure(status=Procedure.Status.DRAFT)
    editor = make_editor(draft.administration)
    services.procedure_update(actor=editor, procedure=draft, data={"title_fr": "Nouveau titre"})
    draft.refresh_from_db()
    assert draft.title_fr == "Nouveau titre"


def test_only_the_national_unit_publishes():
    procedure = make_procedure(status=Procedure.Status.IN_REVIEW)
    editor = make_editor(procedure.administration)
    with pytest.raises(PermissionDenied):
        services.procedure_publish(actor=editor, procedure=procedure)
    published = services.procedure_publish(actor=make_national_unit(), procedure=procedure)
    assert published.status == Procedure.Status.PUBLISHED and published.published_at


def test_a_draft_cannot_be_published_without_review():
    draft = make_procedure(status=Procedure.Status.DRAFT)
    with pytest.raises(PermissionDenied):
        services.procedure_publish(actor=make_national_unit(), procedure=draft)


def test_a_procedure_in_review_is_frozen_for_editors():
    procedure = make_procedure(status=Procedure.Status.IN_REVIEW)
    with pytest.raises(PermissionDenied):
        services.procedure_update(
            actor=make_editor(procedure.administration), procedure=procedure, data={"title_fr": "x"}
        )


def test_national_unit_returns_to_draft_and_archives():
    procedure = make_procedure(status=Procedure.Status.IN_REVIEW)
    nu = make_national_unit()
    procedure = services.procedure_return_to_draft(actor=nu, procedure=procedure, note="Coût à vérifier")
    assert procedure.status == Procedure.Status.DRAFT
    procedure = services.procedure_archive(actor=nu, procedure=procedure)
    assert procedure.status == Procedure.Status.ARCHIVED
    with pytest.raises(PermissionDenied):
        services.procedure_archive(actor=make_editor(procedure.administration), procedure=procedure)


def test_submit_needs_documents_and_steps():
    draft = make_procedure(status=Procedure.Status.DRAFT, documents=[], steps=[])
    with pytest.raises(ValidationError):
        services.procedure_submit_for_review(actor=make_editor(draft.administration), procedure=draft)


def test_history_records_each_version_and_the_diff_shows_the_changed_field():
    draft = make_procedure(status=Procedure.Status.DRAFT, max_delay_days=30, documents=[document()], steps=[step()])
    editor = make_editor(draft.administration)
    services.procedure_update(
        actor=editor,
        procedure=draft,
        data={"max_delay_days": 20},
        documents=[document(), document("صورة شمسية", "Photo d'identité")],
    )
    versions = procedure_versions(draft)
    assert [v.history_change_reason for v in versions][:2] == ["edited", "created"]
    assert versions[0].history_user == editor
    diff = procedure_diff(draft, old=versions[1], new=versions[0])
    changed = {row.field: (row.old, row.new) for row in diff.fields}
    assert changed["max_delay_days"] == ("30", "20")
    assert "title_fr" not in changed
    assert diff.documents_added == ["صورة شمسية"]
    assert diff.documents_removed == []
