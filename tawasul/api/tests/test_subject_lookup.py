"""The filing's subject and sub-subject in one query (ADR 0033) choose what the two look-ups of the
selectors choose: the administration's own main subject before the national one with that code,
then the sub-subject among that subject's active children only."""

from __future__ import annotations

import pytest
from django.db.models import F

from tawasul.api.complaints import subject_and_sub_subject
from tawasul.complaints.models import Subject
from tawasul.complaints.selectors import main_subjects_for, sub_subjects_for
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db


def _two_queries(administration, code, sub_code):
    subject = (
        main_subjects_for(administration.pk)
        .filter(code=code)
        .order_by(F("administration_id").asc(nulls_last=True))
        .first()
    )
    sub = None
    if sub_code and subject is not None:
        sub = sub_subjects_for(administration).filter(code=sub_code, parent=subject).first()
    return subject, sub


@pytest.fixture
def world():
    own, other = AdministrationFactory(code="own-adm"), AdministrationFactory(code="other-adm")
    make = Subject.objects.create
    national = make(code="lk-delays", name_ar="x", name_fr="Retards")
    make(code="lk-delays.docs", parent=national, name_ar="x", name_fr="Docs")
    make(code="lk-delays.old", parent=national, name_ar="x", name_fr="Old", is_active=False)
    # The administration's own "lk-reception" hides the national one; only its own children count.
    national_reception = make(code="lk-reception", name_ar="x", name_fr="Accueil")
    make(code="lk-reception.wait", parent=national_reception, name_ar="x", name_fr="Attente")
    own_reception = make(code="lk-reception", administration=own, name_ar="x", name_fr="Accueil (own)")
    make(code="lk-reception.rude", parent=own_reception, administration=own, name_ar="x", name_fr="Impoli")
    # Another administration's subject, and an inactive main subject with an active child.
    theirs = make(code="lk-theirs", administration=other, name_ar="x", name_fr="Leur")
    make(code="lk-theirs.a", parent=theirs, administration=other, name_ar="x", name_fr="A")
    closed = make(code="lk-closed", name_ar="x", name_fr="Fermé", is_active=False)
    make(code="lk-closed.a", parent=closed, name_ar="x", name_fr="A")
    return own, other


CASES = [
    ("lk-delays", ""),
    ("lk-delays", "lk-delays.docs"),
    ("lk-delays", "lk-delays.old"),
    ("lk-delays", "lk-reception.wait"),
    ("lk-delays", "lk-nothing"),
    ("lk-reception", ""),
    ("lk-reception", "lk-reception.rude"),
    ("lk-reception", "lk-reception.wait"),
    ("lk-theirs", ""),
    ("lk-theirs", "lk-theirs.a"),
    ("lk-closed", "lk-closed.a"),
    ("lk-nothing", "lk-delays.docs"),
    ("lk-delays.docs", ""),
]


@pytest.mark.parametrize(("code", "sub_code"), CASES)
def test_one_query_chooses_as_the_two_look_ups(world, code, sub_code, django_assert_num_queries):
    for administration in world:
        expected = _two_queries(administration, code, sub_code)
        with django_assert_num_queries(1):
            got = subject_and_sub_subject(administration.pk, code, sub_code)
        assert got == expected, (administration.code, code, sub_code)
        if got[1] is not None:
            assert got[1].parent == got[0]  # the parent is there, as select_related gives it


def test_the_own_subject_wins_and_hides_the_national_ones_children(world):
    own, other = world
    subject, sub = subject_and_sub_subject(own.pk, "lk-reception", "lk-reception.wait")
    assert subject.administration_id == own.pk and sub is None
    subject, sub = subject_and_sub_subject(other.pk, "lk-reception", "lk-reception.wait")
    assert subject.administration_id is None and sub.code == "lk-reception.wait"
