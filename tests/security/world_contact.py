"""Objects of the contact center for the access matrix: a complaint the contact agent filed for
a caller at administration X (routes_contact.py)."""

from __future__ import annotations

from functools import cached_property

from .routes import CONTACT_AGENT


class Mixin:
    @cached_property
    def contact_case(self):
        from tawasul.complaints.selectors import main_subjects_for
        from tawasul.contact.services import contact_file_complaint

        case, _contact = contact_file_complaint(
            agent=self.users[CONTACT_AGENT],
            channel="phone",
            administration=self.admin_x,
            kind="complaint",
            subject=main_subjects_for(self.admin_x).first(),
            description="Le guichet est fermé depuis trois jours sans avis.",
            language="fr",
            first_name="Karim",
            last_name="Tazi",
            phone="0612345678",
        )
        return case
