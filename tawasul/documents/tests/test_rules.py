"""R3's business rules: a minor's order needs `parent`; the full copy only for §3's relations;
copies bounded; only joined offices; the service refuses what the form would (nothing stored)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tawasul.cases.models import Case
from tawasul.documents.models import FULL_COPY_RELATIONS, MAX_COPIES, DocumentOrder, Relation
from tawasul.documents.services import age_on, check_order_rules

from .factories import make_office, make_order

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 6, 15)
ADULT = datetime.date(1990, 5, 17)
MINOR = datetime.date(2010, 6, 16)  # 17 on TODAY (18 the next day)


def _rules(**overrides):
    fields = {
        "doc_type": "birth_extract",
        "copies": 1,
        "birth_date": ADULT,
        "relation": "self",
        "act_year": ADULT.year,
        "today": TODAY,
    }
    fields.update(overrides)
    return check_order_rules(**fields)


def _code(**overrides) -> str:
    with pytest.raises(ValidationError) as error:
        _rules(**overrides)
    return error.value.code


def test_age_counts_the_birthday():
    assert age_on(datetime.date(2008, 6, 15), TODAY) == 18
    assert age_on(datetime.date(2008, 6, 16), TODAY) == 17


@pytest.mark.parametrize("relation", [r for r in Relation.values if r != "parent"])
def test_a_minors_order_needs_a_parent(relation):
    assert _code(birth_date=MINOR, act_year=2010, relation=relation) == "minor_needs_parent"


def test_a_parent_orders_for_a_minor_and_it_is_recorded():
    assert _rules(birth_date=MINOR, act_year=2010, relation="parent") is True


def test_parent_of_a_minor_is_not_for_an_adult():
    assert _code(relation="parent") == "parent_of_adult"


@pytest.mark.parametrize("relation", sorted(Relation.values))
def test_full_copy_only_for_the_relations_of_domain_section_3(relation):
    birth = MINOR if relation == "parent" else ADULT
    fields = {"doc_type": "birth_full_copy", "relation": relation, "birth_date": birth, "act_year": birth.year}
    if relation in FULL_COPY_RELATIONS:
        _rules(**fields)
    else:
        assert _code(**fields) == "full_copy_relation"


def test_anyone_else_may_order_the_abridged_extract():
    assert _rules(relation="other") is False
    assert "other" not in FULL_COPY_RELATIONS


@pytest.mark.parametrize("copies", [0, -1, MAX_COPIES + 1])
def test_copies_are_bounded(copies):
    assert _code(copies=copies) == "invalid_copies"


def test_birth_in_the_future_and_act_year_out_of_range_are_refused():
    assert _code(birth_date=datetime.date(2027, 1, 1), act_year=2027) == "birth_in_future"
    assert _code(act_year=ADULT.year - 1) == "invalid_act_year"
    assert _code(act_year=TODAY.year + 1) == "invalid_act_year"


@time_machine.travel(datetime.datetime(2026, 6, 15, 10, tzinfo=datetime.UTC), tick=False)
def test_service_refuses_a_minor_without_parent_and_stores_nothing():
    with pytest.raises(ValidationError):
        make_order(holder_birth_date=MINOR, act_year=2010, orderer_relation="self")
    assert not Case.objects.filter(portal="documents").exists()
    case = make_order(holder_birth_date=MINOR, act_year=2010, orderer_relation="parent")
    assert DocumentOrder.objects.get(case=case).holder_is_minor is True


def test_an_office_that_has_not_joined_takes_no_order():
    with pytest.raises(ValidationError) as error:
        make_order(office=make_office(joined=False))
    assert error.value.code == "office_not_joined"


def test_reference_has_the_documents_prefix_and_order_waits_for_payment():
    case = make_order()
    assert case.reference.startswith("DOC-")
    assert case.status == "awaiting_payment"
    assert case.administration_id == case.document_order.office.administration_id
