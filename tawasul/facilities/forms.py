"""The directory's filter form (GET, works without JavaScript).

Region → province → commune narrow one another: without JavaScript the citizen picks a region and
presses "Show", the page comes back with that region's provinces (the same as the complaints form).
"Near" takes a typed commune name (for people who refuse to share their location) or, filled by
`static/js/facilities-map.js`, the browser's coordinates in `lat`/`lon`.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from tawasul.registry.models import Administration, Region
from tawasul.registry.selectors import communes_of_province, provinces_of_region

from .models import MOROCCO_BBOX
from .selectors import facility_types, services_offered


class DirectoryForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    type = forms.ChoiceField(label=_("Type"), required=False)
    service = forms.ChoiceField(label=_("Service offered"), required=False)
    administration = forms.ChoiceField(label=_("Administration"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    province = forms.ChoiceField(label=_("Province or prefecture"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    near = forms.CharField(
        label=_("Near a commune or town"),
        required=False,
        max_length=200,
        help_text=_("Type a commune name to list the nearest facilities first."),
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["type"].choices = everything + [(t.code, t.name()) for t in facility_types()]
        self.fields["service"].choices = everything + [(s.code, s.name()) for s in services_offered()]
        running = Administration.objects.filter(facilities__isnull=False).distinct()
        self.fields["administration"].choices = everything + sorted(
            ((str(a.pk), a.name()) for a in running), key=lambda choice: choice[1]
        )
        self.fields["region"].choices = everything + [(r.code, r.name()) for r in Region.objects.order_by("code")]
        region, province = self.data.get("region", ""), self.data.get("province", "")
        provinces = [(p.code, p.name()) for p in provinces_of_region(region)]
        if province and province not in dict(provinces):
            province = ""  # the citizen changed the region and pressed "Show": drop the old province
        communes = [(c.code, c.name()) for c in communes_of_province(province)] if province else []
        if self.is_bound:
            self.data = self.data.copy()
            self.data["province"] = province
            if self.data.get("commune", "") not in dict(communes):
                self.data["commune"] = ""
        self.fields["province"].choices = everything + provinces
        self.fields["commune"].choices = everything + communes
        for name, field in self.fields.items():
            if isinstance(field, forms.ChoiceField):
                field.widget.attrs["class"] = "form-select"
            elif name in ("q", "near"):
                field.widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        lat, lon = data.get("lat"), data.get("lon")
        west, south, east, north = MOROCCO_BBOX
        if lat is None or lon is None or not (south - 1 <= lat <= north + 1 and west - 1 <= lon <= east + 1):
            data["lat"] = data["lon"] = None
        return data

    def filters(self) -> dict:
        """The selector filters chosen (empty ones left out)."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        keys = ("q", "type", "service", "administration", "region", "province", "commune")
        return {key: data[key] for key in keys if data.get(key)}
