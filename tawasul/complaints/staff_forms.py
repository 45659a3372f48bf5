"""The back office's action forms for the complaints workflow, and the problem pages' forms
(interfaces.md "Staff action forms"): every action form accepts and pops `case` and `actor`,
names its free text `note`, and its cleaned_data keys are the keyword arguments of the service
the workflow row names. Shape only: the services decide the rules (ARCHITECTURE.md §3.5)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.forms import PortalForm
from tawasul.registry.selectors import administrations_joined

from .models import InadmissibleGround, Outcome

#: Length of an officer's text to the citizen (the citizen's own description allows as much).
NOTE_MAX_CHARS = 5000


class _ActionForm(PortalForm):
    def __init__(self, *args, case=None, actor=None, **kwargs):
        self.case, self.actor = case, actor
        super().__init__(*args, **kwargs)


def _note(label, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=NOTE_MAX_CHARS,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class AnswerForm(_ActionForm):
    """The public answer and its outcome (DOMAIN.md R2; interfaces.md "Answer outcome")."""

    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    note = _note(_("Answer to the complainant"), help_text=_("The complainant reads this text."))


class TransferForm(_ActionForm):
    """To the competent administration, with the reason the complainant is given (decree
    2-17-265: a matter outside the administration's competence is redirected)."""

    administration = forms.ModelChoiceField(
        label=_("Competent administration"), queryset=administrations_joined().none(), empty_label=_("Choose")
    )
    note = _note(_("Reason of the transfer"), help_text=_("The complainant reads this reason."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = administrations_joined().order_by("name_ar", "pk")
        if self.case is not None:
            queryset = queryset.exclude(pk=self.case.administration_id)
        self.fields["administration"].queryset = queryset


class InadmissibleForm(_ActionForm):
    """A legal ground (decree 2-17-265, DOMAIN.md §2.1 and R2) and the written reason."""

    ground = forms.ChoiceField(
        label=_("Ground"),
        choices=[("", _("Choose the ground")), *InadmissibleGround.choices],
        error_messages={"required": _("Choose the ground of inadmissibility.")},
    )
    note = _note(_("Written reason for the complainant"))


class DuplicateForm(_ActionForm):
    """The reference of the original complaint; the complainant is given its status line."""

    original_reference = forms.CharField(
        label=_("Reference of the original complaint"),
        max_length=32,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    note = _note(_("Message to the complainant (optional)"), required=False)


# --- Problems (staff pages of this portal) ---------------------------------------------------


class ProblemForm(PortalForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Root cause, as known"),
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    administration = forms.ModelChoiceField(label=_("Administration"), queryset=administrations_joined().none())

    def __init__(self, *args, administrations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if administrations is not None:
            self.fields["administration"].queryset = administrations
            if len(administrations) == 1:
                self.fields["administration"].initial = administrations[0].pk


class LinkCaseForm(PortalForm):
    reference = forms.CharField(
        label=_("Reference of the complaint"),
        max_length=32,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )


class LinkToProblemForm(PortalForm):
    """From a case's panel: choose one of the open problems the officer can see."""

    problem = forms.TypedChoiceField(label=_("Problem"), coerce=int)

    def __init__(self, *args, problems=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problem"].choices = [("", _("Choose")), *((p.pk, p.title) for p in problems)]


class ResolveProblemForm(PortalForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    resolution = forms.CharField(
        label=_("Resolution"),
        max_length=NOTE_MAX_CHARS,
        help_text=_("Sent as the answer to every linked complainant."),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
