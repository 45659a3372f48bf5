"""The public directory's search form (GET, works without JavaScript)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Administration, Region


class SearchInput(forms.TextInput):
    input_type = "search"


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200, widget=SearchInput)
    region = forms.ChoiceField(label=_("Region"), required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)
    group = forms.ChoiceField(label=_("Group"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        # Region names in the active language (Region.__str__), ordered by HCP code.
        self.fields["region"].choices = everything + [(r.code, str(r)) for r in Region.objects.order_by("code")]
        self.fields["kind"].choices = everything + list(Administration.Kind.choices)
        self.fields["group"].choices = everything + list(Administration.Group.choices)
        self.fields["q"].widget.attrs["class"] = "form-control"
        for name in ("region", "kind", "group"):
            self.fields[name].widget.attrs["class"] = "form-select"
