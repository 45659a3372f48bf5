"""Law 55-19 (DOMAIN.md R5 "Validation"): one copy, no legalised signatures, no certified
copies, 60 days at most (30 for investment acts); field-level messages."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tawasul.catalog.models import Procedure
from tawasul.catalog.tests.factories import document, make_procedure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The messages are checked in the msgids' language (English); translations are checked by
    check_translations."""
    with translation.override("en"):
        yield


def refused(**kwargs) -> dict:
    with pytest.raises(ValidationError) as exc:
        make_procedure(status=Procedure.Status.DRAFT, **kwargs)
    return exc.value.message_dict


def test_two_copies_of_a_document_are_refused():
    errors = refused(documents=[document(copies=2)])
    assert "Document 1" in errors["documents"][0] and "one copy" in errors["documents"][0]


def test_a_legalised_signature_is_refused():
    assert "legalised signature" in refused(documents=[document(legalised_signature=True)])["documents"][0]


def test_a_certified_copy_is_refused():
    assert "certified copy" in refused(documents=[document(certified_copy=True)])["documents"][0]


def test_delay_over_60_days_is_refused():
    assert "60 days" in refused(max_delay_days=61)["max_delay_days"][0]


def test_60_days_is_accepted():
    assert make_procedure(max_delay_days=60).max_delay_days == 60


def test_investment_act_over_30_days_is_refused():
    errors = refused(max_delay_days=31, is_investment=True)
    assert "investment act" in errors["max_delay_days"][0] and "30 days" in errors["max_delay_days"][0]


def test_investor_procedure_over_30_days_is_refused():
    assert "30 days" in refused(max_delay_days=45, kind="investor")["max_delay_days"][0]


def test_the_document_form_shows_the_error_next_to_the_field():
    from tawasul.catalog.forms import DocumentForm

    form = DocumentForm(data={"name_ar": "نسخة", "copies": 3, "certified_copy": "on"})
    assert not form.is_valid()
    assert "copies" in form.errors and "certified_copy" in form.errors
