"""Catalog procedures for tests, written through the real services."""

from __future__ import annotations

import itertools

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import MembershipFactory, UserFactory
from tawasul.catalog import services
from tawasul.catalog.models import Procedure, Theme
from tawasul.registry.tests.factories import AdministrationFactory

_numbers = itertools.count(1)


def make_user(administration, role):
    return MembershipFactory(administration=administration, role=role, user=UserFactory()).user


def make_editor(administration=None):
    return make_user(administration or AdministrationFactory(), Role.CATALOG_EDITOR)


def make_national_unit():
    return make_user(AdministrationFactory(), Role.NATIONAL_UNIT)


def document(name_ar="نسخة من البطاقة الوطنية", name_fr="Copie de la CNIE", **extra):
    return {"name_ar": name_ar, "name_fr": name_fr, **extra}


def step(text_ar="إيداع الملف", text_fr="Déposer le dossier"):
    return {"text_ar": text_ar, "text_fr": text_fr}


def make_procedure(
    *,
    administration=None,
    editor=None,
    status=Procedure.Status.PUBLISHED,
    documents=None,
    steps=None,
    deposit_places=None,
    **data,
) -> Procedure:
    """A procedure created by an editor; published by a national-unit user unless `status` says otherwise."""
    editor = editor or make_editor(administration)
    administration = administration or editor.memberships.first().administration
    n = next(_numbers)
    fields = {
        "code": f"procedure-{n}",
        "theme": Theme.objects.get(slug="identite-voyage"),
        "title_ar": f"مسطرة رقم {n}",
        "title_fr": f"Procédure numéro {n}",
        "summary_ar": "وصف المسطرة",
        "who_ar": "كل مواطن",
        "max_delay_days": 30,
        "cost_amount": None,
        "is_free": True,
    }
    fields.update(data)
    if "subtheme" not in data:  # the first sub-theme of the theme (migration 0005), like real data
        fields["subtheme"] = fields["theme"].subthemes.order_by("position", "id").first()
    procedure = services.procedure_create(
        actor=editor,
        administration=administration,
        data=fields,
        documents=documents if documents is not None else [document()],
        steps=steps if steps is not None else [step()],
        deposit_places=deposit_places,
    )
    if status in (Procedure.Status.IN_REVIEW, Procedure.Status.PUBLISHED, Procedure.Status.ARCHIVED):
        procedure = services.procedure_submit_for_review(actor=editor, procedure=procedure)
    if status in (Procedure.Status.PUBLISHED, Procedure.Status.ARCHIVED):
        nu = make_national_unit()
        procedure = services.procedure_publish(actor=nu, procedure=procedure)
        if status == Procedure.Status.ARCHIVED:
            procedure = services.procedure_archive(actor=nu, procedure=procedure)
    return procedure
