"""The citizen's own profile: what the portals' forms would otherwise ask again each time."""

from django import forms

from .models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone", "cin", "postal_address", "preferred_language"]
        widgets = {
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "dir": "ltr"}),
            "cin": forms.TextInput(attrs={"autocapitalize": "characters", "dir": "ltr"}),
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "postal_address": forms.TextInput(attrs={"autocomplete": "street-address"}),
        }
