"""The recruiting unit's pages: a recruiter of X works on X's notices only; a recruiter of Y, an
officer of X and a citizen get nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tawasul.cases.tests.factories import make_staff
from tawasul.jobs.models import Application, ListKind, Notice
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_application, make_document, make_notice, make_recruiter

pytestmark = pytest.mark.django_db


def _url(name, *args):
    with translation.override("fr"):
        return reverse(name, args=args)


def _client(user):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def x():
    return AdministrationFactory(code="jobs-sx")


@pytest.fixture
def y():
    return AdministrationFactory(code="jobs-sy")


def test_a_recruiter_creates_edits_and_publishes_a_draft(x):
    recruiter = make_recruiter(x)
    client = _client(recruiter)
    deadline = (timezone.localtime() + dt.timedelta(days=20)).strftime("%Y-%m-%dT16:30")
    data = {
        "administration": x.code,
        "kind": "recruitment_competition",
        "title_ar": "مباراة لتوظيف تقنيين",
        "title_fr": "Concours de techniciens",
        "grade": "Technicien de 3e grade",
        "scale": "9",
        "deadline_at": deadline,
        "application_channel": "portal",
        "age_max": "40",
        "age_extension_for_prior_service": "on",
        "age_limit_waived_for_civil_servants": "on",
        "quota_veterans_percent": "25",
        "quota_disability_percent": "7",
        "lines_text": "Électricité | Rabat | 4\nMécanique | Oujda | 2",
        "centres_text": "Rabat",
        "tests_text": "written | 180 | 3",
        "documents_text": "CV",
    }
    bad = client.post(_url("jobs:staff_notice_create"), {**data, "lines_text": "Électricité | Rabat | many"})
    assert bad.status_code == 200 and "Électricité | Rabat | many" in bad.content.decode()
    response = client.post(_url("jobs:staff_notice_create"), data)
    notice = Notice.objects.get(title_fr="Concours de techniciens")
    assert response.status_code == 302 and notice.posts_total == 6 and notice.status == "draft"
    assert timezone.localtime(notice.deadline_at).strftime("%H:%M") == "16:30"
    client.post(_url("jobs:staff_notice_edit", notice.pk), {**data, "lines_text": "Électricité | Rabat | 5"})
    notice.refresh_from_db()
    assert notice.posts_total == 5
    client.post(_url("jobs:staff_notice_publish", notice.pk))
    notice.refresh_from_db()
    assert notice.status == "published"
    assert Client().get(_url("jobs:notice", notice.pk)).status_code == 200


def test_a_recruiter_of_y_an_officer_of_x_and_a_citizen_get_nothing(x, y):
    notice = make_notice(x)
    application = make_application(notice)
    document = make_document(application)
    urls = [
        _url("jobs:staff_notice", notice.pk),
        _url("jobs:staff_notice_edit", notice.pk),
        _url("jobs:staff_application", application.reference),
        _url("jobs:staff_application_document", application.reference, document.pk),
        _url("jobs:staff_list_publish", notice.pk, "preselected_written"),
    ]
    recruiter_y = _client(make_recruiter(y))
    for url in urls:
        assert recruiter_y.get(url).status_code == 404, url
    assert notice.title not in recruiter_y.get(_url("jobs:staff_notices")).content.decode()
    assert recruiter_y.post(_url("jobs:staff_notice_publish", notice.pk)).status_code == 404
    for user in (make_staff(x, role="officer"), application.candidate):
        client = _client(user)
        for url in [*urls, _url("jobs:staff_notices")]:
            assert client.get(url).status_code == 403, url
    recruiter_x = _client(notice.recruiter)
    for url in urls:
        # the edit page of a published notice sends back to the notice
        assert recruiter_x.get(url).status_code in (200, 302), url
    assert application.full_name in recruiter_x.get(_url("jobs:staff_notice", notice.pk)).content.decode()


def test_preselect_publish_the_lists_and_record_a_withdrawal_through_the_pages(x):
    notice = make_notice(x)
    apps = [make_application(notice) for _ in range(4)]
    Notice.objects.filter(pk=notice.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=1))
    client = _client(notice.recruiter)
    client.post(_url("jobs:staff_preselect", notice.pk), {"selected": [a.pk for a in apps[:3]]})
    assert Application.objects.filter(status="preselected").count() == 3
    # Out of order: refused with a message, nothing published.
    response = client.post(_url("jobs:staff_list_publish", notice.pk, "final_main"), {f"rank_{apps[0].pk}": 1})
    assert response.status_code == 200 and not notice.lists.exists()
    for kind, ranks in (
        (ListKind.PRESELECTED_WRITTEN, {0: 1, 1: 2, 2: 3}),
        (ListKind.CONVOKED_ORAL, {0: 1, 1: 2, 2: 3}),
        (ListKind.FINAL_MAIN, {1: 1}),
        (ListKind.FINAL_WAITING, {2: 1, 0: 2}),
    ):
        page = client.get(_url("jobs:staff_list_publish", notice.pk, kind))
        assert page.status_code == 200
        response = client.post(
            _url("jobs:staff_list_publish", notice.pk, kind), {f"rank_{apps[i].pk}": r for i, r in ranks.items()}
        )
        assert response.status_code == 302, (kind, response.content.decode()[:2000])
    response = client.post(
        _url("jobs:staff_withdrawal", notice.pk), {"reference": apps[1].reference.lower()}, follow=True
    )
    assert apps[2].full_name in response.content.decode()
    apps[2].refresh_from_db()
    assert apps[2].status == "final_main"
    public = Client().get(_url("jobs:list", notice.pk, "withdrawals")).content.decode()
    assert apps[1].reference in public


def test_the_recruiter_attaches_the_notice_pdf_and_everyone_downloads_it(x, y):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tawasul.core.tests.upload_corpus import pdf_bytes

    from .factories import png_upload

    notice = make_notice(x)
    version = notice.version
    url = _url("jobs:staff_notice_file", notice.pk, "order")
    assert _client(make_recruiter(y)).post(url, {"file": SimpleUploadedFile("a.pdf", pdf_bytes())}).status_code == 404
    client = _client(notice.recruiter)
    client.post(url, {"file": png_upload("not-a-pdf.png")})
    notice.refresh_from_db()
    assert not notice.opening_order_pdf
    client.post(url, {"file": SimpleUploadedFile("arrete.pdf", pdf_bytes())})
    notice.refresh_from_db()
    assert notice.opening_order_pdf and notice.version == version + 1
    public = Client().get(_url("jobs:notice_file", notice.pk, "order"))
    assert public.status_code == 200 and public["Content-Type"] == "application/pdf"
    assert b"".join(public.streaming_content).startswith(b"%PDF")
    assert Client().get(_url("jobs:notice_file", notice.pk, "notice")).status_code == 404
    assert _url("jobs:notice_file", notice.pk, "order") in Client().get(_url("jobs:notice", notice.pk)).content.decode()


def test_the_preselection_touches_only_the_page_shown_or_everyone_on_request(x):
    notice = make_notice(x)
    apps = [make_application(notice) for _ in range(4)]
    Notice.objects.filter(pk=notice.pk).update(deadline_at=timezone.now() - dt.timedelta(hours=1))
    client = _client(notice.recruiter)
    page = client.get(_url("jobs:staff_notice", notice.pk) + "?status=submitted")
    assert page.status_code == 200 and apps[3].reference in page.content.decode()
    # The recruiter looked at the first two only: the other two keep their status.
    client.post(_url("jobs:staff_preselect", notice.pk), {"selected": [apps[0].pk], "shown": [apps[0].pk, apps[1].pk]})
    assert [Application.objects.get(pk=a.pk).status for a in apps] == [
        "preselected",
        "not_preselected",
        "submitted",
        "submitted",
    ]
    client.post(_url("jobs:staff_preselect", notice.pk), {"all": "1"})
    assert set(Application.objects.filter(notice=notice).values_list("status", flat=True)) == {"preselected"}


def test_the_export_holds_only_the_notices_applications_and_defuses_formulas(x, y):
    from .factories import make_candidate

    notice = make_notice(x)
    other = make_notice(y)
    mine = make_application(notice, make_candidate(first_name="=HYPERLINK(1)", last_name="Alaoui"))
    theirs = make_application(other)
    url = _url("jobs:staff_export", notice.pk)
    assert _client(make_recruiter(y)).get(url).status_code == 404
    response = _client(notice.recruiter).get(url)
    body = b"".join(response.streaming_content).decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert mine.reference in body and theirs.reference not in body
    assert "'=HYPERLINK(1) Alaoui" in body and "AB123456" in body


def test_a_recruiter_without_two_factor_is_sent_to_enrol(x, settings):
    settings.STAFF_2FA_REQUIRED = True
    response = _client(make_recruiter(x)).get(_url("jobs:staff_notices"))
    assert response.status_code == 302 and "/accounts/2fa/" in response["Location"]
