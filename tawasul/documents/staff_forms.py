"""The back office's action forms for the document-order workflow (interfaces.md "Staff action
forms"): each accepts and pops `case` and `actor`; its cleaned_data keys are the keyword arguments
of the service the workflow row names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.forms import PortalForm

from .models import RejectionReason
from .services import post_item_number_normalize

NOTE_MAX_CHARS = 2000


class _ActionForm(PortalForm):
    def __init__(self, *args, case=None, actor=None, **kwargs):
        self.case, self.actor = case, actor
        super().__init__(*args, **kwargs)


class RejectForm(_ActionForm):
    """R3: rejected with a reason (record not found, data mismatch); the refund follows."""

    reason = forms.ChoiceField(label=_("Reason"), choices=RejectionReason.choices, widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Explanation for the requester (optional)"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HandToPostForm(_ActionForm):
    """The registered item number is required (it is shown to the requester to follow the letter)."""

    item_number = forms.CharField(
        label=_("Registered item number"),
        max_length=20,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
        help_text=_("As printed on the receipt of the post, for example RR123456785MA."),
    )

    def clean_item_number(self):
        return post_item_number_normalize(self.cleaned_data["item_number"])
