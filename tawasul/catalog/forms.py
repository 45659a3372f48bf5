"""Forms of the catalog: they check shape and show law 55-19 errors next to the field; the
views then call the services."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from .models import Audience, Procedure, RequiredDocument
from .rules import check_document, check_procedure
from .services import DOCUMENT_FIELDS, EDITABLE_FIELDS, STEP_FIELDS


class BootstrapMixin:
    """Bootstrap classes on every widget (the shared field include renders them as they are)."""

    def _style(self):
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search a procedure"), required=False, max_length=200)
    theme = forms.SlugField(required=False)
    subtheme = forms.SlugField(required=False)
    audience = forms.ChoiceField(label=_("For"), required=False, choices=[("", _("Everyone")), *Audience.choices])
    administration = forms.SlugField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", ""), *Procedure.Kind.choices])
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


class WhereForm(forms.Form):
    """Where the citizen stands: the browser's position (GET lat/lon) or a typed commune."""

    lat = forms.FloatField(required=False, min_value=20, max_value=36.5)
    lon = forms.FloatField(required=False, min_value=-17.5, max_value=-0.9)
    commune = forms.CharField(label=_("Your commune"), required=False, max_length=120)


class ProcedureEditForm(BootstrapMixin, forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("For"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple, required=True
    )
    online_service_url = forms.URLField(label=_("online service"), required=False, assume_scheme="https")

    class Meta:
        model = Procedure
        fields = [f for f in EDITABLE_FIELDS if f != "code"]
        widgets = {"last_verified_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["audiences"] = self.instance.audience_list
        from .selectors import subtheme_choices

        # Every sub-theme, one group per theme (a script shows only the chosen theme's group);
        # the server refuses a sub-theme of another theme (rules.check_procedure).
        self.fields["subtheme"].choices = [("", "---------"), *subtheme_choices()]
        self.fields["subtheme"].help_text = _("Choose a sub-theme of the theme chosen above.")
        self.fields["subtheme"].widget.attrs["data-subtheme-select"] = ""
        self.fields["theme"].widget.attrs["data-theme-select"] = ""
        for name in self.fields:
            if name.endswith("_ar") and isinstance(self.fields[name].widget, (forms.TextInput, forms.Textarea)):
                self.fields[name].widget.attrs["dir"] = "rtl"
            if name.endswith("_zgh") or name.endswith("_fr") or name.endswith("_en"):
                self.fields[name].widget.attrs["dir"] = "ltr"
            if isinstance(self.fields[name].widget, forms.Textarea):
                self.fields[name].widget.attrs["rows"] = 3
        self._style()

    def clean(self):
        data = super().clean()
        probe = Procedure(**{k: v for k, v in data.items() if k in EDITABLE_FIELDS and k not in ("audiences",)})
        for name, messages in check_procedure(probe).items():
            for message in messages:
                if name in self.fields:
                    self.add_error(name, message)
        return data

    def _post_clean(self):
        # The model's own clean() needs `administration`, which the view gives the service.
        pass

    def service_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k in EDITABLE_FIELDS}


class DepositPlacesForm(forms.Form):
    """The deposit-place picker of the editor (works without JavaScript): the places kept are
    checkboxes (`selected`); a search by name and commune (the "find" button submits the whole
    editor form without saving) adds unticked choices below them."""

    FIND = "places-find"

    selected = forms.ModelMultipleChoiceField(
        label=_("Deposit places"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    q = forms.CharField(label=_("Facility name or code"), required=False, max_length=120)
    commune = forms.CharField(label=_("Commune"), required=False, max_length=120)

    def __init__(self, *args, procedure=None, **kwargs):
        from tawasul.facilities.models import Facility

        kwargs.setdefault("prefix", "places")
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = Facility.objects.filter(is_active=True)
        self.procedure = procedure

    def kept(self) -> list:
        """The places ticked (bound) or the procedure's current places (unbound)."""
        from tawasul.facilities.selectors import facility_list

        if not self.is_bound:
            if self.procedure is None:
                return []
            ids = list(self.procedure.deposit_places.values_list("pk", flat=True))
            return list(facility_list(ids=ids).order_by("name_ar", "id"))
        ids = [v for v in self.data.getlist(self.add_prefix("selected")) if str(v).isdigit()]
        return list(facility_list(ids=ids).order_by("name_ar", "id"))

    def search_terms(self) -> tuple[str, str]:
        if not self.is_bound:
            return "", ""
        q = (self.data.get(self.add_prefix("q")) or "")[:120]
        commune = (self.data.get(self.add_prefix("commune")) or "")[:120]
        return q, commune


class NewProcedureForm(ProcedureEditForm):
    code = forms.SlugField(label=_("code"), max_length=80)

    class Meta(ProcedureEditForm.Meta):
        fields = list(EDITABLE_FIELDS)

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Procedure.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is already used."))
        return code


class DocumentForm(BootstrapMixin, forms.ModelForm):
    class Meta:
        model = RequiredDocument
        fields = list(DOCUMENT_FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_ar"].widget.attrs["dir"] = "rtl"
        self._style()

    def clean(self):
        data = super().clean()
        probe = RequiredDocument(**{k: data.get(k) for k in DOCUMENT_FIELDS if k in data})
        for name, messages in check_document(probe).items():
            for message in messages:
                self.add_error(name, message)
        return data

    def _post_clean(self):
        pass


class StepForm(BootstrapMixin, forms.Form):
    text_ar = forms.CharField(label=_("step (Arabic)"), widget=forms.Textarea(attrs={"rows": 2, "dir": "rtl"}))
    text_fr = forms.CharField(label=_("step (French)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text_zgh = forms.CharField(label=_("step (Amazigh)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    text_en = forms.CharField(label=_("step (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


DocumentFormSet = formset_factory(DocumentForm, extra=2, max_num=40, validate_max=True)
StepFormSet = formset_factory(StepForm, extra=2, max_num=30, validate_max=True)


def formset_rows(formset, fields) -> list[dict]:
    """The filled rows of a valid formset, in order (blank extra rows dropped)."""
    return [{k: f.cleaned_data.get(k) for k in fields} for f in formset.forms if f.cleaned_data]


class ReturnForm(forms.Form):
    note = forms.CharField(
        label=_("Why (for the editor)"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


STEP_ROW_FIELDS = STEP_FIELDS


class FormUploadForm(BootstrapMixin, forms.Form):
    """A downloadable form (PDF or office document); its content is checked by the service."""

    title_ar = forms.CharField(
        label=_("form title (Arabic)"), max_length=255, widget=forms.TextInput(attrs={"dir": "rtl"})
    )
    title_fr = forms.CharField(label=_("form title (French)"), max_length=255, required=False)
    file = forms.FileField(label=_("File (PDF or office document)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
