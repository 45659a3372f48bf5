"""Objects of the reception program for the access matrix: a reception site on a facility of
administration X, and an activity of the program owned by X."""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from .routes import SUPERVISOR_X


class Mixin:
    @cached_property
    def reception_site_x(self):
        from tawasul.facilities.tests.factories import FacilityFactory
        from tawasul.reception.services import site_create

        facility = FacilityFactory(administration=self.admin_x, code="sec-reception-x")
        return site_create(actor=self.users[SUPERVISOR_X], facility=facility)

    @cached_property
    def reception_activity_x(self):
        from tawasul.reception.models import Activity

        return Activity.objects.create(
            title_ar="تأهيل الموقع النموذجي",
            title_fr="Mise à niveau du site modèle",
            administration=self.admin_x,
            planned_start=dt.date(2026, 1, 1),
            planned_end=dt.date(2026, 12, 31),
        )
