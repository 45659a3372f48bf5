"""`PreparedInsert.new(**values)` builds the instance `Model(**values)` builds: the same attributes,
defaults and `_state`, for every model of the platform, whatever subset of its fields is given."""

import datetime
import random
import uuid

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.db.models.signals import post_init, pre_init

from tawasul.cases.models import Case, CaseEvent
from tawasul.complaints.models import Complaint
from tawasul.core.inserts import PreparedInsert

AT = datetime.datetime(2026, 7, 29, 9, 30, tzinfo=datetime.UTC)


def _models():
    for model in apps.get_models():
        meta = model._meta
        if not (meta.proxy or meta.parents or meta.order_with_respect_to or meta.auto_created or meta.abstract):
            yield model


def _prepared(model) -> PreparedInsert:
    return PreparedInsert(model, save_override="compared with Model(**values), never saved here")


def _same(built, expected):
    """Equal attributes (a callable default may give another value, of the same type) and state."""
    assert type(built) is type(expected)
    assert built.__dict__.keys() == expected.__dict__.keys()
    callables = {f.attname for f in expected._meta.fields if f.has_default() and callable(f.default)}
    for name, value in expected.__dict__.items():
        if name == "_state":
            continue
        if name in callables:
            assert type(built.__dict__[name]) is type(value), name
        else:
            assert built.__dict__[name] == value, name
    assert (built._state.db, built._state.adding) == (expected._state.db, expected._state.adding)
    assert built._state.fields_cache.keys() == expected._state.fields_cache.keys()
    for name, value in expected._state.fields_cache.items():
        assert built._state.fields_cache[name] is value


def _value_for(field, rng):
    """A value of the field's type, not its default; a related object unsaved, or None."""
    if isinstance(field.remote_field, models.ForeignObjectRel):
        if field.null and rng.random() < 0.5:
            return None
        return field.remote_field.model()
    if isinstance(field, models.BooleanField):
        return rng.random() < 0.5
    if isinstance(field, models.DateTimeField):
        return AT + datetime.timedelta(minutes=rng.randint(0, 10_000))
    if isinstance(field, models.DateField):
        return AT.date() + datetime.timedelta(days=rng.randint(0, 100))
    if isinstance(field, models.UUIDField):
        return uuid.UUID(int=rng.getrandbits(128))
    if isinstance(field, models.DecimalField):
        return rng.randint(0, 99)
    if isinstance(field, models.IntegerField | models.FloatField):
        return rng.randint(1, 99)
    if isinstance(field, models.JSONField):
        return {"n": rng.randint(0, 9)}
    if isinstance(field, models.DurationField):
        return datetime.timedelta(seconds=rng.randint(0, 99))
    if isinstance(field, models.BinaryField):
        return b"x"
    if isinstance(field, models.CharField | models.TextField | models.FileField):
        return f"v{rng.randint(0, 99)}"
    return None


@pytest.mark.parametrize("model", list(_models()), ids=lambda model: model._meta.label)
def test_every_model_is_built_as_its_init_builds_it(model):
    prepared = _prepared(model)
    fields = [f for f in model._meta.fields if f.column is not None and not f.generated]
    rng = random.Random(model._meta.label)
    with time_machine.travel(AT, tick=False):
        _same(prepared.new(), model())
        for _ in range(6):
            values = {}
            for field in rng.sample(fields, rng.randint(0, len(fields))):
                value = _value_for(field, rng)
                if value is None and not isinstance(field.remote_field, models.ForeignObjectRel):
                    continue
                if isinstance(field.remote_field, models.ForeignObjectRel) and rng.random() < 0.3:
                    values[field.attname] = None if value is None else rng.randint(1, 99)  # by key
                else:
                    values[field.name] = value
            _same(prepared.new(**values), model(**values))


def test_a_related_object_is_cached_and_its_key_read_as_init_does():
    case = Case(pk=41)
    event = _prepared(CaseEvent).new(case=case, action="submitted", actor=None)
    assert event.case_id == 41 and event.case is case and event.actor is None
    complaint = _prepared(Complaint).new(case=case, subject_id=7)
    assert complaint.pk == 41 and complaint.case is case and complaint.subject_id == 7


def test_a_related_object_of_the_wrong_type_is_refused_as_init_refuses_it():
    with pytest.raises(ValueError, match="must be a"):
        _prepared(CaseEvent).new(case=Complaint())
    with pytest.raises(ValueError, match="must be a"):
        CaseEvent(case=Complaint())


def test_what_only_init_does_is_left_to_init():
    prepared = _prepared(CaseEvent)
    with pytest.raises(TypeError, match="unexpected keyword"):
        prepared.new(no_such_field=1)
    case = Case(pk=5)
    both = prepared.new(case=case, case_id=9)  # the object, then the key: `__init__`'s own result
    expected = CaseEvent(case=case, case_id=9)
    assert (both.case_id, both._state.fields_cache.keys()) == (expected.case_id, expected._state.fields_cache.keys())


def test_init_receivers_are_honoured():
    seen = []

    def receiver(sender, **kwargs):
        seen.append(sender)

    for signal in (pre_init, post_init):
        signal.connect(receiver, sender=CaseEvent)
        try:
            _prepared(CaseEvent).new(action="submitted")
        finally:
            signal.disconnect(receiver, sender=CaseEvent)
    assert seen == [CaseEvent, CaseEvent]
