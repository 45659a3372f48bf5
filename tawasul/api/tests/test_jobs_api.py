"""The public-jobs portal over JSON: published notices and their lists (`tawasul.api.jobs`)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tawasul.jobs.models import ListKind
from tawasul.jobs.services import applications_preselect, list_publish
from tawasul.jobs.tests.factories import make_application, make_candidate, make_notice
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

NOTICES = "/api/v1/jobs/notices/"


def notice_url(notice) -> str:
    return f"{NOTICES}{notice.pk}/"


def list_url(notice, kind: str) -> str:
    return f"{NOTICES}{notice.pk}/lists/{kind}/"


@pytest.fixture
def adm():
    return AdministrationFactory(code="jobs-api", name_fr="Ministère de la Santé", name_ar="وزارة الصحة")


def _close(notice):
    notice.deadline_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save(update_fields=["deadline_at"])


def publish_first_list(notice, candidate):
    _close(notice)
    application = make_application(notice, candidate)
    applications_preselect(actor=notice.recruiter, notice=notice, selected_ids=[application.pk])
    list_publish(
        actor=notice.recruiter, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[application.pk]
    )
    return application


def count_queries(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, len(captured.captured_queries)


# --- The list of notices ------------------------------------------------------------------------


def test_only_published_notices_are_listed(client, adm):
    published = make_notice(adm, title_fr="Concours des infirmiers")
    make_notice(adm, publish=False, title_fr="Brouillon secret")

    body = client.get(NOTICES).json()

    assert [row["id"] for row in body["results"]] == [published.pk]
    row = body["results"][0]
    assert row["title"] == "Concours des infirmiers" and row["is_open"] is True
    assert row["administration"] == {"code": "jobs-api", "name": "Ministère de la Santé"}
    assert row["posts_total"] == 5 and row["web_url"].startswith("http://testserver/fr/")
    assert "Brouillon" not in client.get(NOTICES, {"q": "Brouillon"}).content.decode()


def test_notices_filter_by_kind_administration_state_and_words(client, adm):
    other = AdministrationFactory(code="jobs-api-2")
    open_notice = make_notice(adm, title_fr="Concours des infirmiers", title_ar="مباراة الممرضين")
    closed = make_notice(other, kind="responsibility_post", title_fr="Chef de division")
    _close(closed)

    def ids(**params):
        return [row["id"] for row in client.get(NOTICES, params).json()["results"]]

    assert set(ids()) == {open_notice.pk, closed.pk}
    assert ids(state="open") == [open_notice.pk]
    assert ids(state="closed", kind="responsibility_post") == [closed.pk]
    assert ids(administration="jobs-api") == [open_notice.pk]
    assert ids(q="الممرضين") == [open_notice.pk]
    assert ids(kind="", state="", administration="", q="") == ids()


def test_notices_are_paged(client, adm):
    make_notice(adm)
    make_notice(adm)

    first = client.get(NOTICES, {"limit": 1}).json()
    second = client.get(NOTICES, {"limit": 1, "offset": 1}).json()

    assert first["count"] == 2 and first["next_offset"] == 1 and second["next_offset"] is None
    assert first["results"][0]["id"] != second["results"][0]["id"]


def test_a_bad_filter_is_400_in_the_apis_error_format(client):
    refused = client.get(NOTICES, {"kind": "internship", "state": "soon", "limit": 51})

    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"kind", "state", "limit"}


def test_the_notice_list_keeps_its_query_budget(client, adm):
    for _ in range(3):
        make_notice(adm)

    response, queries = count_queries(lambda: client.get(NOTICES, {"state": "open"}))

    assert response.status_code == 200 and queries <= 2  # the count and the page with its administrations


# --- One notice ---------------------------------------------------------------------------------


def test_a_notice_shows_what_its_page_shows(client, adm):
    notice = make_notice(adm)

    response = client.get(notice_url(notice))

    assert response.status_code == 200
    body = response.json()
    assert body["id"] == notice.pk and body["kind"] == "recruitment_competition"
    assert body["lines"] == [
        {"speciality": "Informatique", "posting_place": "Rabat", "posts": 3},
        {"speciality": "Droit", "posting_place": "Fès", "posts": 2},
    ]
    assert body["exam_centres"] == ["Rabat", "Fès"]
    assert body["required_documents"] == ["CV", "Copy of the diploma"]
    assert [test["type"] for test in body["tests"]] == ["written", "oral"]
    assert body["age_max"] == 40 and body["takes_portal_applications"] is True
    assert body["files"] == {"notice": None, "opening_order": None} and body["lists"] == []


def test_a_draft_notice_is_the_same_404_as_an_unknown_one(client, adm):
    draft = make_notice(adm, publish=False)

    hidden = client.get(notice_url(draft))
    unknown = client.get(f"{NOTICES}987654/")
    huge = client.get(f"{NOTICES}{2**70}/")  # past any database integer: a 404, never a 500

    assert hidden.status_code == unknown.status_code == huge.status_code == 404
    assert hidden.content == unknown.content == huge.content


def test_a_reload_is_a_304_until_something_is_published(client, adm):
    notice = make_notice(adm)
    first = client.get(notice_url(notice))
    etag = first["ETag"]

    assert client.get(notice_url(notice), HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(notice_url(notice), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304

    publish_first_list(notice, make_candidate(first_name="Salma", last_name="Berrada"))
    changed = client.get(notice_url(notice), HTTP_IF_NONE_MATCH=etag)

    assert changed.status_code == 200 and changed["ETag"] != etag
    assert [lst["kind"] for lst in changed.json()["lists"]] == ["preselected_written"]
    assert changed.json()["lists"][0]["url"].endswith(list_url(notice, "preselected_written"))


def test_the_etag_depends_on_the_language(client, adm):
    notice = make_notice(adm)

    french = client.get(notice_url(notice))
    arabic = client.get(notice_url(notice), HTTP_ACCEPT_LANGUAGE="ar")

    assert french["ETag"] != arabic["ETag"]
    assert french.json()["title"] != arabic.json()["title"]


def test_the_notice_keeps_its_query_budget(client, adm):
    notice = make_notice(adm)

    cold, cold_queries = count_queries(lambda: client.get(notice_url(notice)))
    warm, warm_queries = count_queries(lambda: client.get(notice_url(notice)))
    revalidated, revalidation_queries = count_queries(
        lambda: client.get(notice_url(notice), HTTP_IF_NONE_MATCH=cold["ETag"])
    )

    assert (cold.status_code, warm.status_code, revalidated.status_code) == (200, 200, 304)
    assert cold_queries <= 7  # the stamp, the notice, its lines, centres, tests, documents and lists
    assert warm_queries <= 1  # the stamp; the body is in the cache (one more read with the database cache)
    assert revalidation_queries == 1


# --- Its lists ----------------------------------------------------------------------------------


def test_a_list_shows_names_and_references_never_the_cin_or_birth_date(client, adm):
    notice = make_notice(adm)
    candidate = make_candidate(first_name="Salma", last_name="Berrada")
    application = publish_first_list(notice, candidate)

    response = client.get(list_url(notice, "preselected_written"))

    assert response.status_code == 200
    body = response.json()
    assert body["notice"]["id"] == notice.pk and body["kind"] == "preselected_written" and body["label"]
    assert body["entries"] == [
        {
            "position": 1,
            "full_name": "Salma Berrada",
            "reference": application.reference,
            "speciality": "Informatique",
            "struck": False,
            "note": "",
        }
    ]
    text = response.content.decode()
    assert candidate.cin not in text and "1995" not in text and "+212" not in text and candidate.email not in text


def test_a_list_not_published_or_unknown_is_404(client, adm):
    notice = make_notice(adm)
    publish_first_list(notice, make_candidate())

    assert client.get(list_url(notice, "final_main")).status_code == 404
    assert client.get(list_url(notice, "no-such-list")).status_code == 404


def test_the_lists_of_a_draft_notice_are_invisible(client, adm):
    notice = make_notice(adm)
    publish_first_list(notice, make_candidate())
    assert client.get(list_url(notice, "preselected_written")).status_code == 200
    type(notice).objects.filter(pk=notice.pk).update(status="draft")

    hidden = client.get(list_url(notice, "preselected_written"))
    unknown = client.get(f"{NOTICES}987654/lists/preselected_written/")

    assert hidden.status_code == unknown.status_code == 404
    assert hidden.content == unknown.content


def test_a_list_keeps_its_query_budget_and_answers_304(client, adm):
    notice = make_notice(adm)
    publish_first_list(notice, make_candidate())
    url = list_url(notice, "preselected_written")

    cold, cold_queries = count_queries(lambda: client.get(url))
    warm, warm_queries = count_queries(lambda: client.get(url))
    revalidated, revalidation_queries = count_queries(lambda: client.get(url, HTTP_IF_NONE_MATCH=cold["ETag"]))

    assert (cold.status_code, warm.status_code, revalidated.status_code) == (200, 200, 304)
    assert cold_queries <= 3  # the stamp, the list with its notice and administration, its entries
    assert warm_queries <= 1 and revalidation_queries == 1


def test_the_answers_are_what_their_serializers_make_of_them(client, adm):
    from tawasul.api.jobs import NoticeDetailSerializer, NoticePageSerializer, PublishedListSerializer

    notice = make_notice(adm)
    publish_first_list(notice, make_candidate())

    page = client.get(NOTICES).json()
    detail = client.get(notice_url(notice)).json()
    lst = client.get(list_url(notice, "preselected_written")).json()

    assert page == NoticePageSerializer(page).data
    assert detail == NoticeDetailSerializer(detail).data
    assert lst == PublishedListSerializer(lst).data


# --- The schema -----------------------------------------------------------------------------------


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    assert set(schema["paths"][NOTICES]) == {"get"}
    detail = schema["paths"][NOTICES + "{id}/"]["get"]
    lists = schema["paths"][NOTICES + "{id}/lists/{kind}/"]["get"]
    for operation in (detail, lists):
        assert {"200", "304", "404"} <= set(operation["responses"])
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert {"If-None-Match", "If-Modified-Since", "id"} <= set(parameters) and "pk" not in parameters
        assert parameters["id"]["schema"]["minimum"] == 1
