"""Forms of the citizen side (shape and format only; the services decide the rest,
ARCHITECTURE.md §3.5). Every form works without JavaScript."""

from __future__ import annotations

import uuid

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.validators import normalize_cin, normalize_phone
from tawasul.cases.models import ComplainantType, IdType
from tawasul.core.forms import MultipleFileField, MultipleFileInput, PortalForm
from tawasul.core.honeypot import HoneypotFormMixin
from tawasul.registry.models import Administration, Commune, Province, Region

from .models import Kind
from .selectors import main_subjects_for, sub_subjects_for

#: Description length (issue 3 brief): long enough to be actionable, short enough to read.
DESCRIPTION_MIN_CHARS = 20
DESCRIPTION_MAX_CHARS = 5000

KIND_HELP = {
    # Decree 2-17-265, art. 2 (DOMAIN.md §2.1).
    Kind.COMPLAINT: _(
        "Harm suffered because of an act of the administration contrary to the law or to fairness, "
        "or dissatisfaction with a service."
    ),
    Kind.OBSERVATION: _("Your view of a public service."),
    Kind.SUGGESTION: _("A proposal to improve a public service."),
}


class AdministrationSearchForm(PortalForm):
    q = forms.CharField(label=_("Name of the administration"), required=False, max_length=200)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        to_field_name="code",
        empty_label=_("All regions"),
    )
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Administration.Kind.choices]
    )
    group = forms.ChoiceField(
        label=_("Group"), required=False, choices=[("", _("All groups")), *Administration.Group.choices]
    )


def _place_choices(qs, empty_label):
    return [("", empty_label), *((obj.code, obj.name()) for obj in qs)]


class ComplaintForm(HoneypotFormMixin, PortalForm):
    """Step 2: everything about the complaint, for one administration (chosen at step 1)."""

    kind = forms.ChoiceField(label=_("What do you want to send?"), choices=Kind.choices, widget=forms.RadioSelect)
    subject = forms.ChoiceField(label=_("Main subject"))
    sub_subject = forms.ChoiceField(label=_("Sub-subject"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    province = forms.ChoiceField(label=_("Province or prefecture"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    place_address = forms.CharField(label=_("Address or place concerned"), required=False, max_length=300)
    description = forms.CharField(
        label=_("Description"),
        min_length=DESCRIPTION_MIN_CHARS,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Say what happened, when and where. Between 20 and 5000 characters."),
    )
    attachments = MultipleFileField(
        label=_("Documents or photos"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.webp,.docx,.xlsx,.odt,.ods,.mp4"}),
    )
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    complainant_type = forms.ChoiceField(label=_("You are"), choices=ComplainantType.choices, initial="citizen")
    id_type = forms.ChoiceField(label=_("Identity document"), choices=IdType.choices, initial="cin")
    id_number = forms.CharField(label=_("Identity document number"), max_length=32)
    is_confidential = forms.BooleanField(
        label=_("Confidential: the administration will not see who filed this complaint"),
        required=False,
        help_text=_(
            "Your name, identity document and contact details stay with the platform; the administration "
            "only sees the complaint itself. Do not write your name in the description if you want this."
        ),
    )
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32, help_text=_("For example 0612345678."))
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

    def __init__(self, *args, administration: Administration, signed_in: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.administration = administration
        # A signed-in citizen is reached through the account; others must give a contact (R2).
        self.signed_in = signed_in
        self.fields["idempotency_key"].initial = self.initial.get("idempotency_key") or uuid.uuid4()
        mains = list(main_subjects_for(administration))
        subs = list(sub_subjects_for(administration))
        self.main_subjects = {str(s.pk): s for s in mains}
        self.sub_subjects = {str(s.pk): s for s in subs}
        self.fields["subject"].choices = [("", _("Choose a subject")), *((str(s.pk), s.name()) for s in mains)]
        groups: dict[int, list] = {}
        for sub in subs:
            groups.setdefault(sub.parent_id, []).append((str(sub.pk), sub.name()))
        self.fields["sub_subject"].choices = [
            ("", _("Choose a sub-subject (optional)")),
            *((main.name(), groups[main.pk]) for main in mains if main.pk in groups),
        ]
        self.fields["region"].choices = _place_choices(Region.objects.order_by("code"), _("Choose a region"))
        region_code = self._value("region")
        province_code = self._value("province")
        provinces = Province.objects.filter(region__code=region_code).order_by("code") if region_code else []
        self.fields["province"].choices = _place_choices(provinces, _("Choose a province or prefecture"))
        communes = Commune.objects.filter(province__code=province_code).order_by("code") if province_code else []
        self.fields["commune"].choices = _place_choices(communes, _("Choose a commune"))
        self.fields["attachments"].help_text = _(
            "Up to %(count)s files: PDF, photos (JPEG, PNG, WebP), office documents (DOCX, XLSX, ODT, ODS) "
            "up to %(mb)s MB each, MP4 videos up to %(video_mb)s MB."
        ) % {
            "count": settings.CASE_MAX_ATTACHMENTS,
            "mb": settings.UPLOAD_MAX_BYTES["pdf"] // 2**20,
            "video_mb": settings.UPLOAD_MAX_BYTES["video"] // 2**20,
        }

    def _value(self, name: str) -> str:
        if self.is_bound:
            return (self.data.get(self.add_prefix(name)) or "").strip()
        return str(self.initial.get(name) or "")

    # --- field checks ---------------------------------------------------------------------

    def clean_subject(self):
        return self.main_subjects[self.cleaned_data["subject"]]

    def clean_sub_subject(self):
        value = self.cleaned_data.get("sub_subject")
        return self.sub_subjects[value] if value else None

    def clean_region(self):
        code = self.cleaned_data.get("region")
        return Region.objects.get(code=code) if code else None

    def clean_province(self):
        code = self.cleaned_data.get("province")
        return Province.objects.select_related("region").get(code=code) if code else None

    def clean_commune(self):
        code = self.cleaned_data.get("commune")
        return Commune.objects.select_related("province").get(code=code) if code else None

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > settings.CASE_MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)s files."), code="too_many", params={"count": settings.CASE_MAX_ATTACHMENTS}
            )
        return files

    def clean_phone(self):
        phone = self.cleaned_data.get("phone", "").strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self):
        return self.cleaned_data.get("email", "").strip().lower()

    def clean(self):
        cleaned = super().clean()
        subject, sub = cleaned.get("subject"), cleaned.get("sub_subject")
        if subject is not None and sub is not None and sub.parent_id != subject.pk:
            self.add_error("sub_subject", _("The sub-subject does not belong to the main subject."))
        region, province, commune = cleaned.get("region"), cleaned.get("province"), cleaned.get("commune")
        if province is not None and region is not None and province.region_id != region.pk:
            self.add_error("province", _("The province is not in the chosen region."))
        if commune is not None and province is not None and commune.province_id != province.pk:
            self.add_error("commune", _("The commune is not in the chosen province."))
        id_type, id_number = cleaned.get("id_type"), cleaned.get("id_number")
        if id_number:
            if id_type == IdType.CIN:
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
    reference = forms.CharField(label=_("Reference"), max_length=40, help_text=_("For example CHK-2026-0004312-K."))
    contact = forms.CharField(label=_("Email or phone given when filing"), max_length=254)


class MessageForm(PortalForm):
    body = forms.CharField(
        label=_("Your message"), max_length=DESCRIPTION_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Documents or photos"), required=False)

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        if len(files) > settings.CASE_MAX_ATTACHMENTS:
            raise ValidationError(
                _("Attach at most %(count)s files."), code="too_many", params={"count": settings.CASE_MAX_ATTACHMENTS}
            )
        return files


class RateForm(PortalForm):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the answer?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = not at all satisfied, 5 = very satisfied."),
    )
    comment = forms.CharField(
        label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenForm(PortalForm):
    reason = forms.CharField(
        label=_("Why does the answer not settle your complaint?"),
        min_length=DESCRIPTION_MIN_CHARS,
        max_length=DESCRIPTION_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
