"""Reads on cases, narrowed to what the reader may see (ARCHITECTURE.md §3.2).

Tracking without an account (SPEC.md §1 "Tracked requests", issue 3): reference + the email or
phone given at filing, or reference + the secret of the emailed link. A wrong contact and an
unknown reference give the same `None` after the same work (one query, two constant-time
comparisons against the case's values or against a dummy), so neither the answer nor its timing
tells whether a reference exists. Rate limiting per client is the portal view's job.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import BigIntegerField, F, OuterRef, Q, QuerySet, Subquery, TextField, Value, When
from django.db.models import Case as SQLCase
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from tawasul.accounts.permissions import staff_scope_filter
from tawasul.accounts.validators import normalize_phone
from tawasul.core.json_rows import JSONRow, JSONRows, aware_datetime
from tawasul.core.prepared import PreparedQuery
from tawasul.core.references import parse_reference

from .models import Attachment, Case, CaseEvent, Message
from .services import hash_tracking_token
from .workflow import REQUESTER, SYSTEM

__all__ = [
    "RequesterIdentity",
    "TimelineEntry",
    "case_by_token",
    "case_public_history",
    "case_public_timeline",
    "case_track",
    "cases_for_requester",
    "cases_for_staff",
    "requester_identity_for",
]

# Compared against when the reference is unknown, so both paths do the same work.
_DUMMY = "\x00no-such-case\x00"
_DUMMY_REFERENCE = "XX-0000-0000000-0"


def _digest(value: str) -> bytes:
    return hashlib.sha256(value.encode()).digest()


def _same(given: str, stored: str) -> bool:
    """Constant-time equality; an empty stored value never matches."""
    return hmac.compare_digest(_digest(given), _digest(stored or _DUMMY)) and bool(stored)


def _normalize_contact(contact: str) -> str:
    contact = (contact or "").strip()
    if "@" in contact:
        return contact.lower()
    try:
        return normalize_phone(contact)
    except ValidationError:
        return contact


#: One prepared query per (`related`, `only`, with the history) (each call site passes constants).
_LOOKUPS: dict[tuple[tuple[str, ...], tuple[str, ...], bool], PreparedQuery] = {}


def _lookup_query(related: tuple[str, ...], only: tuple[str, ...] = (), history: bool = False) -> PreparedQuery:
    key = (related, only, history)
    query = _LOOKUPS.get(key)
    if query is None:

        def build(reference, contact=None):
            cases = Case.objects.filter(reference=reference).select_related("administration", *related)
            if only:
                cases = cases.only("email", "phone", "tracking_token_hash", *only)
            if history:
                cases = cases.annotate(**_public_history_as_json(contact))
            return cases.order_by()[:1]

        query = _LOOKUPS.setdefault(key, PreparedQuery(build, *((str, str) if history else (str,))))
    return query


def _lookup(
    reference: str, related: Sequence[str] = (), only: Sequence[str] = (), *, history_for: str | None = None
) -> Case | None:
    """One SELECT by the unique reference, joined to its administration and to `related` (a
    portal's one-to-one details, for example `complaint__subject`), so that showing the case
    needs no further query for them (issue 7: tracking in as few queries as possible). `only`:
    the columns a read-only caller uses (`QuerySet.only`; the proof's columns are always read),
    the others left deferred. `history_for`: a normalised contact; the same SELECT then reads
    the case's public history too when that contact is the case's (`case_public_history` reads
    it from there). The query is compiled once (`PreparedQuery`): an unknown reference runs the
    same SQL as a known one."""
    parsed = parse_reference(reference or "")
    key = str(parsed) if parsed is not None else _DUMMY_REFERENCE
    if history_for is None:
        return next(iter(_lookup_query(tuple(related), tuple(only)).instances(key)), None)
    query = _lookup_query(tuple(related), tuple(only), history=True)
    return next(iter(query.instances(key, history_for or _DUMMY)), None)


def case_track(
    reference: str,
    contact: str,
    *,
    related: Sequence[str] = (),
    only: Sequence[str] = (),
    with_history: bool = False,
) -> Case | None:
    """The case with this reference if `contact` is the email (any case) or the phone (any
    written form) given at filing; None otherwise, the same way whether the reference exists.
    `related` and `only`: relations to load in the same query and the columns read (see
    `_lookup`). `with_history`: read the public history in the same query, for a caller that
    shows it (`case_public_history`); it is read only when the contact is the case's."""
    given = _normalize_contact(contact)
    case = _lookup(reference, related, only, history_for=given if with_history else None)
    email_ok = _same(given, case.email if case else "")
    phone_ok = _same(given, case.phone if case else "")
    if case is not None and given and (email_ok or phone_ok):
        return case
    return None


def case_by_token(reference: str, token: str, *, related: Sequence[str] = ()) -> Case | None:
    """The case if `token` is its tracking secret (the emailed link); None otherwise.
    `related`: relations to load in the same query (see `_lookup`)."""
    case = _lookup(reference, related)
    given = hash_tracking_token(token or "")
    ok = hmac.compare_digest(
        given.encode(), (case.tracking_token_hash if case else hash_tracking_token(_DUMMY)).encode()
    )
    if case is not None and token and ok:
        return case
    return None


def cases_for_requester(user) -> QuerySet[Case]:
    """The cases filed from this account, newest first."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(requester_user=user).select_related("administration").order_by("-received_at")


def cases_for_staff(user) -> QuerySet[Case]:
    """The cases of the administrations this staff member works for (none for anyone else)."""
    return Case.objects.filter(staff_scope_filter(user)).select_related("administration")


# --- The requester's timeline ----------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    type: str  # "event" | "message"
    action: str  # the event's action, or the message's kind
    status: str  # the status after the event ("" for messages)
    by: str  # "requester", "administration" or "system": never a staff member's name
    body: str = ""
    attachments: tuple[Attachment, ...] = field(default_factory=tuple)


def _public_role(role: str) -> str:
    if role in (REQUESTER, SYSTEM):
        return role
    return "administration"


# The requester's timeline: its public events, public messages and public files, read in ONE
# query (UNION ALL of the three tables, each row tagged with its source) compiled once (issue 7:
# each round trip to the database costs more than the rows). Every part has the same columns:
# source, at, id, message id, three texts, a longer text, a size; the unused ones are typed NULLs.
_EVENT, _MESSAGE, _FILE = 0, 1, 2
_NULL_ID = Cast(Value(None), BigIntegerField())
_HISTORY_COLUMNS = (
    "source",
    "created_at",
    "row_id",
    "message_ref",
    "text_1",
    "text_2",
    "text_3",
    "long_text",
    "number",
)
#: The fields a public file is read with, in the model's field order (the others stay deferred:
#: read only if asked for).
_FILE_FIELDS = tuple(
    f.attname
    for f in Attachment._meta.concrete_fields
    if f.attname
    in ("id", "case_id", "message_id", "display_name", "kind", "mime", "size", "uploaded_by_role", "created_at")
)


def _public_history_parts(case_id) -> tuple[QuerySet, QuerySet, QuerySet]:
    """The public events, messages and files of a case (an id, or `OuterRef` to the case of an
    outer query), each as a `values_list` of `_HISTORY_COLUMNS`."""
    events = (
        CaseEvent.objects.filter(case_id=case_id, is_public=True)
        .exclude(action="message_added")
        .annotate(
            source=Value(_EVENT),
            row_id=F("pk"),
            message_ref=_NULL_ID,
            text_1=F("action"),
            text_2=F("to_status"),
            text_3=F("actor_role"),
            # A public event's stated reason (a transfer's) is the requester's to read.
            long_text=Cast(KT("payload__reason"), TextField()),
            number=_NULL_ID,
        )
    )
    messages = Message.objects.filter(case_id=case_id, kind__in=sorted(Message.PUBLIC_KINDS)).annotate(
        source=Value(_MESSAGE),
        row_id=F("pk"),
        message_ref=_NULL_ID,
        text_1=F("kind"),
        text_2=Value(""),
        text_3=F("author_role"),
        long_text=Cast("body", TextField()),
        number=_NULL_ID,
    )
    files = Attachment.objects.filter(case_id=case_id, is_public=True).annotate(
        source=Value(_FILE),
        row_id=F("pk"),
        message_ref=F("message_id"),
        text_1=F("display_name"),
        text_2=F("mime"),
        text_3=F("uploaded_by_role"),
        long_text=Cast("kind", TextField()),
        number=F("size"),
    )
    return tuple(part.order_by().values_list(*_HISTORY_COLUMNS) for part in (events, messages, files))


def _public_history_query(case_id):
    events, messages, files = _public_history_parts(case_id)
    return events.union(messages, files, all=True)


#: The attributes a look-up with the history sets on the case: each part as JSON text, or None
#: when the contact given is not the case's (then nothing of the history was read).
_HISTORY_ATTRIBUTES = ("public_history_events", "public_history_messages", "public_history_files")


def _public_history_as_json(contact) -> dict[str, SQLCase]:
    """The annotations that read the case's public history in its look-up, only when `contact`
    is the email or phone of the case (a wrong contact costs what an unknown reference costs)."""
    given = Q(email=contact) | Q(phone=contact)
    annotations = {}
    for name, part in zip(_HISTORY_ATTRIBUTES, _public_history_parts(OuterRef("pk")), strict=True):
        rows = part.values("case_id").annotate(rows=JSONRows(JSONRow(*(F(c) for c in _HISTORY_COLUMNS))))
        as_json = Coalesce(Subquery(rows.values("rows"), output_field=TextField()), Value("[]"))
        annotations[name] = SQLCase(When(given, then=as_json), default=None, output_field=TextField())
    return annotations


def _history_rows_from_json(case: Case) -> list[tuple] | None:
    """The rows `_PUBLIC_HISTORY` gives, from the JSON the look-up read; None if it read none."""
    parts = [getattr(case, name, None) for name in _HISTORY_ATTRIBUTES]
    if None in parts:
        return None
    rows = []
    for part in parts:
        for source, at, *rest in json.loads(part):
            rows.append((source, aware_datetime(at), *rest))
    return rows


_PUBLIC_HISTORY = PreparedQuery(_public_history_query, int)


def case_public_history(case: Case) -> tuple[list[TimelineEntry], list[Attachment]]:
    """The requester's timeline (`case_public_timeline`) and every public file of the case, in
    the order they were added, from one query, or from none when the case was looked up with its
    history (`case_track(..., with_history=True)`)."""
    events, messages, files = [], [], []
    # In each table's own order (created_at, pk), as the models' `Meta.ordering` reads them.
    rows = _history_rows_from_json(case)
    if rows is None:
        rows = _PUBLIC_HISTORY.rows(case.pk)
    for row in sorted(rows, key=lambda row: (row[1], row[2])):
        (events, messages, files)[row[0]].append(row)
    alias = Attachment.objects.db
    attachments = []
    for _source, at, pk, message_id, name, mime, role, kind, size in files:
        values = {
            "id": pk,
            "case_id": case.pk,
            "message_id": message_id,
            "display_name": name,
            "kind": kind,
            "mime": mime,
            "size": size,
            "uploaded_by_role": role,
            "created_at": at,
        }
        attachments.append(Attachment.from_db(alias, _FILE_FIELDS, [values[name] for name in _FILE_FIELDS]))
    public_files: dict[int | None, list[Attachment]] = {}
    for attachment in attachments:
        public_files.setdefault(attachment.message_id, []).append(attachment)
    entries = [
        TimelineEntry(at=at, type="event", action=action, status=status, by=_public_role(role), body=reason or "")
        for _source, at, _id, _ref, action, status, role, reason, _n in events
    ]
    entries += [
        TimelineEntry(
            at=at,
            type="message",
            action=kind,
            status="",
            by=_public_role(role),
            body=body,
            attachments=tuple(public_files.get(pk, ())),
        )
        for _source, at, pk, _ref, kind, _status, role, body, _n in messages
    ]
    entries.sort(key=lambda entry: (entry.at, entry.type != "event"))
    return entries, attachments


def case_public_timeline(case: Case) -> list[TimelineEntry]:
    """What the requester sees: public events and public messages with their public files, in
    order; no internal notes, no internal files, no staff names (only "the administration")."""
    return case_public_history(case)[0]


# --- Identity ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RequesterIdentity:
    first_name: str
    last_name: str
    id_type: str
    id_number: str
    email: str
    phone: str
    complainant_type: str
    masked: bool

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


def requester_identity_for(case: Case, viewer_is_staff: bool) -> RequesterIdentity:
    """The requester's identity as this viewer may see it. For a confidential case, staff get a
    masked identity, always (issue 3: "the administration never sees who filed")."""
    if viewer_is_staff and case.is_confidential:
        return RequesterIdentity(
            first_name=str(_("Confidential requester")),
            last_name="",
            id_type="",
            id_number="",
            email="",
            phone="",
            complainant_type="",
            masked=True,
        )
    return RequesterIdentity(
        first_name=case.first_name,
        last_name=case.last_name,
        id_type=case.id_type,
        id_number=case.id_number,
        email=case.email,
        phone=case.phone,
        complainant_type=case.complainant_type,
        masked=False,
    )
