"""A filing takes its reference number right before it writes its case, once (ADR 0043, amending
ADR 0037's "taken last"): the case row is never rewritten; a filing that fails after taking its
number (a retry with the same key, a refused row, a broken outbox) loses it on PostgreSQL (a
sequence: a gap, never a duplicate) and gives it back on SQLite (the counter row, rolled back)."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tawasul.cases import services
from tawasul.cases.models import Case, CaseEvent
from tawasul.core.models import ReferenceCounter
from tawasul.core.references import check_character, is_reference, parse_reference
from tawasul.notifications.models import Notification

from .factories import make_administration, make_case

pytestmark = pytest.mark.django_db

#: The statement that takes a number: the counter row's UPDATE (SQLite), the sequence's function
#: (PostgreSQL), called by the rows' own statement when a filing's rows are all held (ADR 0054).
ALLOCATORS = (ReferenceCounter._meta.db_table, "core_reference_next", "core_reference_issue")


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


def _case_writes(sql: str) -> list[str]:
    """The writes of the case table in one statement (a batch holds several, ADR 0044)."""
    table = re.escape(f'"{Case._meta.db_table}"')
    return re.findall(rf"\b(INSERT INTO|UPDATE|DELETE FROM) {table}[\s(]", sql, flags=re.IGNORECASE)


def test_the_case_row_is_written_once_with_its_number():
    """No stand-in and no second write: the case's INSERT carries the number, taken just before;
    a later UPDATE would rewrite every index of the case (a non-HOT update) on each filing."""
    administration = make_administration()
    make_case(administration)  # the counter row of the year exists, as on any day after the first
    with CaptureQueriesContext(connection) as queries:
        case = make_case(administration, email="amina@example.ma")
    statements = _statements(queries)
    (allocation,) = [i for i, sql in enumerate(statements) if any(name in sql for name in ALLOCATORS)]
    case_writes = [(i, write.upper()) for i, sql in enumerate(statements) for write in _case_writes(sql)]
    # PostgreSQL: in the very statement that writes the case (ADR 0054); SQLite: just before it.
    written_at = allocation if connection.vendor == "postgresql" else allocation + 1
    assert case_writes == [(written_at, "INSERT INTO")], statements
    assert is_reference(case.reference)
    assert Case.objects.get(pk=case.pk).reference == case.reference


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no sequences: each row takes its key")
def test_on_postgresql_one_statement_takes_a_filings_number_and_keys_and_writes_its_rows():
    """ADR 0044 and 0054: the statement that writes the case, its event, its email and the email's
    task row takes the number and the keys of the case and of its email itself."""
    administration = make_administration()
    make_case(administration)
    with CaptureQueriesContext(connection) as queries:
        case = make_case(administration, email="amina@example.ma")
    statements = _statements(queries)
    (allocation,) = [i for i, sql in enumerate(statements) if any(name in sql for name in ALLOCATORS)]
    writes = [sql for sql in statements if re.search(r"\bINSERT INTO\b", sql, flags=re.IGNORECASE)]
    assert writes == [statements[allocation]], statements
    assert "core_reference_issue(" in writes[0] and writes[0].count("nextval(") == 2
    for model in (Case, CaseEvent, Notification):
        assert f'INSERT INTO "{model._meta.db_table}"' in writes[0]
    stored = Case.objects.get(reference=case.reference)
    assert stored.pk == case.pk
    assert CaseEvent.objects.get(case=stored, action="submitted").pk == case.events.get().pk
    (email,) = Notification.objects.filter(subject_ref=case.reference)
    assert email.to == "amina@example.ma"


def test_a_retry_with_the_same_key_returns_the_first_case_and_never_duplicates_a_number():
    administration = make_administration()
    first = make_case(administration, idempotency_key="key-1")
    again = make_case(administration, idempotency_key="key-1")
    following = make_case(administration)
    assert again.pk == first.pk and again.was_created is False and again.reference == first.reference
    assert Case.objects.count() == 2
    if connection.vendor == "postgresql":  # the retry's number is lost (ADR 0043)
        assert parse_reference(following.reference).sequence > parse_reference(first.reference).sequence
    else:  # SQLite: the retry's counter UPDATE was rolled back with it, so no gap
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
    if connection.vendor == "postgresql":  # the sequence's number is lost, never reused (ADR 0043)
        assert parse_reference(following.reference).sequence > parse_reference(first.reference).sequence
    else:  # SQLite: the counter's UPDATE was rolled back with the filing, so no gap
        assert _follows(following, first)
