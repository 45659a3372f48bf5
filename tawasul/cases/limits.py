"""Abuse limits on what a requester may add to a case (issue 8 item 4).

`check_message_quota` refuses a requester's message when the case already received
`CASE_MAX_MESSAGES_PER_DAY` requester messages today (the Africa/Casablanca calendar day,
DOMAIN.md R8). Staff messages are not counted and never limited. It is meant to be called by
`case_add_message` inside its transaction, after the case row is locked, so that two requests
sent at once cannot both pass the last free slot; it writes nothing.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Case, Message
from .services import CaseActionRefused

__all__ = ["MessageQuotaExceeded", "check_message_quota", "messages_left_today"]

REQUESTER_ROLE = "requester"


class MessageQuotaExceeded(CaseActionRefused):
    """The requester sent the day's maximum of messages on this case; nothing was written."""

    message = _("You have sent the maximum number of messages for today on this request. Try again tomorrow.")


def _start_of_today() -> dt.datetime:
    now = timezone.localtime()
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def messages_left_today(case: Case) -> int:
    sent = Message.objects.filter(case=case, author_role=REQUESTER_ROLE, created_at__gte=_start_of_today()).count()
    return max(0, settings.CASE_MAX_MESSAGES_PER_DAY - sent)


def check_message_quota(case: Case, *, author_role: str = REQUESTER_ROLE) -> None:
    """Raise `MessageQuotaExceeded` if a requester may send no more messages on `case` today."""
    if author_role != REQUESTER_ROLE:
        return
    if messages_left_today(case) <= 0:
        raise MessageQuotaExceeded(str(MessageQuotaExceeded.message))
