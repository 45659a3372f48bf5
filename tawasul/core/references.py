"""Reference numbers given to citizens: `PREFIX-YYYY-NNNNNNN-C` (issue 2, item 8).

- PREFIX: 2 to 4 capital letters naming the portal (CHK complaints, INF information requests,
  DOC documents, JOB applications...).
- YYYY: the year of issue (Morocco time); NNNNNNN: a 7-digit sequence per (prefix, year).
- C: a check character. Each payload character of PREFIX+YYYY+NNNNNNN has a value (0-9 for
  digits, 10-35 for A-Z); the check value is sum(value_k * 2^k) mod 37 over positions k = 0, 1...
  37 is prime and 2 is a primitive root mod 37, so the weights 2^k are non-zero and distinct for
  k < 36: a single substituted character changes the sum by weight * (difference) != 0 mod 37,
  and swapping two different neighbours changes it by (2^k - 2^(k+1)) * (difference) != 0.
  Swapping the last digit with the check digit changes it too unless 2^k = -1 mod 37, which
  first happens at k = 18, beyond the longest payload (15 characters).
- The check is written with `CHECK_ALPHABET` (no I and O, read as 1 and 0 over the phone), whose
  34 symbols cover the values 0-33; sequence numbers whose check value would be 34, 35 or 36 are
  skipped by the allocator, so every issued reference has a clean check character.
"""

from __future__ import annotations

import functools
import re
from contextlib import nullcontext
from dataclasses import dataclass

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone

from .calendar import local_date
from .inserts import key_sequence, statement_values
from .models import ReferenceCounter
from .prepared import prepared_cursor

__all__ = [
    "CHECK_ALPHABET",
    "Reference",
    "check_character",
    "format_for_speech",
    "is_reference",
    "last_issued",
    "next_reference",
    "next_reference_and_keys",
    "parse_reference",
    "raise_floor",
]

CHECK_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_MODULUS = 37
_WEIGHTS = tuple(pow(2, k, _MODULUS) for k in range(15))  # payload: at most 4 + 4 + 7 characters
SEQUENCE_DIGITS = 7
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1

_PREFIX = re.compile(r"[A-Z]{2,4}")
_STRICT = re.compile(r"([A-Z]{2,4})-(\d{4})-(\d{7})-([0-9A-HJ-NP-Z])")

# Tolerant input: Arabic-Indic digits; in digit positions O is 0 and I/L are 1; in the check
# position O is 0 and I is 1 (L is a check symbol of its own).
_INPUT_DIGITS = str.maketrans({chr(base + i): str(i) for base in (0x0660, 0x06F0) for i in range(10)})
_DIGIT_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_CHECK_LOOKALIKES = str.maketrans({"O": "0", "I": "1"})
_SEPARATORS = re.compile(r"[\s\-_.–—/]+")


#: Each payload character's value: "0"-"9" -> 0-9, "A"-"Z" -> 10-35 (`int(char, 36)`).
_VALUES = {char: int(char, 36) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _check_value(payload: str) -> int:
    return sum(_VALUES[char] * weight for char, weight in zip(payload, _WEIGHTS, strict=False)) % _MODULUS


@functools.lru_cache(maxsize=64)
def _check_terms(prefix: str, year: int) -> tuple[int, list[int]]:
    """The check value's terms for `core_reference_issue` (PostgreSQL, ADR 0054): the weighted sum
    of PREFIX+YYYY modulo 37, and the weight of each of the sequence's 7 digits, most significant
    first. The check value of a sequence number is then (base + sum(digit * weight)) mod 37."""
    head = f"{prefix}{year:04d}"
    return _check_value(head), list(_WEIGHTS[len(head) : len(head) + SEQUENCE_DIGITS])


def check_character(prefix: str, year: int, sequence: int) -> str | None:
    """The check character of this reference, or None when its check value has no symbol
    (34-36: such sequence numbers are never issued)."""
    value = _check_value(f"{prefix}{year:04d}{sequence:07d}")
    return CHECK_ALPHABET[value] if value < len(CHECK_ALPHABET) else None


@dataclass(frozen=True, slots=True)
class Reference:
    prefix: str
    year: int
    sequence: int
    check: str

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year:04d}-{self.sequence:07d}-{self.check}"


def parse_reference(text: str) -> Reference | None:
    """The reference typed in `text`, or None when it is malformed or its check fails.

    Tolerates lower case, spaces or missing dashes, Arabic-Indic digits and, where a digit is
    expected, O for 0 and I or L for 1.
    """
    if not text or len(text) > 60:
        return None
    canonical = _STRICT.fullmatch(text)
    if canonical is not None:  # as written on a receipt or stored: nothing to tolerate
        prefix, year, sequence, check = canonical[1], int(canonical[2]), int(canonical[3]), canonical[4]
        if check_character(prefix, year, sequence) != check:
            return None
        return Reference(prefix=prefix, year=year, sequence=sequence, check=check)
    compact = _SEPARATORS.sub("", text.strip().translate(_INPUT_DIGITS).upper())
    if not 14 <= len(compact) <= 16:  # 2-4 + 4 + 7 + 1
        return None
    prefix = compact[:-12]
    digits = compact[-12:-1].translate(_DIGIT_LOOKALIKES)
    check = compact[-1].translate(_CHECK_LOOKALIKES)
    if not _PREFIX.fullmatch(prefix) or not digits.isascii() or not digits.isdigit():
        return None
    year, sequence = int(digits[:4]), int(digits[4:])
    if check_character(prefix, year, sequence) != check:
        return None
    return Reference(prefix=prefix, year=year, sequence=sequence, check=check)


def is_reference(text: str) -> bool:
    """True for a reference written exactly in the canonical form with a valid check."""
    match = _STRICT.fullmatch(text or "")
    return bool(match) and parse_reference(text) is not None


def format_for_speech(reference: str | Reference) -> str:
    """The reference in groups that are easy to read out: "CHK 2026 000 4312 K"."""
    ref = reference if isinstance(reference, Reference) else parse_reference(reference)
    if ref is None:
        raise ValueError(f"not a valid reference: {reference!r}")
    sequence = f"{ref.sequence:07d}"
    return f"{ref.prefix} {ref.year:04d} {sequence[:3]} {sequence[3:]} {ref.check}"


_COLUMNS = ("last", "prefix", "year")


def _increment(connection, table: str, prefix: str, year: int) -> int | None:
    """Add one to the (prefix, year) counter in one statement and return the new value; None
    when the row does not exist yet. `UPDATE ... RETURNING` on PostgreSQL and SQLite >= 3.35: the
    row is locked by the UPDATE itself until the transaction ends (PostgreSQL), and SQLite's
    IMMEDIATE transactions serialise writers, so two requests never get the same value."""
    quote = connection.ops.quote_name
    last, prefix_column, year_column = (quote(ReferenceCounter._meta.get_field(name).column) for name in _COLUMNS)
    where = f"WHERE {prefix_column} = %s AND {year_column} = %s"
    # Identifiers come from the model's metadata, quoted; the values are bound parameters.
    update = f"UPDATE {quote(table)} SET {last} = {last} + 1 {where}"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:  # RETURNING support (PG; SQLite >= 3.35)
            cursor.execute(f"{update} RETURNING {last}", [prefix, year])
            row = cursor.fetchone()
            return row[0] if row else None
        cursor.execute(update, [prefix, year])
        if cursor.rowcount == 0:
            return None
        cursor.execute(f"SELECT {last} FROM {quote(table)} {where}", [prefix, year])  # noqa: S608
        return cursor.fetchone()[0]


def _sequence_name(prefix: str, year: int) -> str:
    """PostgreSQL's sequence of (prefix, year), as `core_reference_next` names it (migration 0004)."""
    return f"core_reference_{prefix.lower()}_{year}"


def _next_sequence(prefix: str, year: int, sequences: tuple[str, ...] = ()) -> tuple[int, tuple[int, ...]]:
    """The next number of (prefix, year), and on PostgreSQL the next value of each of `sequences`
    in the same round trip (the primary keys of a filing's rows, `next_reference_and_keys`).

    PostgreSQL (ADR 0037): `core_reference_next`, a sequence per (prefix, year) created on first
    use after the counter row's `last`. `nextval` holds no lock until the commit, so filings do
    not queue behind each other; a number taken by a filing that then rolls back is not reused.
    SQLite: the counter row, created on first use; its writers are serialised by the database
    anyway, and a rollback gives the number back. Two first allocations may race to create the
    row: both INSERT inside a savepoint, the loser gets an IntegrityError, and both then
    increment the one row.
    """
    connection = connections[router.db_for_write(ReferenceCounter)]
    if connection.vendor == "postgresql":
        keys = "".join(", nextval(%s::regclass)" for _ in sequences)
        with prepared_cursor(connection) as cursor:
            cursor.execute(f"SELECT core_reference_next(%s, %s){keys}", [prefix, year, *sequences])
            row = cursor.fetchone()
            return row[0], tuple(row[1:])
    table = ReferenceCounter._meta.db_table
    value = _increment(connection, table, prefix, year)
    if value is None:
        try:
            with transaction.atomic(using=connection.alias):
                ReferenceCounter.objects.using(connection.alias).create(prefix=prefix, year=year, last=0)
        except IntegrityError:
            pass
        value = _increment(connection, table, prefix, year)
    return value, ()


def last_issued(prefix: str, year: int) -> int:
    """The highest number of (prefix, year) taken so far (0: none), on either database."""
    connection = connections[router.db_for_write(ReferenceCounter)]
    counter = ReferenceCounter.objects.using(connection.alias).filter(prefix=prefix, year=year).first()
    last = counter.last if counter else 0
    if connection.vendor == "postgresql":
        name = _sequence_name(prefix, year)
        with connection.cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                quoted = connection.ops.quote_name(name)
                cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {quoted}")  # noqa: S608
                last = max(last, cursor.fetchone()[0])
    return last


def raise_floor(prefix: str, year: int, last: int) -> None:
    """Record that the numbers of (prefix, year) up to `last` are issued (a bulk loader that wrote
    its own references): the next allocation gives a higher one, on either database."""
    connection = connections[router.db_for_write(ReferenceCounter)]
    with transaction.atomic(using=connection.alias):
        counter, _ = ReferenceCounter.objects.using(connection.alias).get_or_create(prefix=prefix, year=year)
        if counter.last < last:
            counter.last = last
            counter.save(update_fields=["last"])
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            name = _sequence_name(prefix, year)
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if cursor.fetchone()[0]:
                # The name is built from a checked prefix and an int, and quoted.
                cursor.execute(
                    f"SELECT setval(%s, GREATEST(CASE WHEN is_called THEN last_value ELSE last_value - 1 END, %s)) "  # noqa: S608
                    f"FROM {connection.ops.quote_name(name)}",
                    [name, last],
                )


def next_reference(prefix: str, *, year: int | None = None) -> str:
    """Allocate the next reference of `prefix` for `year` (default: this year, Morocco time).

    Unique under concurrency: one `UPDATE ... SET last = last + 1 RETURNING last` per number
    on SQLite, one `nextval` of the (prefix, year) sequence on PostgreSQL (see `_next_sequence`).
    Call it inside the transaction that creates the row, as late as possible in it: on SQLite a
    rollback gives the number back; on PostgreSQL a number is lost only when the transaction
    fails after taking it (ADR 0037). A number whose check value has no symbol is skipped
    (taken, never issued).
    """
    return next_reference_and_keys(prefix, year=year)[0]


def next_reference_and_keys(
    prefix: str, *, year: int | None = None, models=(), in_statement: bool = False
) -> tuple[str, dict]:
    """`next_reference`, and on PostgreSQL the primary key each of `models` will give its next
    row, taken from the key's sequence in the same round trip: a filing's rows can then be
    written together, in one statement (`tawasul.core.inserts.insert_batch`, ADR 0044). Returns
    the reference and {model: key}; on SQLite (no sequences) the dict is empty and the rows take
    their keys from their INSERTs. A key taken and not used is a gap, as a rolled-back one is.

    `in_statement`: the caller holds all its rows in an `insert_batch` block. On PostgreSQL the
    reference and the keys are then taken by the block's statement itself, not by a round trip of
    their own (ADR 0054): what is returned are marks, which the rows are built with and which the
    statement replaces (`tawasul.core.statement_values`); the held objects hold the values once
    the block is over. The reference is the same `core_reference_issue` gives, from the same
    sequence, with the check character of `check_character`."""
    if not _PREFIX.fullmatch(prefix):
        raise ValueError(f"a reference prefix is 2 to 4 capital letters, not {prefix!r}")
    if year is None:
        year = local_date(timezone.now()).year
    if not 1000 <= year <= 9999:
        raise ValueError(f"year out of range: {year}")
    connection = connections[router.db_for_write(ReferenceCounter)]
    named = [(model, key_sequence(connection, model)) for model in models]
    named = [(model, name) for model, name in named if name is not None]
    values = statement_values(connection.alias) if in_statement and connection.vendor == "postgresql" else None
    if values is not None:
        base, weights = _check_terms(prefix, year)
        reference = values.text(
            "core_reference_issue(%s::text, %s::integer, %s::integer, %s::integer[], %s::integer, %s::text)",
            (prefix, year, base, weights, _MODULUS, CHECK_ALPHABET),
        )
        return reference, {model: values.integer("nextval(%s::regclass)", (name,)) for model, name in named}
    keys: dict = {}
    # SQLite: the counter row's UPDATE (and its first INSERT) in one transaction, its own when
    # called outside one. PostgreSQL: `nextval` is never rolled back, so each SELECT stands alone
    # (`tawasul.core.inserts.atomic_rows` takes the number outside any transaction).
    with transaction.atomic(savepoint=False) if connection.vendor != "postgresql" else nullcontext():
        while True:
            sequence, values = _next_sequence(prefix, year, tuple(name for _model, name in named))
            if values:  # the first round trip takes the keys; a skipped number takes none again
                keys, named = dict(zip((model for model, _name in named), values, strict=True)), []
            if sequence > MAX_SEQUENCE:
                raise OverflowError(f"no reference left for {prefix}-{year}")
            check = check_character(prefix, year, sequence)
            if check is not None:
                break
    return str(Reference(prefix=prefix, year=year, sequence=sequence, check=check)), keys
