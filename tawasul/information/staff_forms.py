"""The back office's action forms for the law 31-13 workflow (interfaces.md "Staff action
forms"): each accepts and pops `case` and `actor`, names its free text `note`, and its
cleaned_data keys are the keyword arguments of the service the workflow row names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.forms import PortalForm
from tawasul.registry.models import Administration
from tawasul.registry.selectors import administrations_joined

from .models import ExtensionReason, Outcome, ProactiveEntry, RefusalGround

NOTE_MAX_CHARS = 5000


class _ActionForm(PortalForm):
    def __init__(self, *args, case=None, actor=None, **kwargs):
        self.case, self.actor = case, actor
        super().__init__(*args, **kwargs)


def _note(label, *, required=True):
    return forms.CharField(
        label=label, required=required, max_length=NOTE_MAX_CHARS, widget=forms.Textarea(attrs={"rows": 4})
    )


class ExtendForm(_ActionForm):
    """Art. 16: one of the four legal reasons, and a text for the requester."""

    reason = forms.ChoiceField(label=_("Legal reason for the extension"), choices=ExtensionReason.choices)
    note = _note(_("Explanation for the requester"), required=False)


class CostsForm(_ActionForm):
    """Art. 5: reproduction and sending costs (the request itself is free)."""

    amount = forms.DecimalField(label=_("Amount (MAD)"), min_value=0.01, max_digits=10, decimal_places=2)
    purpose = forms.CharField(label=_("What the costs are for"), max_length=300)


class AnswerForm(_ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    ground = forms.ChoiceField(
        label=_("Legal ground for what is withheld (partial answer)"),
        choices=[("", _("None")), *RefusalGround.choices],
        required=False,
    )
    note = _note(_("Answer to the requester"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("outcome") == Outcome.PARTIAL and not cleaned.get("ground"):
            self.add_error("ground", _("Give the legal ground for what is withheld."))
        return cleaned


class RefuseForm(_ActionForm):
    """R1: a refusal names its legal ground and gives its reason in writing."""

    ground = forms.ChoiceField(
        label=_("Legal ground of the refusal"),
        choices=[("", _("Choose the legal ground")), *RefusalGround.choices],
        error_messages={"required": _("A refusal must name its legal ground.")},
    )
    note = _note(_("Written reason of the refusal"))


class AlreadyPublishedForm(_ActionForm):
    entry = forms.ModelChoiceField(
        label=_("Entry of the proactive-publication register"), queryset=ProactiveEntry.objects.none(), required=False
    )
    url = forms.URLField(label=_("Or the address where it is published"), required=False, assume_scheme="https")
    note = _note(_("Message to the requester"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.case is not None:
            self.fields["entry"].queryset = ProactiveEntry.objects.filter(administration_id=self.case.administration_id)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("entry") and not cleaned.get("url"):
            self.add_error("url", _("Give the entry of the register or the address where it is published."))
        return cleaned


class NotHeldForm(_ActionForm):
    redirect_to = forms.ModelChoiceField(
        label=_("Body that may hold the information"),
        queryset=Administration.objects.none(),
        to_field_name="code",
        required=False,
    )
    note = _note(_("Message to the requester"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        joined = administrations_joined()
        if self.case is not None:
            joined = joined.exclude(pk=self.case.administration_id)
        self.fields["redirect_to"].queryset = joined


class PublishForm(PortalForm):
    """The version of the answer for the public register, with the personal data removed."""

    redacted_text = forms.CharField(
        label=_("Version to publish (without personal data)"),
        max_length=NOTE_MAX_CHARS * 2,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
