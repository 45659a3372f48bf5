"""The case core's personal data (law 09-08; issue 8 item 7): the provider that
`tawasul.accounts.personal_data` calls through `PERSONAL_DATA_PROVIDERS`.

- export: the cases filed from the account, with what the requester sees of them (public
  timeline, public files by name), and the identity given on each;
- erase / purge: the identity fields of the case are blanked, the link to the account is cut, the
  tracking secret is replaced (the old link no longer opens the case) and the notifications
  addressed to the person lose their address and content. Status, dates, administration,
  subject and description stay: the anonymised case still counts in the statistics. One
  `identity_erased` event (internal) records it.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tawasul.notifications.models import Notification

from .models import Case, CaseEvent
from .selectors import case_public_timeline

#: Case fields that identify the requester.
IDENTITY_FIELDS = ("first_name", "last_name", "id_type", "id_number", "email", "phone")
ERASED_ACTION = "identity_erased"


def _iso(value):
    return value.isoformat() if value else None


def _has_identity() -> Q:
    return ~Q(first_name="") | ~Q(last_name="") | ~Q(id_number="") | ~Q(email="") | ~Q(phone="")


#: Cases anonymised per round of statements: a retention purge may meet a year of closed cases.
CHUNK = 500


def _anonymise(cases, *, actor_user, reason: str) -> int:
    """Erase the identity of `cases`, a chunk at a time: each chunk is locked, blanked in one
    UPDATE, its emails and SMS scrubbed in one UPDATE (by reference or recipient, both indexed)
    and given its `identity_erased` events in one INSERT, so that a purge of a hundred thousand
    cases is a few hundred statements, not a scan of the outbox per case (issue 7)."""
    count, after = 0, 0
    while True:
        chunk = list(
            cases.filter(pk__gt=after)
            .order_by("pk")
            .select_for_update()
            .values_list("pk", "reference", "email", "phone")[:CHUNK]
        )
        if not chunk:
            return count
        ids = [pk for pk, _reference, _email, _phone in chunk]
        # A secret no one holds: the old tracking link no longer opens the case.
        Case.objects.filter(pk__in=ids).update(
            **dict.fromkeys(IDENTITY_FIELDS, ""),
            requester_user=None,
            tracking_token_hash=hashlib.sha256(secrets.token_bytes(32)).hexdigest(),
            updated_at=timezone.now(),
        )
        contacts = sorted({value for _pk, _reference, *values in chunk for value in values if value})
        if contacts:
            references = [reference for _pk, reference, email, phone in chunk if email or phone]
            Notification.objects.filter(Q(subject_ref__in=references) | Q(to__in=contacts)).update(to="", context={})
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case_id=pk,
                action=ERASED_ACTION,
                actor=actor_user,
                actor_role="requester" if actor_user else "system",
                is_public=False,
                payload={"reason": reason},
            )
            for pk in ids
        )
        count += len(chunk)
        after = ids[-1]


class CasePersonalData:
    key = "cases"

    def export(self, user) -> list[dict[str, Any]]:
        cases = Case.objects.filter(requester_user=user).select_related("administration").order_by("received_at")
        result = []
        for case in cases:
            result.append(
                {
                    "reference": case.reference,
                    "portal": case.portal,
                    "kind": case.kind,
                    "administration": case.administration.code,
                    "status": case.status,
                    "subject": case.subject,
                    "description": case.description,
                    "received_at": _iso(case.received_at),
                    "closed_at": _iso(case.closed_at),
                    "is_confidential": case.is_confidential,
                    "identity": {name: getattr(case, name) for name in IDENTITY_FIELDS},
                    "timeline": [
                        {
                            "at": _iso(entry.at),
                            "type": entry.type,
                            "action": entry.action,
                            "status": entry.status,
                            "by": entry.by,
                            "body": entry.body,
                            "files": [a.display_name for a in entry.attachments],
                        }
                        for entry in case_public_timeline(case)
                    ],
                }
            )
        return result

    def erase(self, user, *, actor) -> int:
        with transaction.atomic():
            return _anonymise(Case.objects.filter(requester_user=user), actor_user=actor, reason="requester_request")

    def purge(self, closed_before) -> int:
        with transaction.atomic():
            expired = Case.objects.filter(closed_at__lt=closed_before).filter(
                _has_identity() | Q(requester_user__isnull=False)
            )
            return _anonymise(expired, actor_user=None, reason="retention")
