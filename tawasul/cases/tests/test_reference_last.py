"""A filing takes its reference number last (ADR 0037): a filing that fails before the allocation
(a retry with the same key, a refused row) takes no number, one that fails after loses it on
PostgreSQL (a sequence) and gives it back on SQLite (the counter row), and the stand-in reference
is never committed."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tawasul.cases import services
from tawasul.cases.models import Case
from tawasul.core.models import ReferenceCounter
from tawasul.core.references import check_character, is_reference, parse_reference

from .factories import make_administration, make_case

pytestmark = pytest.mark.django_db

#: The statement that takes a number: the counter row's UPDATE (SQLite), the sequence's function
#: (PostgreSQL).
ALLOCATORS = (ReferenceCounter._meta.db_table, "core_reference_next")


def _follows(later: Case, earlier: Case) -> bool:
    """True when `later` took the very next number after `earlier` (numbers whose check value
    has no symbol are never issued, so "next" skips them)."""
    before, after = parse_reference(earlier.reference), parse_reference(later.reference)
    skipped = range(before.sequence + 1, after.sequence)
    return (
        (after.prefix, after.year) == (before.prefix, before.year)
        and all(check_character(before.prefix, before.year, sequence) is None for sequence in skipped)
        and after.sequence > before.sequence
    )


def _statements(queries) -> list[str]:
    """The statements a filing sent, without the savepoints a test's transaction adds."""
    return [query["sql"] for query in queries if "SAVEPOINT" not in query["sql"].upper()]


def test_the_number_is_taken_only_after_every_row_of_the_filing_but_its_notification_rows():
    administration = make_administration()
    make_case(administration)  # the counter row of the year exists, as on any day after the first
    with CaptureQueriesContext(connection) as queries:
        case = make_case(administration, email="amina@example.ma")
    statements = _statements(queries)
    (allocation,) = [i for i, sql in enumerate(statements) if any(name in sql for name in ALLOCATORS)]
    inserts = [i for i, sql in enumerate(statements) if sql.lstrip().upper().startswith("INSERT")]
    tail = statements[allocation + 1 :]
    # Then only: the case's reference, the outbox row and its sending task (both name it).
    assert len(tail) == 3, tail
    assert tail[0].lstrip().upper().startswith("UPDATE") and Case._meta.db_table in tail[0]
    assert all(sql.lstrip().upper().startswith("INSERT") for sql in tail[1:])
    assert len([i for i in inserts if i < allocation]) >= 2  # the case and its event came first
    assert is_reference(case.reference)
    assert Case.objects.get(pk=case.pk).reference == case.reference


def test_a_retry_with_the_same_key_takes_no_number():
    administration = make_administration()
    first = make_case(administration, idempotency_key="key-1")
    again = make_case(administration, idempotency_key="key-1")
    following = make_case(administration)
    assert again.pk == first.pk and again.was_created is False
    assert _follows(following, first)


def test_a_filing_that_fails_after_its_number_leaves_no_case_and_its_number_unused_by_others(monkeypatch):
    administration = make_administration()
    first = make_case(administration)

    def broken_notification(*args, **kwargs):
        raise RuntimeError("the outbox is down")

    with monkeypatch.context() as patch:
        patch.setattr(services, "_notify_requester", broken_notification)
        with pytest.raises(RuntimeError):
            make_case(administration)
    following = make_case(administration)
    assert Case.objects.count() == 2
    if connection.vendor == "postgresql":  # the sequence's number is lost, never reused (ADR 0037)
        assert parse_reference(following.reference).sequence > parse_reference(first.reference).sequence
    else:  # SQLite: the counter's UPDATE was rolled back with the filing, so no gap
        assert _follows(following, first)


def test_no_stand_in_reference_is_ever_committed():
    administration = make_administration()
    with transaction.atomic():
        cases = [make_case(administration) for _ in range(5)]
    assert all(is_reference(case.reference) for case in cases)
    assert not Case.objects.filter(reference__startswith="~").exists()
