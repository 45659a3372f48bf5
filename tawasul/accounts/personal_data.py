"""Personal data of a person, under law 09-08 (issue 8 item 7).

- **Access** (law 09-08 art. 7): `personal_data_export(user=...)` gathers everything the platform
  holds about a signed-in person: the account, and what each *provider* holds (the cases filed
  from the account, with the messages and events the requester may see).
- **Erasure** (art. 8): `personal_data_erase(actor=..., user=...)` removes the identity: the
  account is anonymised and deactivated, each provider blanks the identity on its records. The
  anonymised cases stay, so the statistics do not change.
- **Retention** (art. 3 §1 e): `personal_data_purge_expired()` blanks the identities of cases
  closed more than `PERSONAL_DATA_RETENTION_YEARS` ago (the daily job in `config/jobs.py`).
- **The national unit** reads indicators only: no view or selector gives it a requester's
  identity (`tawasul.accounts.roles.NATIONAL_ROLES` give no case scope), so there is no read to
  log. A national-unit view of identities, if the law ever allows one, must call
  `log_personal_data_read` for every identity it shows (tested in tests/security/test_personal_data.py).

Accounts sits below the case core (ARCHITECTURE.md §2), so it does not import it: the apps that
hold personal data plug in as providers named in `PERSONAL_DATA_PROVIDERS` (settings), each an
object with `key`, `export(user) -> list`, `erase(user, *, actor) -> int` and
`purge(closed_before) -> int`.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import cache
from typing import Any, Protocol

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("tawasul.personal_data")

#: Account fields that identify a person (blanked on erasure).
ACCOUNT_IDENTITY_FIELDS = ("first_name", "last_name", "phone", "cin", "postal_address")


class PersonalDataProvider(Protocol):
    key: str

    def export(self, user) -> list[dict[str, Any]]: ...

    def erase(self, user, *, actor) -> int: ...

    def purge(self, closed_before) -> int: ...


@cache
def _providers_for(paths: tuple[str, ...]) -> tuple[PersonalDataProvider, ...]:
    return tuple(import_string(path)() for path in paths)


def providers() -> tuple[PersonalDataProvider, ...]:
    return _providers_for(tuple(getattr(settings, "PERSONAL_DATA_PROVIDERS", ())))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def personal_data_export(*, user) -> dict[str, Any]:
    """Everything held about `user`, as JSON-ready data (law 09-08 art. 7)."""
    emails = []
    try:
        from allauth.account.models import EmailAddress

        emails = [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ]
    except ImportError:  # pragma: no cover - allauth is installed
        pass
    data: dict[str, Any] = {
        "generated_at": _iso(timezone.now()),
        "law": "09-08",
        "account": {
            "email": user.email,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "cin": user.cin,
            "postal_address": user.postal_address,
            "preferred_language": user.preferred_language,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "email_addresses": emails,
        },
    }
    for provider in providers():
        data[provider.key] = provider.export(user)
    return data


def personal_data_erase(*, actor, user) -> dict[str, int]:
    """Erase `user`'s identity everywhere; the account can no longer sign in (law 09-08 art. 8).

    Only the person may ask for it (`actor` is `user`). Returns how many records each provider
    anonymised. Idempotent: a second call finds nothing left to erase.
    """
    if actor is None or actor.pk != user.pk:
        raise PermissionError("only the person may erase their own data")
    counts: dict[str, int] = {}
    with transaction.atomic():
        locked = get_user_model().objects.select_for_update().get(pk=user.pk)
        for provider in providers():
            counts[provider.key] = provider.erase(locked, actor=locked)
        for name in ACCOUNT_IDENTITY_FIELDS:
            setattr(locked, name, "")
        locked.email = None
        locked.username = f"erased-{locked.pk}"
        locked.is_active = False
        locked.set_unusable_password()
        locked.save()
        try:
            from allauth.account.models import EmailAddress
            from allauth.mfa.models import Authenticator

            EmailAddress.objects.filter(user=locked).delete()
            Authenticator.objects.filter(user=locked).delete()
        except ImportError:  # pragma: no cover
            pass
    logger.info("personal data erased for account %s: %s", user.pk, counts)
    return counts


def personal_data_purge_expired(*, now=None) -> int:
    """Blank the identities of cases closed more than PERSONAL_DATA_RETENTION_YEARS ago."""
    now = now or timezone.now()
    closed_before = now - timedelta(days=365 * settings.PERSONAL_DATA_RETENTION_YEARS)
    return sum(provider.purge(closed_before) for provider in providers())


def log_personal_data_read(*, reader, subject: str, reason: str) -> None:
    """Record that `reader` (a national-unit member) saw the identity of `subject` (a reference)."""
    logger.warning("personal data read by %s (%s): %s", reader.pk, reason, subject)
