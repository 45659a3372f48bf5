"""Law 09-08: a candidate's profile, applications and files in the export; erasure deletes the
profile and files and blanks unpublished names; retention deletes old files."""

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from tawasul.jobs.models import ApplicationDocument, CandidateProfile, ListEntry, PublishedList
from tawasul.jobs.personal_data import JobsPersonalData
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_application, make_candidate, make_document, make_notice

pytestmark = pytest.mark.django_db


def test_export_and_erase(django_capture_on_commit_callbacks):
    notice = make_notice(AdministrationFactory(code="jobs-pd"))
    user = make_candidate(first_name="Salma", last_name="Berrada")
    published = make_application(notice, user)
    document = make_document(published)
    other = make_notice(notice.administration, recruiter=notice.recruiter)
    unpublished = make_application(other, user)
    lst = PublishedList.objects.create(notice=notice, kind="preselected_written")
    ListEntry.objects.create(list=lst, application=published, position=1, full_name="Salma Berrada", reference="x")

    rows = JobsPersonalData().export(user)
    assert rows[0]["candidate_profile"]["birth_date"] == "1995-05-01"
    assert {r.get("reference") for r in rows[1:]} == {published.reference, unpublished.reference}

    with django_capture_on_commit_callbacks(execute=True):
        JobsPersonalData().erase(user, actor=None)
    assert not CandidateProfile.objects.filter(user=user).exists()
    assert not ApplicationDocument.objects.exists()
    assert not default_storage.exists(document.storage_name)
    published.refresh_from_db()
    unpublished.refresh_from_db()
    assert published.full_name == "Salma Berrada" and unpublished.full_name == ""


def test_purge_deletes_the_files_of_old_notices():
    notice = make_notice(AdministrationFactory(code="jobs-pd2"))
    make_document(make_application(notice))
    assert JobsPersonalData().purge(timezone.now()) == 0
    assert JobsPersonalData().purge(timezone.now() + dt.timedelta(days=30)) == 1
