"""Values that a batch's one statement takes itself: a filing's number and keys (ADR 0054, issue 7).

A filing's rows are written in one statement on PostgreSQL (`tawasul.core.inserts.insert_batch`,
ADR 0044), but they name values the database gives: the case's reference number and the keys of
the case and of its email. Taking those first cost a round trip of its own, about a tenth of a
filing's CPU. Instead, code inside the batch asks for a value (`StatementValues.text` /
`integer`, with the SQL that takes it) and gets a *mark*: a stand-in that no one can type, random
for each batch. The rows are built with the marks. When the batch is written, its statement opens
with the values' SQL, `WITH "k" AS (SELECT core_reference_issue(...) AS "v0", nextval(...) AS
"v1"...)`, and each parameter holding a mark reads it from there:

- a parameter that is a mark (the case's key, a reference column) becomes `(SELECT "v0" FROM "k")`;
- text or JSON that contains marks (an email's context with its tracking link, a task row's
  arguments) becomes `replace(<text>, <mark>, <value>)`, cast back to JSON where it was JSON.

The statement returns the values with its rows, and the held objects are given them in place of
the marks (`Substitutions.put_back`), before any `post_save` receiver or after-rows callback runs.
"""

from __future__ import annotations

import itertools
import json
import secrets
from collections.abc import Sequence

__all__ = ["StatementValues", "Substitutions", "placeholder_parts"]

_EXACT, _TEXT, _JSON = 0, 1, 2

#: Every mark of this process starts with one of these, drawn at random when it starts, and ends
#: with a number of its own (`_COUNTER`): text in which neither prefix appears holds no mark, so
#: the rows' text is searched for two strings, not for each mark (issue 7: the whole scan costs
#: ~50 µs a filing on the benchmark machine, half of it JSON dumps psycopg no longer makes).
#: Text marks are 19 letters and digits, which fit where a reference fits and go into a URL as
#: they are; integer marks are negative, which no identity key is, within 63 bits.
_TEXT_PREFIX = "M" + secrets.token_hex(5)
_INTEGER_BASE = 10**7 + secrets.randbelow(8 * 10**7)
_INTEGER_PREFIX = f"-{_INTEGER_BASE}"
_COUNTER = itertools.count()


class StatementValues:
    """The values one batch's statement takes, in the order they were asked for: their SQL, its
    parameters, and the mark handed out for each."""

    __slots__ = ("marks", "sources")

    def __init__(self) -> None:
        self.sources: list[tuple[str, tuple]] = []
        self.marks: list[int | str] = []

    def text(self, sql: str, params: Sequence = ()) -> str:
        """A mark for the text `sql` gives (`%s` placeholders for `params`)."""
        return self._add(sql, params, f"{_TEXT_PREFIX}{next(_COUNTER) % 10**8:08d}")

    def integer(self, sql: str, params: Sequence = ()) -> int:
        """A mark for the integer `sql` gives (a key from a sequence)."""
        return self._add(sql, params, -(_INTEGER_BASE * 10**10 + next(_COUNTER) % 10**10))

    def _add(self, sql: str, params: Sequence, mark):
        self.sources.append((sql, tuple(params)))
        self.marks.append(mark)
        return mark

    def found_in(self, params) -> bool:
        """True when a mark is among `params`, or inside one of them that is text."""
        if isinstance(params, dict):
            params = params.values()
        for param in params:
            if type(param) is str:
                if (_TEXT_PREFIX in param or _INTEGER_PREFIX in param) and any(
                    str(mark) in param for mark in self.marks
                ):
                    return True
            elif isinstance(param, int) and param in self.marks:
                return True
        return False

    def substitutions(self, rows: Sequence[Sequence], json_positions: Sequence[Sequence[int]]) -> Substitutions:
        """Where the marks are among `rows`' parameters (one parameter list per held row, with the
        positions of its JSON parameters). ~50 µs for a filing's 94 parameters on this machine,
        a fraction of the round trip it saves in the web process alone."""
        from psycopg.types.json import _JsonWrapper

        marks = self.marks
        needles = tuple((str(mark), index) for index, mark in enumerate(marks))

        def inside(text: str) -> tuple[int, ...]:
            if _TEXT_PREFIX in text or _INTEGER_PREFIX in text:
                return tuple(index for needle, index in needles if needle in text)
            return ()

        found: list[tuple[int, int, int, tuple[int, ...], object]] = []
        for row, params in enumerate(rows):
            # JSON is sent as its text, cast in the statement (psycopg would dump it anyway).
            for position in json_positions[row]:
                param = params[position]
                if isinstance(param, _JsonWrapper):
                    text = (param.dumps or json.dumps)(param.obj)
                    found.append((row, position, _JSON, inside(text), text))
            exact = set()
            for index, mark in enumerate(marks):  # a parameter that is a mark (compared in C)
                position = -1
                for _ in range(params.count(mark)):
                    position = params.index(mark, position + 1)
                    found.append((row, position, _EXACT, (index,), None))
                    exact.add(position)
            strings = "\x00".join([param for param in params if isinstance(param, str)])
            # A text mark's prefix appears once in it: more prefixes than exact text marks are marks
            # inside text, as is any integer mark's.
            if strings.count(_TEXT_PREFIX) > sum(isinstance(params[at], str) for at in exact) or (
                _INTEGER_PREFIX in strings
            ):
                for position, param in enumerate(params):
                    if position not in exact and isinstance(param, str) and (where := inside(param)):
                        found.append((row, position, _TEXT, where, param))
        found.sort(key=_row_and_position)
        return Substitutions(self, found)


def _row_and_position(found) -> tuple[int, int]:
    return found[0], found[1]


class Substitutions:
    """The parameters of a batch that hold marks, and how each reads its value in the statement."""

    __slots__ = ("found", "values")

    def __init__(self, values: StatementValues, found: list) -> None:
        self.values, self.found = values, found

    @property
    def shape(self) -> tuple:
        """What the statement's text depends on: the values' SQL and where each mark is read."""
        return (
            tuple(sql for sql, _params in self.values.sources),
            tuple((row, position, how, inside) for row, position, how, inside, _text in self.found),
        )

    def reads(self, quote) -> list[str]:
        """The SQL that reads each value in the statement."""
        # Names of our own, quoted; no value reaches the text.
        return [f"(SELECT {quote(f'v{index}')} FROM {quote('k')})" for index in range(len(self.values.marks))]  # noqa: S608

    def expressions(self, quote) -> dict[tuple[int, int], str]:
        """{(row, position): the SQL that stands for that parameter}."""
        read = self.reads(quote)
        expressions = {}
        for row, position, how, inside, _text in self.found:
            if how == _EXACT:
                expressions[row, position] = read[inside[0]]
                continue
            sql = "%s::text"
            for index in inside:
                sql = f"replace({sql}, %s, {read[index]}::text)"
            expressions[row, position] = f"({sql})::jsonb" if how == _JSON else sql
        return expressions

    def head(self, quote) -> str:
        """The statement's first member, which takes the values (its parameters come first)."""
        columns = ", ".join(f"{sql} AS {quote(f'v{index}')}" for index, (sql, _p) in enumerate(self.values.sources))
        return f"{quote('k')} AS (SELECT {columns})"

    def params(self, rows: Sequence[Sequence]) -> list:
        """The statement's parameters: the values' own, then the rows' as the statement takes
        them: a mark read from "k" is no parameter any more; text or JSON with marks is sent as
        text, followed by each mark it holds."""
        marks = self.values.marks
        params = [param for _sql, source_params in self.values.sources for param in source_params]
        found = self.found
        at, count = 0, len(found)
        for row, row_params in enumerate(rows):
            if at == count or found[at][0] != row:
                params += row_params
                continue
            start = 0
            while at < count and found[at][0] == row:
                _row, position, how, inside, text = found[at]
                params += row_params[start:position]
                if how != _EXACT:
                    params.append(text)
                    params += [str(marks[index]) for index in inside]
                start, at = position + 1, at + 1
            params += row_params[start:]
        return params

    def put_back(self, taken: Sequence, objects: Sequence, attnames: Sequence[Sequence[str]]) -> None:
        """Give the held objects the values the statement took, where they hold marks. Written to
        the instance's `__dict__`, as the values Django reads: a foreign key's attribute set
        through its descriptor would forget the related object cached with it."""
        marks = self.values.marks
        pairs = tuple(zip(marks, taken, strict=True))
        for row, position, how, inside, _text in self.found:
            if how == _EXACT:
                objects[row].__dict__[attnames[row][position]] = taken[inside[0]]
            elif inside:
                attributes = objects[row].__dict__
                attname = attnames[row][position]
                attributes[attname] = _replaced(attributes[attname], [pairs[index] for index in inside])


def _replaced(value, pairs):
    """`value` (text, or JSON-like data) with each mark of `pairs` replaced by its value: an integer
    mark by the integer, a mark inside text by the value written out."""
    if isinstance(value, str):
        for mark, taken in pairs:
            value = value.replace(str(mark), str(taken))
        return value
    if isinstance(value, dict):
        return {key: _replaced(item, pairs) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_replaced(item, pairs) for item in value)
    if isinstance(value, int) and not isinstance(value, bool):
        for mark, taken in pairs:
            if value == mark:
                return taken
    return value


def placeholder_parts(sql: str) -> list[str]:
    """`sql` cut at each `%s` placeholder (a `%%` stays as it is, within its part)."""
    parts, start, at = [], 0, 0
    while (at := sql.find("%", at)) != -1:
        follower = sql[at + 1 : at + 2]
        if follower == "s":
            parts.append(sql[start:at])
            start = at = at + 2
        elif follower == "%":
            at += 2
        else:
            raise ValueError(f"unsupported placeholder in {sql[:200]!r}")
    parts.append(sql[start:])
    return parts
