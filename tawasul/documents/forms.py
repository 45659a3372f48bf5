"""Forms of the citizen side (shape and format; R3's rules are the service's, checked here too so
that each error lands on its field). Every form works without JavaScript."""

from __future__ import annotations

import re
import uuid
from functools import lru_cache

import phonenumbers
from babel import Locale
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.validators import normalize_phone
from tawasul.core.calendar import local_date
from tawasul.core.forms import PortalForm
from tawasul.core.honeypot import HoneypotFormMixin

from .models import MAX_COPIES, DocType, Relation, Sex
from .selectors import office_choices
from .services import check_order_rules

#: Arabic letters, spaces, hyphens and apostrophes (names in Arabic script).
_ARABIC_NAME = re.compile(r"^[\u0600-\u06FF\u0750-\u077F\s'\-]+$")
#: Latin letters (accents included), spaces, hyphens and apostrophes.
_LATIN_NAME = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ\s'\-]+$")
#: R10: a Moroccan postal code is five digits.
_MA_POSTAL_CODE = re.compile(r"^\d{5}$")
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"]


def _language() -> str:
    return (get_language() or "ar").split("-")[0]


@lru_cache(maxsize=8)
def country_choices(language: str) -> list[tuple[str, str]]:
    """Every country (the regions phonenumbers knows), named in `language` by CLDR (babel),
    Morocco first."""
    try:
        names = Locale.parse(language).territories
    except Exception:  # noqa: BLE001 - an unknown locale falls back to French names
        names = Locale.parse("fr").territories
    english = Locale.parse("en").territories
    codes = sorted(c for c in phonenumbers.SUPPORTED_REGIONS if len(c) == 2 and c.isalpha() and c != "MA")
    rest = sorted(((c, names.get(c) or english.get(c, c)) for c in codes), key=lambda item: item[1])
    return [("MA", names.get("MA") or "Maroc"), *rest]


def _name_field(label, *, script: str):
    pattern = _ARABIC_NAME if script == "ar" else _LATIN_NAME
    message = _("Write this name in Arabic letters.") if script == "ar" else _("Write this name in Latin letters.")
    return forms.RegexField(
        label=label,
        regex=pattern,
        max_length=100,
        error_messages={"invalid": message},
        widget=forms.TextInput(attrs={"dir": "rtl" if script == "ar" else "ltr", "autocomplete": "off"}),
    )


class OrderForm(HoneypotFormMixin, PortalForm):
    """The order of R3: office, document, holder, record, orderer, delivery, contact."""

    office = forms.ChoiceField(label=_("Civil-status office (commune or consulate)"))
    doc_type = forms.ChoiceField(label=_("Document"), choices=DocType.choices, widget=forms.RadioSelect)
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=MAX_COPIES, initial=1)

    holder_first_name_ar = _name_field(_("First name in Arabic"), script="ar")
    holder_last_name_ar = _name_field(_("Last name in Arabic"), script="ar")
    holder_first_name_latin = _name_field(_("First name in Latin letters"), script="latin")
    holder_last_name_latin = _name_field(_("Last name in Latin letters"), script="latin")
    holder_birth_date = forms.DateField(
        label=_("Date of birth"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For example 2001-03-25."),
    )
    holder_sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, widget=forms.RadioSelect)
    act_year = forms.IntegerField(label=_("Year of registration of the record"), min_value=1900, max_value=2100)
    act_number = forms.RegexField(
        label=_("Act number"),
        regex=r"^[0-9]{1,10}$",
        max_length=10,
        error_messages={"invalid": _("The act number is made of digits only.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"}),
    )
    father_first_name = forms.CharField(label=_("Father's first name"), max_length=100)
    mother_first_name = forms.CharField(label=_("Mother's first name"), max_length=100)
    orderer_relation = forms.ChoiceField(label=_("You are"), choices=Relation.choices)

    recipient_name = forms.CharField(label=_("Recipient's full name"), max_length=200)
    address = forms.CharField(label=_("Postal address"), max_length=300)
    city = forms.CharField(label=_("City"), max_length=100)
    postal_code = forms.CharField(label=_("Postal code"), max_length=12, required=False)
    country = forms.ChoiceField(label=_("Country"), initial="MA")
    phone = forms.CharField(
        label=_("Phone"),
        max_length=30,
        help_text=_("A Moroccan number (0612345678) or a foreign one with its country code (+33...)."),
        widget=forms.TextInput(attrs={"type": "tel", "dir": "ltr", "autocomplete": "tel"}),
    )
    email = forms.EmailField(label=_("Email"), widget=forms.EmailInput(attrs={"dir": "ltr", "autocomplete": "email"}))
    idempotency_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = _language()
        self.fields["office"].choices = [("", _("Choose the office")), *office_choices(language)]
        self.fields["country"].choices = country_choices(language)
        if not self.is_bound:
            self.initial.setdefault("idempotency_key", uuid.uuid4())

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("country") == "MA" and not _MA_POSTAL_CODE.match(data.get("postal_code", "")):
            self.add_error("postal_code", _("A Moroccan postal code has five digits, for example 10000."))
        needed = ("doc_type", "copies", "holder_birth_date", "orderer_relation", "act_year")
        if all(data.get(name) is not None and data.get(name) != "" for name in needed):
            try:
                check_order_rules(
                    doc_type=data["doc_type"],
                    copies=data["copies"],
                    birth_date=data["holder_birth_date"],
                    relation=data["orderer_relation"],
                    act_year=data["act_year"],
                    today=local_date(timezone.now()),
                )
            except ValidationError as error:
                field = {
                    "birth_in_future": "holder_birth_date",
                    "invalid_act_year": "act_year",
                    "invalid_copies": "copies",
                }.get(error.code, "orderer_relation")
                self.add_error(field, error)
        return data


class TrackForm(HoneypotFormMixin, PortalForm):
    reference = forms.CharField(label=_("Reference"), max_length=40, help_text=_("For example DOC-2026-0000123-K."))
    contact = forms.CharField(label=_("Email or phone given when ordering"), max_length=254)
