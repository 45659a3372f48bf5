"""Reads of the back office, narrowed to the cases the staff member works on (ARCHITECTURE.md §3.2).

- `staff_cases(user)`: `cases_for_staff(user)` narrowed to the administrations where the user
  holds a *case* role (officer, deputy, head of unit, higher management, information officer,
  body head, CDAI agent; `cases.actors.CASE_STAFF_ROLES`). A catalog editor or a recruiter of an
  administration works there but not on its cases; national roles reach no case at all
  (accounts.roles.NATIONAL_ROLES).
- `inbox_cases` / `inbox_page` / `inbox_counts`: the inbox of issue 4 (filters, search, sort; a
  page read as its ids first, then its rows; counts per filter value in one conditional
  aggregate). docs/adr/0017-inbox-at-scale.md says why each has this shape.
- `case_page_data`: what the staff case page shows (the whole timeline, messages, files).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from tawasul.accounts.permissions import roles_of
from tawasul.accounts.selectors import administrations_for, members_of
from tawasul.cases.actors import CASE_STAFF_ROLES
from tawasul.cases.models import Attachment, Case, CaseEvent, Message
from tawasul.cases.workflow import registered_workflows
from tawasul.core.calendar import add_working_days, end_of_day, local_date
from tawasul.core.references import parse_reference
from tawasul.registry.models import Administration

from .case_words import subject_matches
from .models import AnswerTemplate

#: Sort keys of the inbox and their ORDER BY (the pk breaks ties so pages never overlap).
SORTS: dict[str, tuple[str, ...]] = {
    "received_desc": ("-received_at", "-pk"),
    "received_asc": ("received_at", "pk"),
    "due": ("answer_due_at", "pk"),
    "level": ("-escalation_level", "answer_due_at", "pk"),
}
DEFAULT_SORT = "received_desc"
#: Values of the status filter that are not a workflow status.
STATUS_OPEN, STATUS_CLOSED, STATUS_ALL = "", "closed", "all"
#: Roles that may assign a case to someone / be assigned one: people of the case's own
#: administration who handle cases (issue 4 "assign (to an officer of the same administration)").
ASSIGNABLE_ROLES = frozenset(CASE_STAFF_ROLES)


def has_case_role(user) -> bool:
    """Whether the user works on some administration's cases (the back office's door)."""
    return bool(roles_of(user) & CASE_STAFF_ROLES)


def staff_cases(user) -> QuerySet[Case]:
    """Every case the user may open in the back office (see the module docstring)."""
    if not has_case_role(user):
        return Case.objects.none()
    # The administrations are read first (one small query) and passed as literal ids: a plain
    # `administration_id IN (...)` lets the database use the (administration, ...) indexes of
    # Case, which an IN (sub-select) hid on SQLite (bench/inbox.py). Same scope as
    # `cases_for_staff`, narrowed to the case roles.
    ids = list(administrations_for(user, roles=CASE_STAFF_ROLES).values_list("pk", flat=True))
    return Case.objects.filter(administration_id__in=ids).exclude(unseen_by_staff_q()).select_related("administration")


def unseen_by_staff_q() -> Q:
    """The cases no staff member sees yet, whatever their role: a status a portal declares
    `unseen_by_staff` (an unpaid document order, DOMAIN.md R3). Portal and status are both in
    `case_admin_open_idx`, so the inbox's index-only walk keeps its shape."""
    condition = Q(pk__in=[])
    for portal, workflow in sorted(registered_workflows().items()):
        if workflow.unseen_by_staff:
            condition |= Q(portal=portal, status__in=sorted(workflow.unseen_by_staff))
    return condition


def staff_administrations(user) -> QuerySet[Administration]:
    """The administrations whose cases the user works on (the inbox's administration filter)."""
    if not has_case_role(user):
        return Administration.objects.none()
    return administrations_for(user, roles=CASE_STAFF_ROLES).order_by("name_ar", "pk")


@dataclass
class InboxFilters:
    """The inbox's filters, already checked by `forms.InboxFilterForm` (all optional)."""

    status: str = STATUS_OPEN
    portal: str = ""
    kind: str = ""
    channel: str = ""
    overdue: bool = False
    due_within: int | None = None
    mine: bool = False
    unassigned: bool = False
    level: int | None = None
    administration: Administration | None = None
    q: str = ""
    sort: str = DEFAULT_SORT
    extra: dict[str, Any] = field(default_factory=dict)


def _status_q(status: str) -> Q:
    if status == STATUS_OPEN:
        return Q(closed_at__isnull=True)
    if status == STATUS_CLOSED:
        return Q(closed_at__isnull=False)
    if status == STATUS_ALL:
        return Q()
    return Q(status=status)


def _due_before(working_days: int, today: date | None = None) -> Any:
    """The end of the Nth working day from today (Morocco), the bound of "due within N days"."""
    today = today or local_date(timezone.now())
    return end_of_day(add_working_days(today, working_days))


def search_q(text: str) -> Q:
    """A reference (exact, any case, with or without dashes) or words of the subject: all of
    them, any case, Arabic and accents folded by `core.text.normalize`, each word of 3+ letters
    as a prefix ("perm" finds "permis"), through the words index (`case_words`; ADR 0023)."""
    text = (text or "").strip()
    if not text:
        return Q()
    parsed = parse_reference(text)
    if parsed is not None:
        return Q(reference=str(parsed))
    return subject_matches(text)


def _base(user, filters: InboxFilters) -> QuerySet[Case]:
    """The user's cases narrowed by administration and search: what the counts are counted on."""
    qs = staff_cases(user)
    if filters.administration is not None:
        qs = qs.filter(administration=filters.administration)
    if filters.q:
        qs = qs.filter(search_q(filters.q))
    return qs


def _filter_q(user, filters: InboxFilters) -> Q:
    condition = _status_q(filters.status)
    if filters.portal:
        condition &= Q(portal=filters.portal)
    if filters.kind:
        condition &= Q(kind=filters.kind)
    if filters.channel:
        condition &= Q(channel=filters.channel)
    if filters.overdue:
        condition &= Q(is_overdue=True)
    if filters.due_within is not None:
        condition &= Q(answer_due_at__lte=_due_before(filters.due_within), closed_at__isnull=True)
    if filters.mine:
        condition &= Q(assignee=user)
    if filters.unassigned:
        condition &= Q(assignee__isnull=True)
    if filters.level is not None:
        condition &= Q(escalation_level=filters.level)
    return condition


def inbox_cases(*, user, filters: InboxFilters) -> QuerySet[Case]:
    """The inbox's rows, filtered and sorted, with what a row shows joined in (one query a page)."""
    order = SORTS.get(filters.sort, SORTS[DEFAULT_SORT])
    return (
        _base(user, filters)
        .filter(_filter_q(user, filters))
        .select_related("administration", "assignee")
        .order_by(*order)
    )


def inbox_page(*, user, filters: InboxFilters, number, per_page: int) -> Page:
    """One page of the inbox: the page's ids first, then those rows with what a row shows.

    The ids query reads only indexed columns, so on open cases it is an index-only walk of the
    partial index `case_admin_open_idx` (administration, received_at, every filtered column) in
    the page's order, whatever the filters. Asked for whole rows, SQLite (no statistics: nothing
    runs ANALYZE) preferred the plain (administration, received_at) index and read up to every
    row of the administration's history to find 25 overdue cases assigned to one officer (1.2 s
    at 100,000 cases, bench/inbox.py). The rows are then read by primary key (25 at most).
    """
    ids = inbox_cases(user=user, filters=filters).select_related(None).values_list("pk", flat=True)
    page = _words_search_page(ids, filters, number, per_page) or Paginator(ids, per_page).get_page(number)
    wanted = list(page.object_list)
    rows = Case.objects.filter(pk__in=wanted).select_related("administration", "assignee").in_bulk()
    page.object_list = [rows[pk] for pk in wanted if pk in rows]
    return page


def _words_search_page(ids: QuerySet, filters: InboxFilters, number, per_page: int) -> Page | None:
    """PostgreSQL, a words search: the page's ids and the total in one query (`count(*) OVER ()`).

    The count and the ids would each be a bitmap scan of every matching row (the GIN index, then
    ~2,800 heap pages for "retard" + "permis" at 100,000 cases): one scan instead of two, 25 ms
    instead of 19 + 20 under load (docs/adr/0023-inbox-words-index.md). SQLite keeps the two
    queries: its count probes the words' ids and its page walks the inbox order and stops early.
    None (the plain paginator then) when it does not apply or the page is past the last one.
    """
    if connection.vendor != "postgresql" or not filters.q.strip() or parse_reference(filters.q) is not None:
        return None
    try:
        number = max(1, int(number))
    except (TypeError, ValueError):
        number = 1
    offset = (number - 1) * per_page
    rows = list(ids.annotate(total=Window(Count("*"))).values_list("pk", "total")[offset : offset + per_page])
    if not rows:
        return None
    paginator = Paginator(ids, per_page)
    paginator.count = rows[0][1]  # known: no COUNT query (a cached_property, set on the instance)
    return Page([pk for pk, _total in rows], number, paginator)


def inbox_counts(*, user, filters: InboxFilters, due_within: int) -> dict[str, int]:
    """How many *open* cases each filter value would show, among the user's cases narrowed by the
    administration and the search (not by the other filters: a count says what a click gives).

    Open cases only: they are the day's work, and the partial index `case_admin_open_idx`
    covers every column counted here, so the cost follows the open cases, not the years of
    closed ones (an administration with 100,000 cases holds a few thousand open). One query, a
    conditional count per value the page shows. No count per status or portal: the page shows
    none, a GROUP BY made SQLite sort the open cases (no hash aggregate there) and a conditional
    count per status doubled the query's time (docs/adr/0017-inbox-at-scale.md).
    """
    # Counted on `administration_id` (in the index, never NULL), not on the primary key: a
    # PostgreSQL index holds no id, so COUNT(id) sent every open row's heap page to be read.
    counted = "administration"
    return (
        _base(user, filters)
        .filter(closed_at__isnull=True)
        .aggregate(
            open=Count(counted),
            overdue=Count(counted, filter=Q(is_overdue=True)),
            due_soon=Count(counted, filter=Q(answer_due_at__lte=_due_before(due_within))),
            mine=Count(counted, filter=Q(assignee=user)),
            unassigned=Count(counted, filter=Q(assignee__isnull=True)),
            level_1=Count(counted, filter=Q(escalation_level=1)),
            level_2=Count(counted, filter=Q(escalation_level=2)),
            level_3=Count(counted, filter=Q(escalation_level=3)),
        )
    )


def outcomes_for(case_ids) -> dict[int, str]:
    """The answer outcome of each answered case (interfaces.md "Answer outcome": the `outcome`
    in the payload of the latest `answer` event; any portal's answer event may carry one)."""
    found: dict[int, str] = {}
    rows = CaseEvent.objects.filter(case_id__in=list(case_ids), action="answer").order_by("created_at", "pk")
    for case_id, payload in rows.values_list("case_id", "payload"):
        if isinstance(payload, dict) and payload.get("outcome"):
            found[case_id] = str(payload["outcome"])
    return found


def all_statuses() -> list[tuple[str, str, str]]:
    """(portal, status, English label msgid) of every registered workflow, for the filter menu."""
    rows = []
    for portal, workflow in sorted(registered_workflows().items()):
        for status in sorted(workflow.statuses):
            rows.append((portal, status, workflow.status_label(status)))
    return rows


# --- The case page ---------------------------------------------------------------------------


def case_events(case: Case) -> list[CaseEvent]:
    """Every event of the case, public and internal, oldest first, with its actor."""
    return list(CaseEvent.objects.filter(case=case).select_related("actor").order_by("created_at", "pk"))


def case_messages(case: Case) -> list[Message]:
    return list(Message.objects.filter(case=case).select_related("author").order_by("created_at", "pk"))


def case_attachments(case: Case) -> list[Attachment]:
    return list(Attachment.objects.filter(case=case).order_by("created_at", "pk"))


def administrations_named(ids) -> dict[int, Administration]:
    """Administrations by id (a transfer's from and to, in the timeline)."""
    return Administration.objects.in_bulk([i for i in ids if isinstance(i, int)])


def assignable_people(case: Case) -> list:
    """Who the case may be given to: the active case staff of its own administration."""
    people, seen = [], set()
    for membership in members_of(case.administration, roles=ASSIGNABLE_ROLES).order_by("user_id"):
        user = membership.user
        if user.is_active and user.pk not in seen:
            seen.add(user.pk)
            people.append(user)
    return people


def templates_for(case: Case, action: str) -> list[AnswerTemplate]:
    """The active templates of the case's administration for this portal and action, those in
    the case's language first (issue 4: answer in the citizen's language)."""
    rows = AnswerTemplate.objects.filter(
        administration_id=case.administration_id, portal=case.portal, action=action, is_active=True
    ).order_by("title", "pk")
    return sorted(rows, key=lambda t: t.language != case.language)


def templates_for_actions(case: Case, actions) -> dict[str, list[AnswerTemplate]]:
    """`templates_for` for several actions in one query."""
    actions = list(actions)
    found: dict[str, list[AnswerTemplate]] = {a: [] for a in actions}
    rows = AnswerTemplate.objects.filter(
        administration_id=case.administration_id, portal=case.portal, action__in=actions, is_active=True
    ).order_by("title", "pk")
    for template in rows:
        found[template.action].append(template)
    for action, templates in found.items():
        found[action] = sorted(templates, key=lambda t: t.language != case.language)
    return found


# --- Answer templates pages ------------------------------------------------------------------

#: Who writes an administration's answer templates: its case staff and their supervisors.
TEMPLATE_EDITOR_ROLES = frozenset(CASE_STAFF_ROLES)


def template_administrations(user) -> QuerySet[Administration]:
    if not (roles_of(user) & TEMPLATE_EDITOR_ROLES):
        return Administration.objects.none()
    return administrations_for(user, roles=TEMPLATE_EDITOR_ROLES).order_by("name_ar", "pk")


def templates_for_user(user) -> QuerySet[AnswerTemplate]:
    return (
        AnswerTemplate.objects.filter(administration__in=template_administrations(user))
        .select_related("administration")
        .order_by("administration__name_ar", "portal", "action", "language", "title")
    )
