"""Forms of the jobs portal: shape and format only; the rules of R4 are in `services.py`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.validators import normalize_cin, normalize_phone
from tawasul.core.forms import PortalForm

from .models import Channel, ExamTest, Notice, NoticeKind
from .services import LineData, TestData

STATE_CHOICES = [("", _("All")), ("open", _("Open for applications")), ("closed", _("Closed"))]


class NoticeFilterForm(PortalForm):
    q = forms.CharField(label=_("Words"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind of notice"), required=False, choices=[("", _("All")), *NoticeKind.choices])
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    state = forms.ChoiceField(label=_("Applications"), required=False, choices=STATE_CHOICES)

    def __init__(self, *args, administrations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["administration"].choices = [("", _("All")), *administrations]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "kind": data.get("kind") or "",
            "administration": data.get("administration") or "",
            "state": data.get("state") or "",
            "words": data.get("q") or "",
        }


class CandidateProfileForm(PortalForm):
    cin = forms.CharField(label=_("National identity card number (CIN)"), max_length=10)
    phone = forms.CharField(label=_("Phone number"), max_length=20, help_text=_("For example 0612345678."))
    birth_date = forms.DateField(
        label=_("Date of birth"), widget=forms.DateInput(attrs={"type": "date"}), help_text=_("Format: YYYY-MM-DD.")
    )
    diplomas = forms.CharField(
        label=_("Diplomas"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("One diploma per line, with the year and the institution."),
    )
    experience = forms.CharField(
        label=_("Professional experience"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    prior_service_years = forms.IntegerField(
        label=_("Years of prior pensionable public service"),
        min_value=0,
        max_value=45,
        initial=0,
        help_text=_("They extend the upper age limit of a competition, up to 45 years."),
    )

    def clean_cin(self):
        return normalize_cin(self.cleaned_data["cin"])

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])


class ApplicationForm(PortalForm):
    line = forms.ModelChoiceField(label=_("Speciality and posting place"), queryset=None, empty_label=None)
    centre = forms.ModelChoiceField(label=_("Exam centre"), queryset=None, required=False)
    is_civil_servant = forms.BooleanField(label=_("I am a serving civil servant"), required=False)
    authorisation = forms.FileField(
        label=_("Authorisation of my administration to sit the competition"),
        required=False,
        help_text=_("Required from serving civil servants. PDF or photo."),
    )
    certify = forms.BooleanField(label=_("I certify that the information and documents I give are accurate."))

    def __init__(self, *args, notice: Notice, **kwargs):
        super().__init__(*args, **kwargs)
        self.notice = notice
        self.fields["line"].queryset = notice.lines.all()
        self.fields["line"].label_from_instance = lambda line: " · ".join(
            part for part in (line.speciality, line.posting_place) if part
        )
        centres = notice.centres.all()
        self.fields["centre"].queryset = centres
        self.fields["centre"].required = centres.exists()
        if not self.fields["centre"].required:
            self.fields["centre"].widget = forms.HiddenInput()
        self.document_fields = []
        for doc in notice.documents.all():
            name = f"doc_{doc.pk}"
            self.fields[name] = forms.FileField(label=doc.name, help_text=_("PDF or photo."))
            self.document_fields.append(name)

    def clean(self):
        data = super().clean()
        if data.get("is_civil_servant") and not data.get("authorisation"):
            self.add_error(
                "authorisation",
                _("Serving civil servants must attach their administration's authorisation to sit the competition."),
            )
        return data

    def documents(self) -> dict[int, object]:
        return {int(name[4:]): self.cleaned_data.get(name) for name in self.document_fields}

    def document_bound_fields(self):
        return [self[name] for name in self.document_fields]


def _lines(text: str) -> list[list[str]]:
    return [[part.strip() for part in row.split("|")] for row in text.splitlines() if row.strip()]


class NoticeForm(PortalForm, forms.ModelForm):
    deadline_at = forms.DateTimeField(
        label=_("Application deadline (date and time, Morocco)"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    lines_text = forms.CharField(
        label=_("Posts per speciality"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("One line each: speciality | posting place | number of posts."),
    )
    centres_text = forms.CharField(
        label=_("Exam centres"), required=False, widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line.")
    )
    tests_text = forms.CharField(
        label=_("Tests"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One line each: written, oral or practical | duration in minutes | coefficient."),
    )
    documents_text = forms.CharField(
        label=_("Documents of the application file"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )

    class Meta:
        model = Notice
        fields = [
            "kind",
            "title_ar",
            "title_fr",
            "grade",
            "scale",
            "exam_date",
            "deadline_at",
            "application_channel",
            "application_target",
            "age_max",
            "age_extension_for_prior_service",
            "age_limit_waived_for_civil_servants",
            "diplomas",
            "conditions",
            "quota_veterans_percent",
            "quota_disability_percent",
        ]
        widgets = {
            "exam_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "diplomas": forms.Textarea(attrs={"rows": 3}),
            "conditions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        notice = self.instance
        if notice.pk and not self.is_bound:
            self.initial["lines_text"] = "\n".join(
                f"{li.speciality} | {li.posting_place} | {li.posts}" for li in notice.lines.all()
            )
            self.initial["centres_text"] = "\n".join(c.name for c in notice.centres.all())
            self.initial["tests_text"] = "\n".join(
                f"{t.type} | {t.duration_minutes} | {t.coefficient}" for t in notice.tests.all()
            )
            self.initial["documents_text"] = "\n".join(d.name for d in notice.documents.all())

    def clean_lines_text(self) -> list[LineData]:
        result = []
        for parts in _lines(self.cleaned_data["lines_text"]):
            if len(parts) != 3 or not parts[0] or not parts[2].isdigit() or int(parts[2]) < 1:
                raise ValidationError(_("Write each line as: speciality | posting place | number of posts."))
            result.append(LineData(speciality=parts[0][:200], posting_place=parts[1][:200], posts=int(parts[2])))
        if not result:
            raise ValidationError(_("Give at least one line (speciality and number of posts)."))
        return result

    def clean_tests_text(self) -> list[TestData]:
        result = []
        for parts in _lines(self.cleaned_data["tests_text"]):
            if (
                len(parts) != 3
                or parts[0] not in ExamTest.Type.values
                or not parts[1].isdigit()
                or not parts[2].isdigit()
            ):
                raise ValidationError(_("Write each test as: written, oral or practical | minutes | coefficient."))
            result.append(TestData(type=parts[0], duration_minutes=int(parts[1]), coefficient=int(parts[2])))
        return result

    def clean_centres_text(self) -> list[str]:
        return [row[0][:200] for row in _lines(self.cleaned_data["centres_text"])]

    def clean_documents_text(self) -> list[str]:
        return [row[0][:300] for row in _lines(self.cleaned_data["documents_text"])]

    def clean(self):
        data = super().clean()
        channel = data.get("application_channel")
        if channel and channel != Channel.PORTAL and not data.get("application_target"):
            self.add_error("application_target", _("Say where to apply (web address, email or postal address)."))
        return data

    def notice_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ListPublishForm(PortalForm):
    """A rank per candidate of the previous list; blank leaves the candidate off this list."""

    def __init__(self, *args, candidates=(), direct: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        if direct:  # Art. 92 with no candidacy: the minister proposes a person directly
            self.fields["direct_name"] = forms.CharField(
                label=_("Name of the person proposed directly by the minister"), max_length=300
            )
        for application in self.candidates:
            self.fields[f"rank_{application.pk}"] = forms.IntegerField(
                label=f"{application.full_name} ({application.reference})", required=False, min_value=1
            )

    def ordered_ids(self) -> list[int]:
        ranked = [
            (self.cleaned_data[f"rank_{a.pk}"], a.pk)
            for a in self.candidates
            if self.cleaned_data.get(f"rank_{a.pk}") is not None
        ]
        return [pk for _rank, pk in sorted(ranked)]

    def rows(self):
        return [(a, self[f"rank_{a.pk}"]) for a in self.candidates]


class WithdrawalForm(PortalForm):
    reference = forms.CharField(label=_("Reference of the application"), max_length=24)


class NoticeFileForm(PortalForm):
    file = forms.FileField(label=_("PDF file"))
