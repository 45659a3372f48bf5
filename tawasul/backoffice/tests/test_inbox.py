"""The inbox (issue 4): filters, counts, search, sort, pagination with a bounded number of
queries, confidential requesters never named, the CSV export."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from tawasul.cases.services import case_assign, case_transition
from tawasul.complaints.tests.factories import make_complaint, staff_actor

pytestmark = pytest.mark.django_db


def _refs(response):
    return [item["case"].reference for item in response.context["items"]]


def test_filters_assigned_to_me_unassigned_and_level(world, login):
    other = make_complaint(world.x)
    from tawasul.cases.actors import actor_for

    case_assign(case=other, actor=actor_for(world.officer_x, other), assignee=world.officer_x)
    client = login(world.officer_x)
    assert _refs(client.get("/fr/staff/", {"mine": "on"})) == [other.reference]
    assert _refs(client.get("/fr/staff/", {"unassigned": "on"})) == [world.case_x.reference]
    assert _refs(client.get("/fr/staff/", {"level": "2"})) == []
    counts = client.get("/fr/staff/").context["counts"]
    assert (counts["open"], counts["mine"], counts["unassigned"], counts["level_1"]) == (2, 1, 1, 2)


def test_status_filter_and_closed_cases(world, login):
    actor = staff_actor(world.case_x)
    case_transition(case=world.case_x, action="start", actor=actor)
    second = make_complaint(world.x)
    client = login(world.officer_x)
    assert _refs(client.get("/fr/staff/", {"status": "in_progress"})) == [world.case_x.reference]
    assert _refs(client.get("/fr/staff/", {"status": "submitted"})) == [second.reference]
    counts = client.get("/fr/staff/").context["counts"]
    assert counts["open"] == 2


def test_overdue_and_due_within_n_working_days(world, login):
    with time_machine.travel(dt.datetime(2026, 10, 5, 10, tzinfo=dt.UTC), tick=False):
        recent = make_complaint(world.x)
    with time_machine.travel(dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC), tick=False):
        client = login(world.officer_x)
        # filed Monday 5 October: answer due 60 calendar days later, Friday 4 December, the 4th
        # working day after Monday 30 November; the case filed today is due in January.
        refs = _refs(client.get("/fr/staff/", {"due_within": "5"}))
        assert recent.reference in refs and world.case_x.reference not in refs
        assert _refs(client.get("/fr/staff/", {"due_within": "1"})) == []
        assert _refs(client.get("/fr/staff/", {"overdue": "on"})) == []


def test_search_by_reference_without_dashes_in_lower_case_and_by_words(world, login):
    client = login(world.officer_x)
    compact = world.case_x.reference.replace("-", "").lower()
    assert _refs(client.get("/fr/staff/", {"q": compact})) == [world.case_x.reference]
    word = world.case_x.subject.split()[0]
    assert world.case_x.reference in _refs(client.get("/fr/staff/", {"q": word}))
    assert _refs(client.get("/fr/staff/", {"q": "zzzz-nothing-like-it"})) == []


def test_sort_oldest_first(world, login):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=dt.UTC), tick=False):
        old = make_complaint(world.x)
    client = login(world.officer_x)
    assert _refs(client.get("/fr/staff/", {"sort": "received_asc"}))[0] == old.reference
    assert _refs(client.get("/fr/staff/", {"sort": "received_desc"}))[-1] == old.reference


def test_a_page_costs_a_bounded_number_of_queries(world, login, django_assert_max_num_queries):
    for _ in range(30):
        make_complaint(world.x)
    client = login(world.officer_x)
    client.get("/fr/staff/")  # warm the calendar memo
    with django_assert_max_num_queries(11):
        response = client.get("/fr/staff/", {"per_page": "25"})
    assert len(response.context["items"]) == 25
    with django_assert_max_num_queries(11):
        response = client.get("/fr/staff/", {"per_page": "25", "page": "2"})
    assert len(response.context["items"]) == 6


def test_confidential_requester_is_named_neither_in_the_inbox_nor_in_the_csv(world, login):
    secret = make_complaint(world.x, is_confidential=True, first_name="Zineb", last_name="Secretname")
    client = login(world.officer_x)
    page = client.get("/fr/staff/").content.decode()
    assert secret.reference in page and "Secretname" not in page and "Zineb" not in page
    csv = b"".join(client.get("/fr/staff/export.csv").streaming_content).decode("utf-8-sig")
    assert secret.reference in csv and "Secretname" not in csv
    assert "El Idrissi" in csv  # a non-confidential requester is exported


def test_csv_cells_cannot_start_a_formula(world, login):
    make_complaint(world.x, first_name="=HYPERLINK(1)", last_name="")
    csv = b"".join(login(world.officer_x).get("/fr/staff/export.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv
    assert "\n=HYPERLINK" not in csv and ",=HYPERLINK" not in csv


def test_filters_keep_their_values_in_the_form(world, login):
    response = login(world.officer_x).get("/fr/staff/", {"q": "retard", "mine": "on", "sort": "due"})
    form = response.context["form"]
    assert form["q"].value() == "retard" and form["mine"].value() is True
    html = response.content.decode()
    assert 'value="retard"' in html
    assert re.search(r'<input type="checkbox" name="mine"[^>]*checked', html)
    assert re.search(r'<option value="due" selected>', html)


@pytest.mark.parametrize(
    "params",
    [{}, {"overdue": "on", "mine": "on"}, {"overdue": "on", "level": "2", "sort": "due"}, {"q": "WORD"}],
    ids=["default", "overdue-mine", "overdue-level-by-due", "search-open"],
)
def test_open_cases_are_read_from_the_partial_index_alone_on_sqlite(world, login, params):
    """Each query of an inbox page over open cases, but the rows read by primary key, is an
    index-only read of `case_admin_open_idx` (docs/adr/0017-inbox-at-scale.md): SQLite has no
    statistics here as in production, so its plan does not depend on the data: this is the plan
    at 100,000 cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans follow its statistics: bench/inbox.py measures them")
    from tawasul.cases.models import Case

    Case.objects.filter(pk=world.case_x.pk).update(assignee=world.officer_x, is_overdue=True, escalation_level=2)
    params = {k: world.case_x.subject.split()[0] if v == "WORD" else v for k, v in params.items()}
    client = login(world.officer_x)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/fr/staff/", params)
    assert _refs(response) == [world.case_x.reference]
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and 'FROM "cases_case"' in q["sql"]]
    # The rows by primary key: ids given as literals (a words search adds an `id IN (SELECT
    # rowid FROM <words index>)` to the others).
    by_pk = [sql for sql in reads if re.search(r'"cases_case"\."id" IN \(\d', sql)]
    assert len(by_pk) == 1 and len(reads) == 4  # count, ids, rows by pk, counts per filter
    with connection.cursor() as cursor:
        for sql in reads:
            if sql in by_pk:
                continue
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = " | ".join(row[-1] for row in cursor.fetchall())
            assert "COVERING INDEX case_admin_open_idx" in plan, (sql, plan)
