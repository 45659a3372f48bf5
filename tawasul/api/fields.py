"""Serializer pieces that refuse what DRF would quietly coerce (ARCHITECTURE.md §1 hardening).

DRF turns `123` into `"123"` for a text field, `"yes"` or `1` into `True` for a boolean and
`"3"` into `3` for an integer. A client that sends the wrong type has a bug worth a clear 400;
these fields accept exactly the JSON type the schema announces. `StrictSerializer` also refuses
keys it does not know (a misspelt optional field would otherwise be ignored in silence).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

__all__ = ["StrictBooleanField", "StrictCharField", "StrictEmailField", "StrictIntegerField", "StrictSerializer"]

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
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)[:MAX_UNKNOWN_REPORTED]
            if unknown:
                raise serializers.ValidationError(
                    {name[:MAX_UNKNOWN_NAME]: [_("This field is not part of the request.")] for name in unknown}
                )
        return super().to_internal_value(data)
