"""Identity formats of a person (DOMAIN.md §10 and rule R10).

- Phone: `phonenumbers.parse(value, "MA")` then `is_valid_number`; stored in E.164 (`+212612345678`).
  A number written in the national form (`0612345678`) is read as Moroccan; a foreign number must
  carry its `+` country code (foreigners legally resident may use one, SPEC.md "People and roles").
- CIN: `^[A-Z]{1,2}[1-9][0-9]{0,6}$`, case-insensitive, normalised to upper case, 8 characters at most.
"""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Region used to read a phone number written without its country code (R10).
PHONE_DEFAULT_REGION = "MA"

#: R10: one or two letters, then digits whose first is not 0 ...
CIN_RE = re.compile(r"^[A-Z]{1,2}[1-9][0-9]{0,6}$")
#: ... and at most 8 characters in all (R10; django-localflavor's MACinNumberField, DOMAIN.md §10.1).
CIN_MAX_LENGTH = 8


def normalize_phone(value: str) -> str:
    """The E.164 form of a phone number, or ValidationError if it is not a valid number."""
    raw = (value or "").strip()
    try:
        number = phonenumbers.parse(raw, PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(_("Enter a valid phone number, for example 0612345678."), code="invalid_phone") from exc
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(_("Enter a valid phone number, for example 0612345678."), code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def validate_phone(value: str) -> None:
    """Model-field validator: the stored value must already be a valid number in E.164."""
    if value and normalize_phone(value) != value:
        raise ValidationError(_("Phone numbers are stored in the international form, e.g. +212612345678."))


def normalize_cin(value: str) -> str:
    """The upper-case CIN (national identity card number), or ValidationError (R10)."""
    cin = (value or "").strip().upper()
    if len(cin) > CIN_MAX_LENGTH or not CIN_RE.match(cin):
        raise ValidationError(
            _("Enter a valid national identity card number (CIN), for example AB123456."), code="invalid_cin"
        )
    return cin


def validate_cin(value: str) -> None:
    if value and normalize_cin(value) != value:
        raise ValidationError(_("The CIN is stored in upper case, e.g. AB123456."))
