"""Values a batch's statement takes itself (ADR 0054): the rows are built with marks, the statement
takes the values and puts them where the marks were, in the database and on the held objects; the
reference it issues is the one Python's check would give."""

import datetime
import itertools

import pytest
from django.db import DataError, connection, transaction
from django.db.models.signals import pre_save
from django.db.transaction import TransactionManagementError

from tawasul.cases.models import Case, CaseEvent
from tawasul.cases.services import _CASE_ROW, _EVENT_ROW
from tawasul.core.inserts import insert_batch, key_sequence, statement_values
from tawasul.core.references import (
    CHECK_ALPHABET,
    _check_terms,
    check_character,
    last_issued,
    next_reference_and_keys,
    parse_reference,
    raise_floor,
)
from tawasul.core.statement_values import placeholder_parts
from tawasul.notifications.models import Notification
from tawasul.notifications.services import _NOTIFICATION_ROW
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no batches: every value is taken by its own query"
)

AT = datetime.datetime(2026, 7, 29, 9, 30, tzinfo=datetime.UTC)


def _issue(prefix: str, year: int) -> str:
    base, weights = _check_terms(prefix, year)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT core_reference_issue(%s::text, %s::integer, %s::integer, %s::integer[], 37, %s::text)",
            [prefix, year, base, weights, CHECK_ALPHABET],
        )
        return cursor.fetchone()[0]


def _python_references(prefix: str, year: int, after: int, count: int) -> list[str]:
    """The `count` references Python's check issues after number `after`."""
    numbers = (n for n in itertools.count(after + 1) if check_character(prefix, year, n) is not None)
    return [f"{prefix}-{year:04d}-{n:07d}-{check_character(prefix, year, n)}" for n in itertools.islice(numbers, count)]


@postgresql_only
@pytest.mark.parametrize(
    ("prefix", "year", "after"),
    [("CHK", 2026, 0), ("INF", 2027, 4_311), ("DOC", 1999, 999_990), ("JO", 2031, 123_456), ("ABCD", 9999, 9_999_900)],
)
def test_the_database_issues_the_references_pythons_check_gives(prefix, year, after):
    """Every digit position and carry: 60 numbers in a row from several starts, including the
    numbers whose check value has no symbol, which both skip."""
    raise_floor(prefix, year, after)
    last = last_issued(prefix, year)  # higher when an earlier run took numbers: sequences are not rolled back
    issued = [_issue(prefix, year) for _ in range(60)]
    assert issued == _python_references(prefix, year, last, 60)
    assert all(parse_reference(reference) is not None for reference in issued)


@postgresql_only
def test_past_the_last_number_the_database_refuses_to_issue():
    raise_floor("ZZ", 2040, 9_999_999)
    with pytest.raises(DataError, match="no reference left for ZZ-2040"), transaction.atomic():
        _issue("ZZ", 2040)


def test_without_a_batch_the_values_are_taken_at_once():
    """Outside an `insert_batch` block (and always on SQLite) nothing can take them later."""
    assert statement_values("default") is None
    reference, _keys = next_reference_and_keys("CHK", year=2026, models=(Case,), in_statement=True)
    assert parse_reference(reference) is not None


def test_on_sqlite_a_batch_takes_no_values():
    with insert_batch("default"):
        values = statement_values("default")
    assert (values is None) == (connection.vendor != "postgresql")


def _case(administration, **values):
    return {
        "portal": "complaints",
        "kind": "complaint",
        "administration": administration,
        "channel": "web",
        "status": "submitted",
        "language": "fr",
        "first_name": "Amina",
        "email": "amina@example.ma",
        "subject": "Retards",
        "description": "Deux mois sans réponse.",
        "received_at": AT,
        "clock_started_at": AT,
        "tracking_token_hash": "0" * 64,
        **values,
    }


@postgresql_only
def test_marks_are_replaced_by_the_values_in_the_rows_and_on_the_objects():
    administration = AdministrationFactory()
    with insert_batch("default"):
        reference, keys = next_reference_and_keys("CHK", year=2026, models=(Case, Notification), in_statement=True)
        assert parse_reference(reference) is None and keys[Case] < 0  # marks, not values
        case = _CASE_ROW.create(**_case(administration, id=keys[Case], reference=reference))
        event = _EVENT_ROW.create(case=case, action="submitted", actor_role="requester", payload={"of": reference})
        email = _NOTIFICATION_ROW.create(
            id=keys[Notification],
            channel="email",
            to="amina@example.ma",
            template="case_received",
            context={"reference": reference, "link": f"https://t.example/{reference}/x", "keys": [keys[Case], 7]},
            subject_ref=reference,
            next_attempt_at=AT,
        )
        marks = (reference, keys[Case], keys[Notification])
    assert parse_reference(case.reference) is not None and case.pk > 0 and email.pk > 0
    assert event.case_id == case.pk and event.case is case  # the related object is still the one cached
    assert event.payload == {"of": case.reference}
    assert email.subject_ref == case.reference
    assert email.context == {
        "reference": case.reference,
        "link": f"https://t.example/{case.reference}/x",
        "keys": [case.pk, 7],
    }
    stored = Notification.objects.get(pk=email.pk)
    assert (stored.subject_ref, stored.context) == (email.subject_ref, email.context)
    assert Case.objects.get(pk=case.pk).reference == case.reference
    assert CaseEvent.objects.get(pk=event.pk).payload == {"of": case.reference}
    for mark in marks:  # no mark reached the database
        assert not Notification.objects.filter(context__icontains=str(mark)).exists()
        assert not Case.objects.filter(reference=str(mark)).exists()


@postgresql_only
def test_each_batch_has_marks_of_its_own():
    seen = set()
    for _ in range(3):
        with insert_batch("default"):
            values = statement_values("default")
            seen.add(values.text("'x'"))
            seen.add(values.integer("1"))
    assert len(seen) == 6


@postgresql_only
def test_a_key_taken_by_the_statement_is_the_sequences_next():
    with insert_batch("default"):
        key = statement_values("default").integer("nextval(%s::regclass)", [key_sequence(connection, Case)])
        case = _CASE_ROW.create(**_case(AdministrationFactory(), id=key, reference="CHK-2026-0000001-9"))
    later = _CASE_ROW.create(**_case(AdministrationFactory(), reference="CHK-2026-0000002-B"))
    assert 0 < case.pk < later.pk


@postgresql_only
def test_a_row_that_would_be_written_at_once_is_refused_when_the_statement_takes_values():
    """A row left to `save()` (here: the model has a receiver the prepared insert does not send)
    would reach the database before the values exist, with marks in it."""

    def receiver(sender, instance, **kwargs):
        pass

    pre_save.connect(receiver, sender=Case)
    try:
        with pytest.raises(TransactionManagementError, match="takes values"), insert_batch("default"):
            key = statement_values("default").integer("nextval(%s::regclass)", [key_sequence(connection, Case)])
            _CASE_ROW.create(**_case(AdministrationFactory(), id=key, reference="CHK-2026-0000001-9"))
    finally:
        pre_save.disconnect(receiver, sender=Case)
    assert not Case.objects.exists()


@postgresql_only
def test_a_prepared_row_falling_back_to_save_is_refused_too(monkeypatch):
    monkeypatch.setattr(_CASE_ROW, "_get", lambda alias, pk_set: None)  # as for a backend it cannot serve
    with pytest.raises(TransactionManagementError, match="takes values"), insert_batch("default"):
        key = statement_values("default").integer("nextval(%s::regclass)", [key_sequence(connection, Case)])
        _CASE_ROW.create(**_case(AdministrationFactory(), id=key, reference="CHK-2026-0000001-9"))
    assert not Case.objects.exists()


def test_a_statement_is_cut_at_its_placeholders_and_not_at_a_percent_sign():
    assert placeholder_parts('INSERT INTO "t" ("a", "b") VALUES (%s, %s)') == [
        'INSERT INTO "t" ("a", "b") VALUES (',
        ", ",
        ")",
    ]
    assert placeholder_parts("SELECT '100%%', %s") == ["SELECT '100%%', ", ""]
    with pytest.raises(ValueError, match="unsupported placeholder"):
        placeholder_parts("SELECT %d")


@postgresql_only
def test_a_statement_naming_a_mark_inside_the_block_is_refused_before_it_is_sent():
    """Inside a transaction an ORM write of a mark would go through: it is refused, as a read
    would find nothing."""
    administration = AdministrationFactory()
    with (
        pytest.raises(TransactionManagementError, match="has not taken yet"),
        transaction.atomic(),
        insert_batch("default"),
    ):
        reference, keys = next_reference_and_keys("CHK", year=2026, models=(Case,), in_statement=True)
        Case.objects.filter(reference=reference).exists()
    with (
        pytest.raises(TransactionManagementError, match="has not taken yet"),
        transaction.atomic(),
        insert_batch("default"),
    ):
        reference, keys = next_reference_and_keys("CHK", year=2026, models=(Case,), in_statement=True)
        Notification.objects.create(channel="email", to="a@example.ma", template="t", subject_ref=f"about {reference}")
    with (
        pytest.raises(TransactionManagementError, match="has not taken yet"),
        transaction.atomic(),
        insert_batch("default"),
    ):
        reference, keys = next_reference_and_keys("CHK", year=2026, models=(Case,), in_statement=True)
        CaseEvent.objects.filter(case_id=keys[Case]).exists()
    assert not Notification.objects.exists()
    with insert_batch("default"):  # a statement without a mark is sent
        next_reference_and_keys("CHK", year=2026, models=(Case,), in_statement=True)
        assert Case.objects.filter(administration=administration).count() == 0
