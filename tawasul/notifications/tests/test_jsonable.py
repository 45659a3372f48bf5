"""An email's context is stored as the round trip through JSON gives it back, whether or not it
takes the copy of plain values (`tawasul.notifications.services._jsonable`)."""

import datetime
import decimal
import json
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from tawasul.notifications.services import _jsonable


def _round_trip(context):
    return json.loads(json.dumps(context, cls=DjangoJSONEncoder))


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(timezones=st.just(datetime.UTC)),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.uuids(),
    st.text().map(mark_safe),
)
_values = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=8), _values, max_size=6))
def test_a_context_is_stored_as_json_gives_it_back(context):
    stored = _jsonable(context)
    assert stored == _round_trip(context)
    assert json.dumps(stored, sort_keys=True) == json.dumps(_round_trip(context), sort_keys=True)  # types too


def test_a_plain_context_is_a_copy_not_the_callers_dict():
    context = {"reference": "CHK-2026-0000001-9", "_secret_keys": ["tracking_url"], "n": 3, "ok": True, "x": None}
    stored = _jsonable(context)
    assert stored == context
    assert stored is not context and stored["_secret_keys"] is not context["_secret_keys"]


def test_values_that_are_not_plain_json_are_converted():
    lazy_text = lazy(lambda: "نص", str)()
    context = {
        "on": datetime.date(2026, 7, 29),
        "amount": decimal.Decimal("12.50"),
        "id": uuid.UUID(int=5),
        "label": lazy_text,
        "pair": (1, 2),
        "nested": {"when": datetime.datetime(2026, 7, 29, 9, 30, tzinfo=datetime.UTC)},
    }
    assert _jsonable(context) == {
        "on": "2026-07-29",
        "amount": "12.50",
        "id": "00000000-0000-0000-0000-000000000005",
        "label": "نص",
        "pair": [1, 2],
        "nested": {"when": "2026-07-29T09:30:00Z"},
    }
