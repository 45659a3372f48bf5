"""A valid body is accepted through the serializer's plan (`tawasul.api.acceptance`, issue 7), and
whatever the body, the answer is DRF's own: valid or not, the same validated data, the same errors
with the same codes, in every language. (`test_field_templates.py` compares the filing and
tracking serializers the same way on its own list of bodies.)"""

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework import serializers

from tawasul.api import acceptance
from tawasul.api.acceptance import acceptance_plan
from tawasul.api.complaints import ComplaintCreateSerializer
from tawasul.api.fields import StrictCharField, StrictSerializer
from tawasul.api.tracking import RatingSerializer, ReopenSerializer, TextSerializer, TrackSerializer

pytestmark = pytest.mark.django_db


def drf_path(serializer_class):
    """The same serializer on DRF's own path, with DRF's own fields."""
    return type(
        f"Drf{serializer_class.__name__}",
        (serializer_class,),
        {"get_fields": serializers.Serializer.get_fields, "accept_by_plan": False, "__module__": __name__},
    )


def outcome(serializer_class, body, language):
    with translation.override(language):
        serializer = serializer_class(data=body)
        valid = serializer.is_valid()
        rendered = {name: [str(message) for message in messages] for name, messages in serializer.errors.items()}
        return valid, serializer.errors, rendered, dict(serializer.validated_data) if valid else None


def assert_answered_as_drf(serializer_class, body, languages=("fr", "ar")):
    assert acceptance_plan(serializer_class) is not None
    assert acceptance_plan(drf_path(serializer_class)) is None
    for language in languages:
        assert outcome(serializer_class, body, language) == outcome(drf_path(serializer_class), body, language)


def test_a_valid_filing_is_accepted_by_the_plan_without_binding_a_field(payload):
    serializer = ComplaintCreateSerializer(data=payload)
    assert acceptance_plan(ComplaintCreateSerializer).accept(serializer, dict(payload)) is not None
    assert serializer.is_valid(), serializer.errors
    assert "fields" not in serializer.__dict__  # DRF's bound fields were never built
    drf = drf_path(ComplaintCreateSerializer)
    assert outcome(ComplaintCreateSerializer, payload, "fr") == outcome(drf, payload, "fr")


def test_an_invalid_filing_is_answered_by_drfs_path(payload):
    serializer = ComplaintCreateSerializer(data={**payload, "first_name": "   "})
    assert not serializer.is_valid()
    assert "fields" in serializer.__dict__
    assert serializer.errors["first_name"][0].code == "blank"


BODIES = {
    TrackSerializer: [
        {"reference": "CHK-2026-0004312-K", "email": "amina@example.ma"},
        {"reference": "  CHK-2026-0004312-K ", "phone": " 0612345678 ", "email": ""},
        {"reference": "CHK", "email": "not-an-email"},
        {"reference": "", "email": "amina@example.ma"},
        {"reference": None, "email": "amina@example.ma"},
        {"reference": "x\x00", "email": "amina@example.ma"},
        {"reference": "\ud800", "email": "amina@example.ma"},
    ],
    RatingSerializer: [
        {"satisfaction": 5},
        {"satisfaction": 5, "comment": "  merci  "},
        {"satisfaction": 0},
        {"satisfaction": 6, "comment": "x" * 5000},
        {"satisfaction": True},
        {"satisfaction": 10**30},
        {"satisfaction": "5"},
        {"comment": "no rating"},
    ],
    TextSerializer: [{"body": "شكرا"}, {"body": ""}, {"body": " \t "}, {"body": 1}, {"body": "a" * 20000}],
    ReopenSerializer: [{"reason": "لم يتم حل المشكل"}, {}, {"reason": None}, {"reason": ["x"]}],
}


@pytest.mark.parametrize(
    ("serializer_class", "body"),
    [(serializer_class, body) for serializer_class, bodies in BODIES.items() for body in bodies],
    ids=lambda value: getattr(value, "__name__", None) or str(sorted(value))[:40],
)
def test_each_body_is_answered_as_drf_answers_it(serializer_class, body):
    assert_answered_as_drf(serializer_class, body, languages=("fr", "ar", "en"))


TEXT = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", " ", "\x00", "\ud83d", "amina@example.ma", "CHK-2026-0004312-K", "0612345678"]),
)
JSON_VALUES = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10, max_value=10), TEXT, st.just([]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    serializer_class=st.sampled_from(list(BODIES)),
    data=st.data(),
)
def test_any_body_is_answered_as_drf_answers_it(serializer_class, data):
    names = sorted(serializer_class._declared_fields)
    body = data.draw(st.dictionaries(st.sampled_from(names), JSON_VALUES))
    assert_answered_as_drf(serializer_class, body)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=st.dictionaries(st.sampled_from(sorted(ComplaintCreateSerializer._declared_fields)), JSON_VALUES))
def test_any_change_to_a_valid_filing_is_answered_as_drf_answers_it(payload, changes):
    assert_answered_as_drf(ComplaintCreateSerializer, {**payload, **changes})


def test_a_serializer_that_builds_its_own_fields_keeps_drfs_path():
    class OwnInit(StrictSerializer):
        name = StrictCharField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["name"].required = False

    class Nested(StrictSerializer):
        inner = TrackSerializer()

    class CallableDefault(StrictSerializer):
        name = StrictCharField(default=lambda: "x")

    for serializer_class in (OwnInit, Nested, CallableDefault):
        assert acceptance_plan(serializer_class) is None
    assert OwnInit(data={}).is_valid()  # the instance's own change is honoured


def test_a_validate_method_that_refuses_sends_the_body_to_drfs_path(monkeypatch, payload):
    calls = []
    original = ComplaintCreateSerializer.validate_consent

    def counting(self, value):
        calls.append(value)
        return original(self, value)

    monkeypatch.setattr(ComplaintCreateSerializer, "validate_consent", counting)
    monkeypatch.setattr(acceptance, "_PLANS", {})
    serializer = ComplaintCreateSerializer(data={**payload, "consent": False})
    assert not serializer.is_valid()
    assert list(serializer.errors) == ["consent"]
    assert calls == [False, False]  # once in the plan, once in DRF's path that words the error


def test_a_serializer_inside_a_partial_one_is_answered_as_drf_answers_it():
    # Under a partial parent DRF skips the absent fields, defaults included: the plan stands aside.
    class Child(StrictSerializer):
        name = StrictCharField()
        kind = serializers.ChoiceField(choices=["a", "b"], default="a")

    class Parent(serializers.Serializer):
        child = Child()

    class DrfParent(serializers.Serializer):
        child = drf_path(Child)()

    for body in ({"child": {"name": "x"}}, {"child": {}}, {"child": {"name": "x", "kind": "b"}}):
        for partial in (True, False):
            ours, drfs = Parent(data=body, partial=partial), DrfParent(data=body, partial=partial)
            assert ours.is_valid() == drfs.is_valid()
            assert ours.errors == drfs.errors
            assert dict(ours.validated_data) == dict(drfs.validated_data)
    partial = Parent(data={"child": {"name": "x"}}, partial=True)
    assert partial.is_valid() and dict(partial.validated_data["child"]) == {"name": "x"}  # no default added
