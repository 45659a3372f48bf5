"""A honeypot field for public forms (issue 8 item 4 "a honeypot field on public forms").

The field is in the HTML but hidden from people: out of sight (`visually-hidden`), out of the tab
order and hidden from screen readers (`aria-hidden` on its wrapper, `templates/includes/
honeypot.html`). A person leaves it empty; a bot that fills every input fills it. A filled
honeypot makes the form invalid with a generic error at the top ("could not be sent") and
nothing is stored: the bot learns nothing precise, and a person whose browser autofilled the
field by mistake can still send the form again (it comes back empty).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: The field's name: a word a form-filling bot expects to fill, that no public form asks for.
HONEYPOT_FIELD = "website"


class HoneypotFormMixin(forms.Form):
    """Add to a public form class; render `{% include "includes/honeypot.html" with field=form.website %}`."""

    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_website(self):
        value = self.cleaned_data.get(HONEYPOT_FIELD, "")
        if value:
            raise ValidationError(_("The form could not be sent. Check it and try again."), code="honeypot")
        return ""

    def add_error(self, field, error):
        # The honeypot's error is shown as a form error: the hidden field has no place on screen.
        if field == HONEYPOT_FIELD:
            field = None
        super().add_error(field, error)

    @property
    def caught_by_honeypot(self) -> bool:
        return any(error.code == "honeypot" for error in self.errors.as_data().get("__all__", []))
