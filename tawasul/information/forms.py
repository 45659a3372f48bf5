"""Forms of the citizen side (shape and format only; the services decide the rest,
ARCHITECTURE.md §3.5). Every form works without JavaScript."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.validators import normalize_cin, normalize_phone
from tawasul.core.forms import MultipleFileField, MultipleFileInput, PortalForm
from tawasul.core.honeypot import HoneypotFormMixin

from .models import DeliveryMode, DocumentKind, RequesterType

#: Description length: long enough to say what is sought, short enough to read.
DESCRIPTION_MIN_CHARS = 20
DESCRIPTION_MAX_CHARS = 5000
ACCEPT = ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.odt,.ods,.mp4"


def _check_files(files):
    if len(files) > settings.CASE_MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(count)s files."), code="too_many", params={"count": settings.CASE_MAX_ATTACHMENTS}
        )
    return files


class BodySearchForm(PortalForm):
    q = forms.CharField(label=_("Name of the body"), required=False, max_length=200)


class InfoRequestForm(HoneypotFormMixin, PortalForm):
    """Steps 4 and 5 of the portal (seed 002): the kind, the personal data and the information
    sought — the fields of the official CDAI form (DOMAIN.md §1.4, R1)."""

    is_urgent = forms.TypedChoiceField(
        label=_("Kind of request"),
        choices=[("0", _("Normal request")), ("1", _("Urgent request"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="0",
    )
    urgency_reason = forms.CharField(
        label=_("Why is it urgent?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Art. 17: when the protection of the life, safety or freedom of persons requires it."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255)
    description = forms.CharField(
        label=_("Information sought"),
        min_length=DESCRIPTION_MIN_CHARS,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Describe the information as precisely as you can. Between 20 and 5000 characters."),
    )
    period_from = forms.DateField(
        label=_("Period covered: from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    period_to = forms.DateField(
        label=_("Period covered: to"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    document_kinds = forms.MultipleChoiceField(
        label=_("Kind of document (optional)"),
        choices=DocumentKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    delivery_mode = forms.ChoiceField(
        label=_("How do you want to receive it?"), choices=DeliveryMode.choices, initial=DeliveryMode.EMAIL
    )
    attachments = MultipleFileField(
        label=_("Documents (optional)"), required=False, widget=MultipleFileInput(attrs={"accept": ACCEPT})
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    requester_type = forms.ChoiceField(
        label=_("You are"), choices=RequesterType.choices, initial=RequesterType.MA_CITIZEN, widget=forms.RadioSelect
    )
    id_number = forms.CharField(
        label=_("CIN number, or residence-document number for a foreign resident"),
        max_length=32,
    )
    address = forms.CharField(label=_("Personal address"), max_length=300)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32, help_text=_("For example 0612345678."))
    publish_consent = forms.BooleanField(
        label=_("I agree that the answer is published in the public register, without my personal data"),
        required=False,
    )
    lawful_use_undertaking = forms.BooleanField(
        label=_("I undertake to use and reuse the information for lawful purposes (law 31-13, art. 6)"),
        error_messages={"required": _("You must undertake to use the information lawfully.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my personal data are processed to handle this request, under law 09-08 on the "
            "protection of personal data."
        ),
        error_messages={"required": _("You must accept the processing of your data to send the request.")},
    )
    idempotency_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("The form has expired: check it and send it again."),
            "invalid": _("The form has expired: check it and send it again."),
        },
    )

    def __init__(self, *args, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.fields["idempotency_key"].initial = self.initial.get("idempotency_key") or uuid.uuid4()
        self.fields["attachments"].help_text = _("Up to %(count)s files: PDF, photos, office documents.") % {
            "count": settings.CASE_MAX_ATTACHMENTS
        }

    def clean_attachments(self):
        return _check_files(self.cleaned_data.get("attachments") or [])

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("is_urgent") and not (cleaned.get("urgency_reason") or "").strip():
            self.add_error("urgency_reason", _("Say why the request is urgent."))
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period is before its start."))
        id_number, requester_type = cleaned.get("id_number"), cleaned.get("requester_type")
        if id_number:
            if requester_type == RequesterType.MA_CITIZEN:
                try:
                    cleaned["id_number"] = normalize_cin(id_number)
                except ValidationError as error:
                    self.add_error("id_number", error)
            else:
                cleaned["id_number"] = id_number.strip().upper()
        contact_checked = "email" in cleaned and "phone" in cleaned
        if contact_checked and not self.signed_in and not cleaned["email"] and not cleaned["phone"]:
            self.add_error("email", _("Give an email address or a phone number, so that we can reach you."))
        return cleaned


class TrackForm(HoneypotFormMixin, PortalForm):
    reference = forms.CharField(label=_("Reference"), max_length=40, help_text=_("For example INF-2026-0000123-K."))
    contact = forms.CharField(label=_("Email or phone given when filing"), max_length=254)


class MessageForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"), max_length=DESCRIPTION_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Documents (optional)"), required=False)

    def clean_attachments(self):
        return _check_files(self.cleaned_data.get("attachments") or [])


class ComplaintForm(PortalForm):
    """A complaint to the head of the body or to the commission (art. 19 and following)."""

    description = forms.CharField(
        label=_("Your complaint"),
        min_length=DESCRIPTION_MIN_CHARS,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Say why the answer, the refusal or the silence of the body does not satisfy you."),
    )
