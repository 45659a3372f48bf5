"""Serializer pieces that refuse what DRF would quietly coerce (ARCHITECTURE.md §1 hardening).

DRF turns `123` into `"123"` for a text field, `"yes"` or `1` into `True` for a boolean and
`"3"` into `3` for an integer. A client that sends the wrong type has a bug worth a clear 400;
these fields accept exactly the JSON type the schema announces. `StrictSerializer` also refuses
keys it does not know (a misspelt optional field would otherwise be ignored in silence).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.utils.formatting import lazy_format

from .acceptance import acceptance_plan

__all__ = [
    "FieldTemplatesMixin",
    "StrictBooleanField",
    "StrictCharField",
    "StrictEmailField",
    "StrictIntegerField",
    "StrictSerializer",
]

#: At most this many unknown keys are reported, each name cut to this length.
MAX_UNKNOWN_REPORTED = 10
MAX_UNKNOWN_NAME = 64


class _StringOnly:
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictCharField(_StringOnly, serializers.CharField):
    pass


class StrictEmailField(_StringOnly, serializers.EmailField):
    default_error_messages = {"invalid": _("Enter a valid email address.")}


class StrictBooleanField(serializers.BooleanField):
    def to_internal_value(self, data):
        if data is True or data is False:
            return data
        self.fail("invalid", input=data)


class StrictIntegerField(serializers.IntegerField):
    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictSerializer(serializers.Serializer):
    """Unknown keys are refused; a body that is valid field by field is accepted through a plan
    built once per class (`tawasul.api.acceptance`, issue 7), anything else takes DRF's own path,
    which gives the errors."""

    #: False: every body takes DRF's own path (the tests compare both).
    accept_by_plan = True

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            plan = acceptance_plan(type(self))
            names = plan.names if plan is not None else self.fields
            unknown = sorted(str(key) for key in data if key not in names)[:MAX_UNKNOWN_REPORTED]
            if unknown:
                raise serializers.ValidationError(
                    {name[:MAX_UNKNOWN_NAME]: [_("This field is not part of the request.")] for name in unknown}
                )
            if plan is not None and type(data) is dict and not getattr(self.root, "partial", False):
                accepted = plan.accept(self, data)
                if accepted is not None:
                    return accepted
        return super().to_internal_value(data)

    def run_validators(self, value):
        # DRF's own first merges the defaults of read-only fields, which builds and binds every
        # field: a planned class has no such default, so without validators there is nothing to run.
        if acceptance_plan(type(self)) is not None and not self.validators:
            return
        super().run_validators(value)


class FieldTemplatesMixin:
    """Build a serializer's fields once per class instead of once per request (issue 7).

    DRF deep-copies every declared field for each serializer instance (`Serializer.get_fields`),
    and a field's deep copy runs its `__init__` again (validators, choices, messages): on the
    filing endpoint that was a quarter of the request's CPU. Here DRF's deep copy is made once per
    class and kept unbound, as templates; each instance gets a shallow copy of each template, which
    DRF then binds to it (`field_name`, `parent`, `source`) as usual. A copy shares only what DRF
    never changes after `__init__` (its validators, error messages and choices), except one cache:
    DRF's `lazy_format` keeps the first text it renders (a length message in the language of the
    first request), so the templates' validators get a `lazy_format` that renders every time.
    Serializers that nest serializers keep DRF's own deep copy (a nested serializer holds
    per-instance state).
    `tawasul/api/tests/test_field_templates.py` checks errors and data equal DRF's own path.
    """

    _field_templates: dict[type, dict | None] = {}
    _field_templates_lock = threading.Lock()

    def get_fields(self):
        cls = type(self)
        templates = FieldTemplatesMixin._field_templates.get(cls, False)
        if templates is False:
            with FieldTemplatesMixin._field_templates_lock:
                fields = super().get_fields()  # DRF's deep copy of the declared fields, unbound
                nested = any(isinstance(field, serializers.BaseSerializer) for field in fields.values())
                templates = None if nested else _fresh_messages(fields)
                FieldTemplatesMixin._field_templates[cls] = templates
            if templates is None:
                return fields
        if templates is None:
            return super().get_fields()
        return {name: _shallow_copy(field) for name, field in templates.items()}


class _FreshFormat(lazy_format):
    """DRF's `lazy_format` without its cache: rendered in the active language at every use."""

    __slots__ = ()

    def __str__(self):
        return self.format_string.format(*self.args, **self.kwargs)


def _shallow_copy(field):
    """`copy.copy(field)` without the pickling protocol: a new object of the field's class holding
    the same attributes (DRF's `Field.__new__` only records the arguments, already in them)."""
    clone = object.__new__(type(field))
    clone.__dict__.update(field.__dict__)
    return clone


def _fresh_messages(fields: dict) -> dict:
    for field in fields.values():
        for validator in field.validators:
            message = getattr(validator, "message", None)
            if type(message) is lazy_format and message.result is None:
                validator.message = _FreshFormat(message.format_string, *message.args, **message.kwargs)
    return fields
