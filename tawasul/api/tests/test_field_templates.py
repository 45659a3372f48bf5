"""The filing serializer's fields built once per class (`FieldTemplatesMixin`, issue 7) validate
exactly as DRF's own per-instance deep copy does: the same answer, the same errors with the same
codes, in every language, and the same validated data."""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from tawasul.api.complaints import ComplaintCreateSerializer
from tawasul.api.fields import FieldTemplatesMixin
from tawasul.api.tracking import TrackSerializer

pytestmark = pytest.mark.django_db


class DrfOwnFields(ComplaintCreateSerializer):
    """The same serializer with DRF's own `get_fields` (a deep copy of every field per instance),
    on DRF's own path (`tawasul.api.acceptance`)."""

    accept_by_plan = False

    def get_fields(self):
        return serializers.Serializer.get_fields(self)


def outcome(serializer_class, body, language):
    with translation.override(language):
        serializer = serializer_class(data=body)
        valid = serializer.is_valid()
        errors = serializer.errors
        # Rendered now, in this language (lazy texts would render in the caller's language).
        rendered = {name: [str(message) for message in messages] for name, messages in errors.items()}
        return valid, errors, rendered, dict(serializer.validated_data) if valid else None


def assert_same(body, languages=("fr", "ar", "en", "fr")):
    for language in languages:
        assert outcome(ComplaintCreateSerializer, body, language) == outcome(DrfOwnFields, body, language)


VARIANTS = [
    {},
    {"description": "short"},
    {"description": "   " + "x" * 19 + "   "},
    {"description": "x" * 5001},
    {"first_name": ""},
    {"first_name": "   "},
    {"first_name": 12},
    {"first_name": None},
    {"first_name": "a" * 101},
    {"first_name": "nul\x00"},
    {"kind": "question"},
    {"kind": 1},
    {"kind": ["complaint"]},
    {"complainant_type": "company"},
    {"id_type": "passport", "id_number": " x1234567 "},
    {"id_number": "0000"},
    {"email": "not-an-email"},
    {"email": "  Amina@Example.MA "},
    {"email": "", "phone": ""},
    {"phone": "12"},
    {"phone": 612345678},
    {"is_confidential": "true"},
    {"is_confidential": 1},
    {"consent": False},
    {"consent": "yes"},
    {"language": "de"},
    {"region": "99"},
    {"province": None, "commune": ""},
    {"sub_subject": "nope"},
    {"subject": "nope"},
    {"administration": "nope"},
    {"administration": "x" * 65},
    {"unknown": 1, "another": "x"},
    {"place_address": "p" * 301},
]


@pytest.mark.parametrize("changes", VARIANTS, ids=[str(sorted(v)) for v in VARIANTS])
def test_answers_equal_drfs_own_fields(payload, changes):
    assert_same({**payload, **changes})


@pytest.mark.parametrize("missing", ["administration", "kind", "description", "consent", "email", "id_type"])
def test_a_missing_field_is_reported_the_same(payload, missing):
    assert_same({key: value for key, value in payload.items() if key != missing})


JSON_VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=30), st.lists(st.integers(), max_size=2)
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(sorted(ComplaintCreateSerializer._declared_fields)), JSON_VALUES))
def test_any_body_is_answered_the_same(payload, changes):
    assert_same({**payload, **changes}, languages=("fr", "ar"))


def test_each_serializer_gets_its_own_bound_fields(payload):
    first, second = ComplaintCreateSerializer(data=payload), ComplaintCreateSerializer(data=payload)
    for name in first.fields:
        assert first.fields[name] is not second.fields[name]
        assert first.fields[name].parent is first and second.fields[name].parent is second
    templates = FieldTemplatesMixin._field_templates[ComplaintCreateSerializer]
    assert all(template.parent is None and template.field_name is None for template in templates.values())


class TrackDrfOwnFields(TrackSerializer):
    accept_by_plan = False

    def get_fields(self):
        return serializers.Serializer.get_fields(self)


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"reference": "CHK-2026-0004312-K", "email": "amina@example.ma"},
        {"reference": "CHK-2026-0004312-K", "phone": "0612345678"},
        {"reference": "CHK-2026-0004312-K", "email": "amina@example.ma", "phone": "0612345678"},
        {"reference": "x" * 41, "email": "not-an-email"},
        {"reference": 12, "email": "a" * 250 + "@x.ma"},
        {"reference": "CHK", "phone": "1" * 33, "extra": 1},
    ],
)
def test_the_tracking_serializer_validates_as_drf_does(body):
    for language in ("fr", "ar", "en", "fr"):
        assert outcome(TrackSerializer, body, language) == outcome(TrackDrfOwnFields, body, language)
