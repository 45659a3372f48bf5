"""The dashboard's filters (GET; every field optional, bad input reported next to the field)."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tawasul.core.calendar import CALENDAR_TZ

from .indicators import PROVIDERS, Period
from .models import Report

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: At most this many months in one view (a longer period is the year-end report's job).
MAX_MONTHS = 36


def parse_month(value: str) -> date | None:
    match = _MONTH.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def current_month() -> date:
    return timezone.now().astimezone(CALENDAR_TZ).date().replace(day=1)


def months_before(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


class MonthField(forms.CharField):
    default_error_messages = {"invalid": _("Give a month as YYYY-MM, for example 2026-03.")}

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        month = parse_month(value.strip())
        if month is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return month


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)
    portal = forms.ChoiceField(label=_("Portal"), required=False)
    administration = forms.TypedChoiceField(label=_("Administration"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, administrations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["portal"].choices = [("", _("All portals"))] + [(p.portal, p.label) for p in PROVIDERS.values()]
        self.fields["administration"].choices = [("", _("All administrations in my scope"))] + [
            (a.pk, a.name()) for a in administrations
        ]
        for name in ("start", "end"):
            self.fields[name].widget.attrs.update({"placeholder": "YYYY-MM", "inputmode": "numeric", "maxlength": 7})
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = css
            if self.is_bound and name in self.errors:
                field.widget.attrs.update({"class": f"{css} is-invalid", "aria-describedby": f"id_{name}-error"})

    def clean(self):
        data = super().clean()
        end = data.get("end") or current_month()
        start = data.get("start") or months_before(end, 11)
        if start > end:
            self.add_error("start", _("The first month must come before the last one."))
        elif len(Period(start, end).months()) > MAX_MONTHS:
            self.add_error("start", _("Choose at most %(count)s months.") % {"count": MAX_MONTHS})
        data["period"] = Period(start, end)
        return data


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"), choices=Report.Kind.choices)
    month = MonthField(
        label=_("Month (for the year-end report: any month of the year)"),
        widget=forms.TextInput(attrs={"placeholder": "YYYY-MM", "inputmode": "numeric", "maxlength": 7}),
    )

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month is not None and month > current_month():
            raise forms.ValidationError(_("Choose a month that has begun."))
        return month
