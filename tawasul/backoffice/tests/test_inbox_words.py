"""The inbox's words search through the words index (docs/adr/0023-inbox-words-index.md): what an
officer expects of it, the officer's administrations as its limit, and an index that follows
every write of a subject (services, transfers, bulk writes, updates, deletes, table rebuilds)."""

from __future__ import annotations

import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tawasul.backoffice.case_words import SUBJECT_WORDS, subject_matches
from tawasul.backoffice.selectors import InboxFilters, inbox_counts
from tawasul.cases.models import Case
from tawasul.cases.services import case_transition
from tawasul.cases.testing import complaint_like_workflow
from tawasul.cases.tests.factories import make_case
from tawasul.cases.workflow import register_workflow, unregister_workflow
from tawasul.complaints.tests.factories import staff_actor

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def test_portal():
    registered = register_workflow(complaint_like_workflow())
    yield registered
    unregister_workflow(registered.portal)


def _found(client, q, **params):
    response = client.get("/fr/staff/", {"q": q, "status": "all", **params})
    assert response.status_code == 200
    return {item["case"].reference for item in response.context["items"]}


def _subjects(qs, q):
    return set(qs.filter(subject_matches(q)).values_list("subject", flat=True))


def test_every_word_must_match_in_any_order_and_any_case(world, login):
    both = make_case(world.x, subject="Retard de délivrance du permis")
    one = make_case(world.x, subject="Retard de l'ambulance")
    client = login(world.officer_x)
    assert _found(client, "PERMIS retard") == {both.reference}
    assert _found(client, "retard") == {both.reference, one.reference}
    assert _found(client, "retard permis ambulance") == set()


def test_a_word_typed_short_finds_the_words_it_begins(world, login):
    case = make_case(world.x, subject="Demande de permis de construire")
    client = login(world.officer_x)
    assert _found(client, "perm constr") == {case.reference}
    assert _found(client, "ermis") == set()  # a prefix of a word, not any part of it
    assert _found(client, "d") == set()  # one or two letters match a whole word only
    assert _found(client, "de") == {case.reference}


def test_french_accents_and_arabic_letter_variants_are_folded(world, login):
    french = make_case(world.x, subject="Coupure d'électricité à l'hôpital")
    arabic = make_case(world.x, subject="تأخير رخصة البناء في المدرسة")
    client = login(world.officer_x)
    assert _found(client, "ELECTRICITE hopital") == {french.reference}
    assert _found(client, "Électricité") == {french.reference}
    # ة/ه, أ/ا, harakat, the article (dropped before 4+ letters), a prefix.
    assert _found(client, "رخصه تاخير") == {arabic.reference}
    assert _found(client, "رُخْصَة البناء") == {arabic.reference}
    assert _found(client, "مدرس") == {arabic.reference}


def test_a_reference_typed_still_finds_that_case_only(world, login):
    case = make_case(world.x, subject="Retard")
    make_case(world.x, subject=f"Voir {case.reference}")
    client = login(world.officer_x)
    assert _found(client, case.reference.lower()) == {case.reference}


def test_words_without_letters_find_nothing(world, login):
    make_case(world.x, subject="Retard")
    assert _found(login(world.officer_x), "?! -- ،") == set()


def test_pages_of_a_words_search_hold_every_match_once(world, login, django_assert_max_num_queries):
    """On PostgreSQL the page's ids and the total come from one query; the pages are the same."""
    made = {make_case(world.x, subject=f"Retard numéro {n}").reference for n in range(30)}
    make_case(world.x, subject="Autre chose")
    client = login(world.officer_x)
    seen = []
    for number in ("1", "2"):
        response = client.get("/fr/staff/", {"q": "retard", "status": "all", "per_page": "25", "page": number})
        page = response.context["page"]
        assert page.paginator.count == 30 and page.paginator.num_pages == 2 and page.number == int(number)
        seen += [item["case"].reference for item in response.context["items"]]
    assert len(seen) == 30 and set(seen) == made
    past = client.get("/fr/staff/", {"q": "retard", "status": "all", "per_page": "25", "page": "9"})
    assert past.context["page"].number == 2 and len(past.context["items"]) == 5
    wrong = client.get("/fr/staff/", {"q": "retard", "status": "all", "per_page": "25", "page": "x"})
    assert wrong.context["page"].number == 1 and len(wrong.context["items"]) == 25
    nothing = client.get("/fr/staff/", {"q": "zzzz", "status": "all"})
    assert nothing.context["page"].paginator.count == 0 and nothing.context["items"] == []
    client.get("/fr/staff/", {"q": "retard", "status": "all"})  # warm
    with django_assert_max_num_queries(11):
        client.get("/fr/staff/", {"q": "retard", "status": "all", "per_page": "25"})


# --- Never wider than the officer's administrations ---------------------------------------------


def test_a_search_never_reaches_another_administrations_cases(world, login):
    mine = make_case(world.x, subject="Retard permis Y-secret")
    theirs = make_case(world.y, subject="Retard permis Y-secret")
    client = login(world.officer_x)
    for q in ("retard permis", "secret", "Y-secret", theirs.reference, "retard OR secret", '"secret"*', "NOT zzz"):
        found = _found(client, q)
        assert theirs.reference not in found, q
    assert _found(client, "secret") == {mine.reference}
    counts = client.get("/fr/staff/", {"q": "secret"}).context["counts"]
    assert counts["open"] == 1
    for outsider in (world.national, world.agent, world.citizen):
        assert login(outsider).get("/fr/staff/", {"q": "secret", "status": "all"}).status_code in (302, 403)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from([*"retardpermisYsecr*\"'():^-+|&!~ ", " OR ", " AND ", " NOT ", "NEAR(", "ال"]),
        max_size=16,
    ).map("".join)
)
def test_no_typed_query_widens_the_scope(world, text):
    """Whatever is typed (FTS5 or tsquery operators included), the result is among X's cases."""
    make_case(world.y, subject="retard permis secret")
    from tawasul.backoffice.selectors import staff_cases

    qs = staff_cases(world.officer_x).filter(subject_matches(text))
    assert set(qs.values_list("administration_id", flat=True)) <= {world.x.pk}
    counts = inbox_counts(user=world.officer_x, filters=InboxFilters(q=text, status="all"), due_within=5)
    assert counts["open"] <= Case.objects.filter(administration=world.x, closed_at__isnull=True).count()


# --- The index follows every write --------------------------------------------------------------


def test_a_case_filed_through_the_service_is_found_at_once(world, login):
    case = make_case(world.x, subject="Panne d'éclairage public")
    assert _found(login(world.officer_x), "eclairage") == {case.reference}


def test_a_transferred_case_is_found_by_its_new_administration_only(world, login):
    case = make_case(world.x, subject="Compétence ailleurs")
    case_transition(case=case, action="transfer", actor=staff_actor(case), note="Y.", administration=world.y)
    assert _found(login(world.officer_x), "competence") == set()
    assert _found(login(world.officer_y), "competence") == {case.reference}


def test_erasure_of_personal_data_keeps_the_case_findable_by_its_subject(world, login):
    """Erasure blanks the identity, not the subject (cases.personal_data: the anonymised case
    still counts); the rewritten row stays in the words index."""
    from tawasul.cases.personal_data import CasePersonalData

    case = make_case(world.x, subject="Retard de délivrance", requester_user=world.citizen, first_name="Zineb")
    assert CasePersonalData().erase(world.citizen, actor=world.citizen) >= 1
    client = login(world.officer_x)
    assert _found(client, "retard delivrance") == {case.reference}
    case.refresh_from_db()
    assert case.first_name == "" and case.subject == "Retard de délivrance"


def test_subjects_changed_in_bulk_or_by_save_are_reindexed(world):
    cases = Case.objects.filter(administration=world.x)
    first = make_case(world.x, subject="Ancien sujet")
    Case.objects.filter(pk=first.pk).update(subject="Nouveau sujet")
    assert _subjects(cases, "ancien") == set()
    assert _subjects(cases, "nouveau") == {"Nouveau sujet"}
    first.refresh_from_db()
    first.subject = "Sujet corrigé"
    first.save(update_fields=["subject"])
    assert _subjects(cases, "corrige") == {"Sujet corrigé"}
    assert _subjects(cases, "nouveau") == set()
    # Erasure of personal data keeps the subject (cases.personal_data); a subject blanked by any
    # path leaves the search.
    Case.objects.filter(pk=first.pk).update(subject="")
    assert _subjects(cases, "sujet") == set()


def test_bulk_created_and_deleted_cases_enter_and_leave_the_index(world):
    template = make_case(world.x, subject="Modèle")
    rows = []
    for number in range(3):
        row = Case.objects.get(pk=template.pk)
        row.pk = None
        row.reference = f"{template.reference[:-9]}{9000000 + number}-X"
        row.subject = f"Écrit en masse {number}"
        rows.append(row)
    Case.objects.bulk_create(rows)
    cases = Case.objects.filter(administration=world.x)
    assert len(_subjects(cases, "ecrit masse")) == 3
    Case.objects.filter(subject__startswith="Écrit").delete()
    assert _subjects(cases, "ecrit") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {SUBJECT_WORDS.name}")
            assert cursor.fetchone()[0] == Case.objects.count()


def test_sqlite_triggers_dropped_by_a_table_rebuild_are_put_back(world):
    """Django alters an SQLite table by copying it, which drops its triggers; `ensure()` runs
    after every migrate, puts them back and refills the index."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL keeps a generated column through ALTER TABLE")
    assert SUBJECT_WORDS.ensure(connection) is False  # nothing missing
    with connection.cursor() as cursor:
        for trigger in ("_ai", "_au", "_ad"):
            cursor.execute(f"DROP TRIGGER {SUBJECT_WORDS.name}{trigger}")
    unseen = make_case(world.x, subject="Écrit sans déclencheur")
    cases = Case.objects.filter(administration=world.x)
    assert _subjects(cases, "declencheur") == set()
    assert SUBJECT_WORDS.ensure(connection) is True
    assert _subjects(cases, "declencheur") == {unseen.subject}
    fresh = make_case(world.x, subject="Après réparation")
    assert _subjects(cases, "reparation") == {fresh.subject}
