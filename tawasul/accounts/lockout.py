"""django-axes glue: which "username" a failed login is counted against.

Axes reads the username from `credentials[AXES_USERNAME_FORM_FIELD]`, but the credentials it sees
depend on the login form: allauth's login form posts `login` yet authenticates with
`email=`/`username=`, Django's admin form authenticates with `username=`. Without this callable
allauth's attempts would all be counted against the username `None`, i.e. per IP only, and one
attacker could lock everyone behind the same NAT out. Lower-cased, so `A@x.ma` and `a@x.ma` share
one counter.
"""

from __future__ import annotations

from django.conf import settings

_KEYS = ("login", "email", "username")


def get_username(request, credentials: dict | None = None) -> str | None:
    for source in (credentials or {}, getattr(request, "POST", None) or {}):
        for key in (settings.AXES_USERNAME_FORM_FIELD, *_KEYS):
            value = source.get(key)
            if value:
                return str(value).strip().lower()
    return None
