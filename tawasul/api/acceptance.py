"""Valid bodies accepted without DRF's per-field machinery (issue 7: ~a tenth of a filing's CPU).

DRF validates a body field by field through `get_value`, `run_validation`,
`validate_empty_values`, `to_internal_value` and `run_validators`, each with its own exception
handling, after binding every field to the serializer. For a `StrictSerializer` whose fields are
plain text, boolean, integer and choice fields, `acceptance_plan` reads once per class what those
steps do (required or not, blank and null allowed, trimmed, the default, the choices, the length
limits, the other validators) and `AcceptancePlan.accept` runs the same checks in one loop.

It only ever accepts. When any value is not exactly what DRF would accept unchanged by another
rule — a wrong type, a blank or null not allowed, a length over the limit, a validator or a
`validate_<field>` method that raises — it returns None and the serializer takes DRF's own path,
which finds the same fault and words the errors. So what it accepts, DRF accepts with the same
validated data (`tawasul/api/tests/test_fast_acceptance.py` compares both on fixed and on
generated bodies); only a refused body pays twice, and the `validate_<field>` methods a refused
body reached run twice (they must be free of side effects, as DRF's own retries assume).

A serializer that builds its fields per instance (its own `__init__` or `get_fields`), holds a
field of another kind (nested, list, decimal, date...) or says `accept_by_plan = False` keeps
DRF's path.
"""

from __future__ import annotations

from django.core import validators as django_validators
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import fields as drf_fields
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.fields import SkipField, empty
from rest_framework.validators import ProhibitSurrogateCharactersValidator

__all__ = ["AcceptancePlan", "acceptance_plan"]

_REFUSED = object()

# Kinds of field the plan reads, and kinds of validator it checks itself.
_TEXT, _BOOLEAN, _INTEGER, _CHOICE = "text", "boolean", "integer", "choice"
_MAX, _MIN, _NO_NUL, _NO_SURROGATE, _CALL = "max", "min", "no-nul", "no-surrogate", "call"


class _Field:
    __slots__ = (
        "allow_blank",
        "allow_null",
        "checks",
        "choices",
        "default",
        "kind",
        "name",
        "required",
        "trim",
        "validate",
    )


class AcceptancePlan:
    """What one serializer class's fields accept, read once (see the module's docstring)."""

    def __init__(self, names: frozenset[str], fields: tuple[_Field, ...]) -> None:
        self.names = names
        self.fields = fields

    def accept(self, serializer, data: dict) -> dict | None:
        """The validated data DRF's `to_internal_value` would return for `data`, or None when DRF's
        own path must answer (a value it would refuse, or one this plan does not decide)."""
        validated = {}
        for field in self.fields:
            value = data.get(field.name, empty)
            if value is empty:
                if field.required:
                    return None
                if field.default is empty:
                    continue  # DRF skips an absent optional field without a default
                value = field.default  # returned as it is, without the validators (DRF)
            elif value is None:
                if not field.allow_null:
                    return None
            else:
                value = _VALUE[field.kind](field, value)
                if value is _REFUSED:
                    return None
            if field.validate is not None:
                try:
                    value = field.validate(serializer, value)
                except SkipField:
                    continue
                except (ValidationError, DjangoValidationError):
                    return None
            validated[field.name] = value
        return validated


def _text(field: _Field, value):
    if type(value) is not str:
        return _REFUSED
    text = value.strip() if field.trim else value
    if not text and (field.trim or value == ""):
        return "" if field.allow_blank else _REFUSED  # DRF returns a blank without its validators
    return _checked(field, text)


def _boolean(field: _Field, value):
    return _checked(field, value) if value is True or value is False else _REFUSED


def _integer(field: _Field, value):
    # DRF reads an integer through its text, which Python refuses past 4,300 digits: a number
    # that large is left to DRF's path.
    if type(value) is not int or not -_INTEGER_BOUND < value < _INTEGER_BOUND:
        return _REFUSED
    return _checked(field, value)


_INTEGER_BOUND = 10**18


def _choice(field: _Field, value):
    if type(value) is not str:
        return _REFUSED
    if value == "" and field.allow_blank:
        return _checked(field, "")
    if value not in field.choices:
        return _REFUSED
    return _checked(field, field.choices[value])


_VALUE = {_TEXT: _text, _BOOLEAN: _boolean, _INTEGER: _integer, _CHOICE: _choice}


def _checked(field: _Field, value):
    """`value` when the field's validators all pass it, else `_REFUSED`."""
    for check, argument in field.checks:
        if check is _MAX:
            if len(value) > argument:
                return _REFUSED
        elif check is _MIN:
            if len(value) < argument:
                return _REFUSED
        elif check is _NO_NUL:
            if "\x00" in value:
                return _REFUSED
        elif check is _NO_SURROGATE:
            # UTF-8 cannot encode a surrogate: the encoding fails exactly where DRF's check does.
            if not value.isascii():
                try:
                    value.encode("utf-8")
                except UnicodeEncodeError:
                    return _REFUSED
        else:
            try:
                argument(value)
            except (ValidationError, DjangoValidationError):
                return _REFUSED
    return value


# --- Reading a serializer class ---------------------------------------------------------------

_PLANS: dict[type, AcceptancePlan | None] = {}


def acceptance_plan(serializer_class: type) -> AcceptancePlan | None:
    """The plan of `serializer_class`, built at its first use; None when DRF's path must run."""
    try:
        return _PLANS[serializer_class]
    except KeyError:
        plan = _PLANS[serializer_class] = _build(serializer_class)
        return plan


def _build(serializer_class: type) -> AcceptancePlan | None:
    from .fields import FieldTemplatesMixin

    if not getattr(serializer_class, "accept_by_plan", True):
        return None
    if serializer_class.__init__ is not serializers.BaseSerializer.__init__ or serializer_class.get_fields not in (
        serializers.Serializer.get_fields,
        FieldTemplatesMixin.get_fields,
    ):
        return None  # its fields may differ from the declared ones
    if getattr(getattr(serializer_class, "Meta", None), "validators", None):
        return None
    declared = serializer_class._declared_fields
    planned = []
    for name, declared_field in declared.items():
        if declared_field.read_only:
            if declared_field.default is not empty:
                return None  # DRF adds its default to what the serializer's validators see
            continue
        field = _read(name, declared_field, serializer_class)
        if field is None:
            return None
        planned.append(field)
    return AcceptancePlan(frozenset(declared), tuple(planned))


def _runs(field, owner, *methods: str) -> bool:
    """True when `field` runs `owner`'s own `methods` (its class changed none of them)."""
    return all(getattr(type(field), method) is getattr(owner, method) for method in methods)


def _kind(field) -> str | None:
    from .fields import StrictBooleanField, StrictIntegerField, _StringOnly

    if not _runs(field, drf_fields.Field, "validate_empty_values", "get_value"):
        return None
    if isinstance(field, drf_fields.CharField) and _runs(field, drf_fields.CharField, "run_validation"):
        if type(field).to_internal_value in (drf_fields.CharField.to_internal_value, _StringOnly.to_internal_value):
            return _TEXT
        return None
    if not _runs(field, drf_fields.Field, "run_validation"):
        return None
    method = type(field).to_internal_value
    if method in (drf_fields.BooleanField.to_internal_value, StrictBooleanField.to_internal_value):
        return _BOOLEAN
    if method in (drf_fields.IntegerField.to_internal_value, StrictIntegerField.to_internal_value):
        return _INTEGER
    if isinstance(field, drf_fields.ChoiceField) and method is drf_fields.ChoiceField.to_internal_value:
        return _CHOICE
    return None


def _read(name: str, declared, serializer_class) -> _Field | None:
    kind = _kind(declared)
    if kind is None or declared.source not in (None, name):
        return None
    if declared.default is not empty and callable(declared.default):
        return None  # a callable default may need the bound field
    checks = []
    for validator in declared.validators:
        if getattr(validator, "requires_context", False):
            return None
        checks.append(_check(validator, kind))
    field = _Field()
    field.name, field.kind = name, kind
    field.required, field.default = declared.required, declared.default
    field.allow_null = declared.allow_null
    field.allow_blank = getattr(declared, "allow_blank", False)
    field.trim = getattr(declared, "trim_whitespace", False)
    field.choices = dict(getattr(declared, "choice_strings_to_values", {}))
    field.checks = tuple(checks)
    field.validate = getattr(serializer_class, f"validate_{name}", None)
    return field


def _check(validator, kind: str) -> tuple:
    if kind == _TEXT:
        limit = getattr(validator, "limit_value", None)
        if type(validator) is django_validators.MaxLengthValidator and type(limit) is int:
            return (_MAX, limit)
        if type(validator) is django_validators.MinLengthValidator and type(limit) is int:
            return (_MIN, limit)
        if type(validator) is django_validators.ProhibitNullCharactersValidator:
            return (_NO_NUL, None)
        if type(validator) is ProhibitSurrogateCharactersValidator:
            return (_NO_SURROGATE, None)
    return (_CALL, validator)
