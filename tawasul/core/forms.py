"""Form pieces every portal shares: Bootstrap 5 rendering with accessible errors, the error
summary at the top of a page, and a field for several files (ARCHITECTURE.md §3.5: forms check
shape and format; the services decide the rest)."""

from __future__ import annotations

from django import forms


class BootstrapBoundField(forms.BoundField):
    """Bootstrap 5 classes on every widget, `is-invalid` and the error's id on a field in error
    (WCAG 3.3.1: the error is tied to its field)."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if isinstance(widget, forms.RadioSelect | forms.CheckboxInput | forms.CheckboxSelectMultiple):
            base = "form-check-input"
        elif isinstance(widget, forms.Select):
            base = "form-select"
        elif isinstance(widget, forms.HiddenInput):
            return attrs
        else:
            base = "form-control"
        classes = [attrs.get("class", ""), base]
        if self.form.is_bound and self.errors:
            classes.append("is-invalid")
            described = attrs.get("aria-describedby", "")
            attrs["aria-describedby"] = f"{described} {self.auto_id}_error".strip()
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


class PortalForm(forms.Form):
    """A form of the platform: Bootstrap rendering and an error summary."""

    bound_field_class = BootstrapBoundField

    def error_summary(self) -> list[tuple[str, str, list[str]]]:
        """(anchor, label, messages) of every error, for the summary at the top of the page."""
        summary = [("", "", list(self.non_field_errors()))] if self.non_field_errors() else []
        for name, errors in self.errors.items():
            if name == forms.forms.NON_FIELD_ERRORS:
                continue
            bound = self[name]
            summary.append((bound.auto_id, str(bound.label), list(errors)))
        return summary


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `FileField`, the contents by the services
    (`tawasul.core.uploads`)."""

    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]
