"""The contact center's personal data, under law 09-08 (a provider of
`tawasul.accounts.personal_data`, named in `PERSONAL_DATA_PROVIDERS`).

Contacts are not tied to citizens' accounts: the only identities the center keeps are the name
and phone of a callback request, erased when the call back is logged. The daily retention job
(`purge_expired_personal_data`) also closes the callbacks nobody handled within
`CONTACT_CALLBACK_RETENTION_DAYS` and erases them: they follow this shorter period, not the
cases' `closed_before`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from .services import callbacks_expire


class ContactPersonalData:
    key = "contact"

    def export(self, user) -> list[dict[str, Any]]:
        return []  # nothing is filed from an account here

    def erase(self, user, *, actor) -> int:
        return 0

    def purge(self, closed_before) -> int:
        before = timezone.now() - timedelta(days=settings.CONTACT_CALLBACK_RETENTION_DAYS)
        return callbacks_expire(before=before)
