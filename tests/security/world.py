"""The fixture objects of the security tests: personas and the things they may or may not reach.

Two administrations X and Y under a ministry; citizen A and citizen B each filed, from their
account, one complaint and one information request at X (A's complaint carries a public
attachment). Objects are built on first use, so a route costs only what it names.
"""

from __future__ import annotations

from functools import cached_property

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import UserFactory
from tawasul.cases.tests.factories import make_staff

from .routes import (
    ANONYMOUS,
    CITIZEN_A,
    CITIZEN_B,
    CONTACT_AGENT,
    FAKE_KWARGS,
    NATIONAL_UNIT,
    OFFICER_X,
    OFFICER_Y,
    SUPERVISOR_X,
)


def _portal_mixins() -> tuple[type, ...]:
    """The newer portals add their objects beside this file (`world_<app>.py`, class `Mixin`)."""
    import importlib

    from .routes import PORTAL_ROUTE_MODULES

    mixins = []
    for app in PORTAL_ROUTE_MODULES:
        try:
            mixins.append(importlib.import_module(f"{__package__}.world_{app}").Mixin)
        except ModuleNotFoundError as error:
            if error.name != f"{__package__}.world_{app}":
                raise
    return tuple(mixins)


class World(*_portal_mixins()):
    """Lazily built personas and objects (inside the test's database transaction)."""

    @cached_property
    def ministry(self):
        from tawasul.registry.tests.factories import AdministrationFactory

        return AdministrationFactory(code="sec-ministry", kind="ministry")

    @cached_property
    def admin_x(self):
        from tawasul.registry.tests.factories import AdministrationFactory

        return AdministrationFactory(code="sec-x", parent=self.ministry)

    @cached_property
    def admin_y(self):
        from tawasul.registry.tests.factories import AdministrationFactory

        return AdministrationFactory(code="sec-y", parent=self.ministry)

    @cached_property
    def users(self) -> dict:
        return {
            ANONYMOUS: None,
            CITIZEN_A: UserFactory(first_name="Amina", last_name="Alaoui"),
            CITIZEN_B: UserFactory(first_name="Badr", last_name="Bennani"),
            OFFICER_X: make_staff(self.admin_x, role=Role.OFFICER),
            OFFICER_Y: make_staff(self.admin_y, role=Role.OFFICER),
            SUPERVISOR_X: make_staff(self.admin_x, role=Role.HEAD_OF_UNIT),
            NATIONAL_UNIT: make_staff(self.ministry, role=Role.NATIONAL_UNIT),
            CONTACT_AGENT: make_staff(self.ministry, role=Role.CONTACT_AGENT),
        }

    def _complaint(self, persona: str, **fields):
        from tawasul.complaints.tests.factories import make_complaint

        user = self.users[persona]
        return make_complaint(self.admin_x, requester_user=user, email=user.email, **fields)

    @cached_property
    def case_a(self):
        from tawasul.complaints.tests.factories import png_upload

        return self._complaint(CITIZEN_A, attachments=[png_upload("a.png")])

    @cached_property
    def case_b(self):
        return self._complaint(CITIZEN_B)

    @cached_property
    def attachment_a(self):
        return self.case_a.attachments.get()

    def _info_request(self, persona: str, **fields):
        from tawasul.information.tests.factories import make_request

        user = self.users[persona]
        return make_request(self.admin_x, requester_user=user, email=user.email, **fields)

    @cached_property
    def info_a(self):
        from tawasul.complaints.tests.factories import png_upload

        return self._info_request(CITIZEN_A, attachments=[png_upload("a.png")])

    @cached_property
    def info_b(self):
        return self._info_request(CITIZEN_B)

    @cached_property
    def info_attachment_a(self):
        return self.info_a.attachments.get()

    @cached_property
    def facility(self):
        from tawasul.facilities.tests.factories import FacilityFactory

        return FacilityFactory()

    @cached_property
    def answer_template_x(self):
        from tawasul.backoffice.models import AnswerTemplate

        return AnswerTemplate.objects.create(
            administration=self.admin_x, portal="complaints", action="answer", title="Reply", body="Dear {reference}"
        )

    @cached_property
    def problem_x(self):
        from tawasul.complaints.services import problem_create

        return problem_create(actor=self.users[OFFICER_X], administration=self.admin_x, title="Broken water main")

    @cached_property
    def procedure(self):
        """A published procedure of administration X (edited by X's catalog editor)."""
        from tawasul.catalog.tests.factories import make_procedure

        return make_procedure(administration=self.admin_x)

    @cached_property
    def theme(self):
        return self.procedure.theme

    @cached_property
    def procedure_form(self):
        from django.core.files.base import ContentFile

        from tawasul.catalog.models import ProcedureForm

        return ProcedureForm.objects.create(
            procedure=self.procedure,
            title_ar="استمارة",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="form.pdf"),
            kind="pdf",
        )

    @cached_property
    def fake(self):
        class Fake:
            def __getattr__(self, name):
                return FAKE_KWARGS[name]

        return Fake()

    def value(self, path: str):
        """`"case_a.reference"` → the reference of case A."""
        obj = self
        for part in path.split("."):
            obj = getattr(obj, part)
        return obj

    def case_of(self, persona: str, reference: str = ""):
        """The case whose tracking proof a citizen persona holds on the API: their information
        request on a route about an `INF-` reference, their document order on a `DOC-` one, else
        their complaint."""
        if str(reference).startswith("INF"):
            return {CITIZEN_A: self.info_a, CITIZEN_B: self.info_b}.get(persona)
        if str(reference).startswith("DOC"):
            return {CITIZEN_A: self.documents_order_a, CITIZEN_B: self.documents_order_b}.get(persona)
        return {CITIZEN_A: self.case_a, CITIZEN_B: self.case_b}.get(persona)
