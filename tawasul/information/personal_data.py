"""The information portal's personal data (law 09-08; issue 8 item 7): the requester's postal
address given on a law 31-13 request. Listed in `PERSONAL_DATA_PROVIDERS` *before* the case
core's provider, which cuts the link between the account and its cases."""

from __future__ import annotations

from typing import Any

from .models import InfoRequest


class InformationPersonalData:
    key = "information_requests"

    def export(self, user) -> list[dict[str, Any]]:
        rows = InfoRequest.objects.filter(case__requester_user=user).exclude(address="")
        return [{"reference": row.case.reference, "address": row.address} for row in rows.select_related("case")]

    def erase(self, user, *, actor) -> int:
        return InfoRequest.objects.filter(case__requester_user=user).exclude(address="").update(address="")

    def purge(self, closed_before) -> int:
        return InfoRequest.objects.filter(case__closed_at__lt=closed_before).exclude(address="").update(address="")
