"""Forms of the reception program: they check shape; the services decide the rest."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.core.forms import BootstrapBoundField, PortalForm
from tawasul.core.honeypot import HoneypotFormMixin

from .models import Activity, ChecklistItem, CheckState, ReceptionSite, SurveyChannel
from .rules import COMMENT_MAX_LENGTH, QUESTIONS, SCALE

SCALE_LABELS = {
    1: _("1 · Very dissatisfied"),
    2: _("2 · Dissatisfied"),
    3: _("3 · Neutral"),
    4: _("4 · Satisfied"),
    5: _("5 · Very satisfied"),
}


MARK_REQUIRED = _("Choose a mark from 1 to 5.")


class SurveyForm(HoneypotFormMixin, PortalForm):
    """The visitor's survey: five marks and an optional comment; no name, no contact."""

    ticket = forms.CharField(widget=forms.HiddenInput, required=False)
    channel = forms.ChoiceField(
        choices=SurveyChannel.choices, widget=forms.HiddenInput, required=False, initial=SurveyChannel.WEB
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        help_text=_("Do not write your name, phone number or ID number: the survey is anonymous."),
    )

    field_order = [name for name, _label in QUESTIONS] + ["comment"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[(n, SCALE_LABELS[n]) for n in SCALE],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": MARK_REQUIRED, "invalid_choice": MARK_REQUIRED},
            )
        self.order_fields(self.field_order)

    def clean_channel(self):
        return self.cleaned_data.get("channel") or SurveyChannel.WEB


class _ModelPortalForm(forms.ModelForm):
    bound_field_class = BootstrapBoundField
    error_summary = PortalForm.error_summary


class FacilitySearchForm(PortalForm):
    q = forms.CharField(label=_("Facility name or code"), max_length=100, min_length=2)


class ChecklistForm(PortalForm):
    """One state, date and note per item of R7's checklist."""

    def __init__(self, *args, checks=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = {c.item: c for c in (checks or [])}
        self.rows = []
        for item, label in ChecklistItem.choices:
            check = current.get(item)
            self.fields[f"state_{item}"] = forms.ChoiceField(
                label=label, choices=CheckState.choices, initial=check.state if check else CheckState.NOT_CHECKED
            )
            self.fields[f"checked_on_{item}"] = forms.DateField(
                label=_("Checked on"),
                required=False,
                initial=check.checked_on if check else None,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                help_text=_("Empty: today, when the state changes."),
            )
            self.fields[f"note_{item}"] = forms.CharField(
                label=_("Note"), required=False, max_length=300, initial=check.note if check else ""
            )
            self.rows.append((item, label))

    def bound_rows(self):
        return [
            (label, self[f"state_{item}"], self[f"checked_on_{item}"], self[f"note_{item}"])
            for item, label in self.rows
        ]

    def items(self) -> dict[str, dict]:
        data = self.cleaned_data
        return {
            item: {
                "state": data[f"state_{item}"],
                "checked_on": data.get(f"checked_on_{item}"),
                "note": data.get(f"note_{item}", ""),
            }
            for item, _label in self.rows
        }


class LabelForm(PortalForm):
    labelled_on = forms.DateField(
        label=_("Label date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Empty: today."),
    )


class ActivityPlanForm(_ModelPortalForm):
    """The national unit's form: the whole line of the progress table."""

    class Meta:
        model = Activity
        fields = [
            "title_ar",
            "title_fr",
            "title_zgh",
            "title_en",
            "administration",
            "site",
            "planned_start",
            "planned_end",
            "status",
            "completion",
            "started_on",
            "ended_on",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
            for name in ("planned_start", "planned_end", "started_on", "ended_on")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = ReceptionSite.objects.select_related("facility").order_by("code")
        self.fields["administration"].queryset = self.fields["administration"].queryset.order_by("name_ar")


class ActivityProgressForm(ActivityPlanForm):
    """The owner administration's form: progress only."""

    class Meta(ActivityPlanForm.Meta):
        fields = ["status", "completion", "started_on", "ended_on"]

    def __init__(self, *args, **kwargs):
        forms.ModelForm.__init__(self, *args, **kwargs)
