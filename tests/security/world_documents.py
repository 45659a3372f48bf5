"""Objects of the access matrix for the civil-status documents window: a joined office served by
administration X, and one order each for citizens A and B, placed from their accounts."""

from __future__ import annotations

from functools import cached_property

from .routes import CITIZEN_A, CITIZEN_B


class Mixin:
    @cached_property
    def documents_office(self):
        from tawasul.documents.tests.factories import make_office

        return make_office(self.admin_x, code="sec-bec-x")

    def _documents_order(self, persona: str):
        from tawasul.documents.tests.factories import make_order

        user = self.users[persona]
        return make_order(office=self.documents_office, requester_user=user, email=user.email)

    @cached_property
    def documents_order_a(self):
        return self._documents_order(CITIZEN_A)

    @cached_property
    def documents_order_b(self):
        return self._documents_order(CITIZEN_B)

    @cached_property
    def documents_payment_a(self):
        from tawasul.documents.services import payment_start

        return payment_start(case=self.documents_order_a)
