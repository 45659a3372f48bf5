"""Forms of the contact center: shape and format only; the services decide the rest
(ARCHITECTURE.md §3.5). Every form works without JavaScript."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.validators import normalize_phone
from tawasul.catalog.selectors import public_procedures
from tawasul.complaints.forms import ComplaintForm
from tawasul.core.forms import PortalForm
from tawasul.core.honeypot import HoneypotFormMixin
from tawasul.facilities.selectors import facility_list
from tawasul.registry.selectors import administrations_joined

from .models import Category, Channel, Language, RequesterCategory
from .services import AGENT_CHANNELS, COMPLAINT_CHANNELS

NOTE_MAX_CHARS = 1000
QUESTION_MAX_CHARS = 500


class AdministrationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name()


def _administrations():
    return administrations_joined().order_by("name_ar")


class ConsoleSearchForm(PortalForm):
    """What the agent looks up while on the call: procedures, facilities, administrations."""

    q = forms.CharField(label=_("Search the procedures, the facilities and the administrations"), max_length=200)


class ContactLinksMixin(forms.Form):
    """The procedure and the facility consulted, chosen from the console's search results."""

    procedure = forms.CharField(
        label=_("Procedure consulted (code)"),
        required=False,
        max_length=80,
        help_text=_("Filled in when you choose a procedure in the search results."),
    )
    facility = forms.IntegerField(
        label=_("Facility consulted (number)"),
        required=False,
        min_value=1,
        help_text=_("Filled in when you choose a facility in the search results."),
    )

    def clean_procedure(self):
        code = (self.cleaned_data.get("procedure") or "").strip()
        if not code:
            return None
        procedure = public_procedures().filter(code=code).first()
        if procedure is None:
            raise ValidationError(_("No published procedure has this code."), code="unknown_procedure")
        return procedure

    def clean_facility(self):
        pk = self.cleaned_data.get("facility")
        if not pk:
            return None
        facility = facility_list().filter(pk=pk).first()
        if facility is None:
            raise ValidationError(_("No facility has this number."), code="unknown_facility")
        return facility


class ContactLogForm(ContactLinksMixin, PortalForm):
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(c, Channel(c).label) for c in AGENT_CHANNELS], initial=Channel.PHONE
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("Choose a category")), *Category.choices])
    language = forms.ChoiceField(label=_("Language of the caller"), choices=Language.choices, initial=Language.AR)
    requester_category = forms.ChoiceField(label=_("The caller is"), choices=RequesterCategory.choices, required=False)
    administration = AdministrationChoiceField(
        label=_("Administration concerned"),
        queryset=_administrations(),
        to_field_name="code",
        required=False,
        empty_label=_("Not known"),
    )
    note = forms.CharField(
        label=_("Short note"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What was asked and answered. No identity card number or health details."),
    )
    callback = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].queryset = _administrations()


class CallerComplaintForm(ContactLinksMixin, ComplaintForm):
    """The complaints portal's own form, filled by the agent for the caller, plus the channel and
    what the contact log needs. The caller's consent is asked and ticked by the agent."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c, Channel(c).label) for c in COMPLAINT_CHANNELS],
        initial=Channel.PHONE,
        widget=forms.RadioSelect,
    )
    language = forms.ChoiceField(label=_("Language of the caller"), choices=Language.choices, initial=Language.AR)
    requester_category = forms.ChoiceField(label=_("The caller is"), choices=RequesterCategory.choices, required=False)
    note = forms.CharField(
        label=_("Short note for the contact log"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    callback = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("signed_in", False)  # the caller has no account here: a contact is required
        super().__init__(*args, **kwargs)
        self.fields["consent"].label = _(
            "The caller agrees that their personal data are processed to handle this complaint (law 09-08)."
        )
        self.fields["consent"].error_messages["required"] = _(
            "Ask the caller's agreement to the processing of their data, then tick this box."
        )


class StatisticsForm(PortalForm):
    PERIODS = (("month", _("Per month")), ("day", _("Per day")))

    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    period = forms.ChoiceField(label=_("Group"), choices=PERIODS, required=False)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end date must come after the start date."))
        if start and end and (end - start).days > 3700:
            self.add_error("start", _("Choose a period of at most ten years."))
        return cleaned

    def period_values(self) -> tuple:
        """(start, end, period) with the defaults: the last 12 months by month."""
        today = timezone.localdate()
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        period = data.get("period") or "month"
        end = data.get("end") or today
        default_start = (
            (end.replace(day=1) - timedelta(days=335)).replace(day=1) if period == "month" else end - timedelta(days=30)
        )
        return data.get("start") or default_start, end, period


class LogFilterForm(PortalForm):
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False)
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("All")), *Category.choices], required=False)
    language = forms.ChoiceField(label=_("Language"), choices=[("", _("All")), *Language.choices], required=False)
    start = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mine = forms.BooleanField(label=_("Only my contacts"), required=False)


class AssistantForm(HoneypotFormMixin, PortalForm):
    question = forms.CharField(
        label=_("Your question"),
        max_length=QUESTION_MAX_CHARS,
        min_length=3,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: how do I track my complaint? Do not write your name or identity card number."),
    )


class CallbackForm(HoneypotFormMixin, PortalForm):
    name = forms.CharField(label=_("Your name"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=32, help_text=_("For example 0612345678."))
    language = forms.ChoiceField(label=_("Language you prefer"), choices=Language.choices, initial=Language.AR)
    note = forms.CharField(
        label=_("What is it about?"),
        max_length=NOTE_MAX_CHARS,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that my name and phone number are used to call me back, under law 09-08 on the "
            "protection of personal data. They are erased once I have been called back."
        ),
        error_messages={"required": _("You must accept the processing of your data to be called back.")},
    )

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", ""))
