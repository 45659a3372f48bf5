"""The public pages: list with filters, notice and list pages, their cache and conditional GET,
and their query budget (results day, issue 7 scenario 8)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tawasul.jobs.models import ListKind
from tawasul.jobs.services import applications_preselect, list_publish
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_application, make_candidate, make_notice

pytestmark = pytest.mark.django_db

#: A revalidation (304): the notice's version stamp, nothing else.
NOT_MODIFIED_BUDGET = 1
#: A full page once the body is cached: the stamp and the cache read (the database cache in tests;
#: none with Redis).
WARM_PAGE_BUDGET = 2


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="fr")


@pytest.fixture
def adm():
    return AdministrationFactory(code="jobs-pub", name_fr="Ministère de la Santé", name_ar="وزارة الصحة")


def _url(name, *args, lang="fr"):
    from django.utils import translation

    with translation.override(lang):
        return reverse(name, args=args)


def test_the_list_filters_by_kind_administration_state_and_words(client, adm):
    other = AdministrationFactory(code="jobs-pub-2")
    open_notice = make_notice(adm, title_fr="Concours des infirmiers", title_ar="مباراة الممرضين")
    closed = make_notice(other, kind="responsibility_post", title_fr="Chef de division des ressources")
    closed.deadline_at = timezone.now() - dt.timedelta(days=1)
    closed.save(update_fields=["deadline_at"])
    draft = make_notice(adm, publish=False, title_fr="Brouillon secret")
    index = _url("jobs:index")

    body = client.get(index).content.decode()
    assert open_notice.title_fr in body and closed.title_fr in body and draft.title_fr not in body
    body = client.get(index, {"state": "open"}).content.decode()
    assert open_notice.title_fr in body and closed.title_fr not in body
    body = client.get(index, {"state": "closed", "kind": "responsibility_post"}).content.decode()
    assert closed.title_fr in body and open_notice.title_fr not in body
    body = client.get(index, {"administration": adm.code}).content.decode()
    assert open_notice.title_fr in body and closed.title_fr not in body
    # Arabic words match without their article or hamza forms (core.text.normalize).
    body = client.get(_url("jobs:index", lang="ar"), {"q": "الممرضين"}).content.decode()
    assert "مباراة الممرضين" in body and "Chef de division" not in body


def test_the_notice_page_shows_lines_tests_documents_and_deadline(client, adm):
    notice = make_notice(adm)
    response = client.get(_url("jobs:notice", notice.pk))
    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Informatique",
        "Droit",
        "CV",
        "Copy of the diploma",
        "Rabat",
        timezone.localtime(notice.deadline_at).strftime("%Y-%m-%d %H:%M"),
    ):
        assert text in body
    assert _url("jobs:apply", notice.pk) in body


def test_a_draft_notice_is_not_public(client, adm):
    notice = make_notice(adm, publish=False)
    assert client.get(_url("jobs:notice", notice.pk)).status_code == 404


def test_a_reload_costs_a_304_until_something_is_published(client, adm):
    notice = make_notice(adm)
    url = _url("jobs:notice", notice.pk)
    first = client.get(url)
    etag = first["ETag"]
    assert first["Last-Modified"]
    again = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    # A list published: a new version, a new ETag, and the page links the list.
    notice.deadline_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save(update_fields=["deadline_at"])
    application = make_application(notice, make_candidate(first_name="Salma", last_name="Berrada"))
    applications_preselect(actor=notice.recruiter, notice=notice, selected_ids=[application.pk])
    list_publish(
        actor=notice.recruiter, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[application.pk]
    )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert _url("jobs:list", notice.pk, "preselected_written") in changed.content.decode()


def test_the_list_page_shows_names_and_references_never_the_cin_or_birth_date(client, adm):
    notice = make_notice(adm)
    notice.deadline_at = timezone.now() - dt.timedelta(minutes=1)
    notice.save(update_fields=["deadline_at"])
    candidate = make_candidate(first_name="Salma", last_name="Berrada")
    application = make_application(notice, candidate)
    applications_preselect(actor=notice.recruiter, notice=notice, selected_ids=[application.pk])
    list_publish(
        actor=notice.recruiter, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[application.pk]
    )
    response = client.get(_url("jobs:list", notice.pk, "preselected_written"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Salma Berrada" in body and application.reference in body
    assert candidate.cin not in body and "1995" not in body
    assert client.get(_url("jobs:list", notice.pk, "final_main")).status_code == 404
    assert client.get(_url("jobs:list", notice.pk, "no-such-list")).status_code == 404


def _count(call):
    with CaptureQueriesContext(connection) as captured:
        response = call()
    return response, len(captured.captured_queries)


def test_the_notice_page_stays_within_its_query_budget(client, adm):
    notice = make_notice(adm)
    url = _url("jobs:notice", notice.pk)
    first = client.get(url)  # renders and caches the body
    response, count = _count(lambda: client.get(url))
    assert response.status_code == 200 and count <= WARM_PAGE_BUDGET
    response, count = _count(lambda: client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]))
    assert response.status_code == 304 and count <= NOT_MODIFIED_BUDGET


def test_a_publication_warms_the_pages_in_every_language(client, adm, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from tawasul.jobs import pages
    from tawasul.jobs.models import Notice
    from tawasul.jobs.services import notice_publish

    draft = make_notice(adm, publish=False)
    with django_capture_on_commit_callbacks() as callbacks:
        notice_publish(actor=draft.recruiter, notice=draft)
    assert callbacks  # the warm-up task is enqueued after commit
    notice = Notice.objects.get(pk=draft.pk)
    assert pages.warm(notice.pk) == 4  # the notice page in ar, zgh, fr, en (no list yet)
    for language in ("ar", "zgh", "fr", "en"):
        assert cache.get(pages.cache_key("notice", notice.pk, notice.version, True, language))
    # The first reader finds it rendered: the stamp and the cache read only.
    response, count = _count(lambda: client.get(_url("jobs:notice", notice.pk)))
    assert response.status_code == 200 and count <= WARM_PAGE_BUDGET
    assert "Informatique" in response.content.decode()


def test_a_reader_without_cookies_gets_the_whole_page_the_first_one_got(adm):
    """ADR 0059: the page of a reader who sends no cookie is the same for all: kept whole, it
    costs the stamp and one cache read, and renders nothing."""
    from django.core.cache import cache

    from tawasul.jobs import pages

    notice = make_notice(adm)
    url = _url("jobs:notice", notice.pk)
    first = Client(HTTP_ACCEPT_LANGUAGE="fr").get(url)
    key = pages.page_key("notice", notice.pk, notice.version, True, f"testserver{url}")
    assert cache.get(key) == first.content.decode()

    second, count = _count(lambda: Client(HTTP_ACCEPT_LANGUAGE="fr").get(url))

    assert second.status_code == 200 and second.content == first.content
    assert second.templates == [] and first.templates  # nothing rendered for the second reader
    assert count <= WARM_PAGE_BUDGET  # the stamp, and the page where the cache is the database
    assert second["ETag"] == first["ETag"] and "Content-Security-Policy" in second
    arabic = Client().get(_url("jobs:notice", notice.pk, lang="ar")).content.decode()
    assert 'dir="rtl"' in arabic and arabic != first.content.decode()


def test_a_signed_in_reader_never_gets_nor_leaves_the_shared_page(adm):
    from tawasul.accounts.tests.factories import UserFactory

    notice = make_notice(adm)
    url = _url("jobs:notice", notice.pk)
    anonymous = Client(HTTP_ACCEPT_LANGUAGE="fr")
    signed_in = Client(HTTP_ACCEPT_LANGUAGE="fr")
    signed_in.force_login(UserFactory(email="salma.reader@example.ma"))

    shared = anonymous.get(url).content.decode()  # kept for the readers without cookies
    own = signed_in.get(url).content.decode()
    after = Client(HTTP_ACCEPT_LANGUAGE="fr").get(url).content.decode()

    assert "salma.reader@example.ma" in own and "csrfmiddlewaretoken" in own
    assert "salma.reader@example.ma" not in shared + after and "csrfmiddlewaretoken" not in shared + after
    assert after == shared
