"""The rules of R4 in the services: deadline lock, age, authorisation, one application per
notice, lists in order, withdrawal promotes the waiting list, audit trail."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from tawasul.jobs.models import Application, JobEvent, ListEntry, ListKind, Notice
from tawasul.jobs.services import (
    JobActionRefused,
    application_submit,
    application_withdraw,
    applications_preselect,
    list_publish,
    list_record_withdrawal,
    next_list_kind,
    notice_publish,
)
from tawasul.notifications.models import Notification
from tawasul.registry.tests.factories import AdministrationFactory

from .factories import make_application, make_candidate, make_notice, make_recruiter, png_upload, uploads_for

pytestmark = pytest.mark.django_db
CASA = ZoneInfo("Africa/Casablanca")


@pytest.fixture
def adm():
    return AdministrationFactory(code="jobs-x")


def _submit(notice, user, **kw):
    return application_submit(
        user=user,
        notice=notice,
        line=notice.lines.first(),
        centre=notice.centres.first(),
        is_civil_servant=kw.pop("is_civil_servant", False),
        documents=kw.pop("documents", None) or uploads_for(notice),
        **kw,
    )


def test_posts_total_is_the_sum_of_the_lines(adm):
    notice = make_notice(adm)
    assert notice.posts_total == 5
    assert notice.search_text  # normalised words for the list filter


def test_only_a_recruiter_of_the_administration_publishes(adm):
    notice = make_notice(adm, publish=False)
    other = make_recruiter(AdministrationFactory(code="jobs-y"))
    with pytest.raises(PermissionDenied):
        notice_publish(actor=other, notice=notice)
    from tawasul.cases.tests.factories import make_staff

    with pytest.raises(PermissionDenied):
        notice_publish(actor=make_staff(adm, role="officer"), notice=notice)
    assert Notice.objects.get(pk=notice.pk).status == "draft"


def test_publishing_bumps_the_version(adm):
    notice = make_notice(adm, publish=False)
    before = notice.version
    notice = notice_publish(actor=notice.recruiter, notice=notice)
    assert notice.version == before + 1 and notice.published_at


def test_apply_gives_a_reference_stores_files_and_queues_the_receipt(adm):
    notice = make_notice(adm)
    user = make_candidate(first_name="Amina", last_name="Alaoui")
    application = _submit(notice, user)
    assert application.reference.startswith("JOB-")
    assert application.documents.count() == 2
    assert application.full_name == "Amina Alaoui"
    mail = Notification.objects.get(subject_ref=application.reference)
    assert mail.to == user.email and mail.template == "jobs/application_received"
    assert JobEvent.objects.filter(application=application, action="application_submitted").count() == 1


def test_the_application_locks_at_the_deadline_time():
    adm = AdministrationFactory(code="jobs-dl")
    deadline = dt.datetime(2026, 7, 20, 16, 30, tzinfo=CASA)
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, tzinfo=CASA), tick=False):
        notice = make_notice(adm, deadline_at=deadline)
    user, late = make_candidate(), make_candidate()
    with time_machine.travel(dt.datetime(2026, 7, 20, 16, 29, tzinfo=CASA), tick=False):
        application = _submit(notice, user)
    with time_machine.travel(dt.datetime(2026, 7, 20, 16, 30, tzinfo=CASA), tick=False):
        with pytest.raises(JobActionRefused) as refused:
            _submit(notice, late)
        assert refused.value.code == "deadline"
        with pytest.raises(JobActionRefused):
            application_withdraw(user=user, application=application)


@pytest.mark.parametrize(
    ("birth", "years", "civil_servant", "ok"),
    [
        (dt.date(1986, 1, 1), 0, False, True),  # 40 on 1 January 2026
        (dt.date(1984, 12, 31), 0, False, False),  # 41
        (dt.date(1983, 6, 1), 3, False, True),  # 42, limit 40 + 3
        (dt.date(1980, 6, 1), 10, False, False),  # 45, limit capped at 45 ... 45 is fine, 46 not
        (dt.date(1970, 6, 1), 0, True, True),  # waived for a serving civil servant
        (dt.date(2008, 6, 1), 0, False, False),  # 17
    ],
)
def test_age_on_the_first_of_january(birth, years, civil_servant, ok):
    adm = AdministrationFactory(code=f"jobs-age-{birth.year}-{years}")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, tzinfo=CASA), tick=False):
        notice = make_notice(adm, deadline_at=dt.datetime(2026, 4, 1, 16, 30, tzinfo=CASA))
        user = make_candidate(birth_date=birth, prior_service_years=years)
        extra = {"is_civil_servant": True, "authorisation": png_upload("auth.png")} if civil_servant else {}
        if birth == dt.date(1980, 6, 1):
            # 45 on 1 January 2026: allowed by 40 + 10 capped at 45; one year older is refused.
            _submit(notice, user, **extra)
            user = make_candidate(birth_date=dt.date(1979, 6, 1), prior_service_years=10)
        if ok:
            assert _submit(notice, user, **extra).pk
        else:
            with pytest.raises(JobActionRefused) as refused:
                _submit(notice, user, **extra)
            assert refused.value.code == "eligibility"


def test_a_civil_servant_must_attach_the_authorisation(adm):
    notice = make_notice(adm)
    with pytest.raises(JobActionRefused) as refused:
        _submit(notice, make_candidate(), is_civil_servant=True)
    assert refused.value.code == "authorisation"


def test_every_required_document_is_needed(adm):
    notice = make_notice(adm)
    docs = uploads_for(notice)
    docs.pop(next(iter(docs)))
    with pytest.raises(JobActionRefused) as refused:
        _submit(notice, make_candidate(), documents=docs)
    assert refused.value.code == "documents"


def test_a_fake_file_is_refused_by_the_upload_checks(adm):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tawasul.core.uploads import UploadRejected

    notice = make_notice(adm)
    docs = {pk: SimpleUploadedFile("cv.pdf", b"MZ\x90\x00 not a pdf") for pk in uploads_for(notice)}
    with pytest.raises(UploadRejected):
        _submit(notice, make_candidate(), documents=docs)
    assert not Application.objects.exists()


def test_one_application_per_candidate_per_notice_until_withdrawn(adm):
    notice = make_notice(adm)
    user = make_candidate()
    first = _submit(notice, user)
    with pytest.raises(JobActionRefused) as refused:
        _submit(notice, user)
    assert refused.value.code == "duplicate"
    application_withdraw(user=user, application=first)
    assert _submit(notice, user).pk != first.pk


def test_nobody_else_withdraws_an_application(adm):
    notice = make_notice(adm)
    application = _submit(notice, make_candidate())
    with pytest.raises(PermissionDenied):
        application_withdraw(user=make_candidate(), application=application)


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"kind": "senior_post_art49"}, "channel"),
        ({"application_channel": "post", "application_target": "BP 1"}, "channel"),
    ],
)
def test_no_portal_application_outside_the_portal_channel(adm, fields, code):
    notice = make_notice(adm, **fields)
    with pytest.raises(JobActionRefused) as refused:
        _submit(notice, make_candidate())
    assert refused.value.code == code


# --- Lists ----------------------------------------------------------------------------------------


@pytest.fixture
def closed_notice(adm):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=CASA), tick=False):
        notice = make_notice(adm, deadline_at=dt.datetime(2026, 1, 20, 16, 30, tzinfo=CASA))
    return notice


def _publish_all(notice, apps):
    actor = notice.recruiter
    applications_preselect(actor=actor, notice=notice, selected_ids=[a.pk for a in apps[:5]])
    list_publish(
        actor=actor, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[a.pk for a in apps[:5]]
    )
    list_publish(actor=actor, notice=notice, kind=ListKind.CONVOKED_ORAL, application_ids=[a.pk for a in apps[:4]])
    list_publish(actor=actor, notice=notice, kind=ListKind.FINAL_MAIN, application_ids=[apps[1].pk, apps[0].pk])
    list_publish(actor=actor, notice=notice, kind=ListKind.FINAL_WAITING, application_ids=[apps[3].pk, apps[2].pk])


def test_lists_are_published_in_order_and_show_no_identity(closed_notice):
    apps = [make_application(closed_notice) for _ in range(6)]
    actor = closed_notice.recruiter
    with pytest.raises(JobActionRefused) as refused:
        list_publish(actor=actor, notice=closed_notice, kind=ListKind.CONVOKED_ORAL, application_ids=[apps[0].pk])
    assert refused.value.code == "order"
    _publish_all(closed_notice, apps)
    with pytest.raises(JobActionRefused):
        list_publish(actor=actor, notice=closed_notice, kind=ListKind.FINAL_MAIN, application_ids=[apps[0].pk])
    main = closed_notice.lists.get(kind=ListKind.FINAL_MAIN)
    assert [e.reference for e in main.entries.all()] == [apps[1].reference, apps[0].reference]
    entry_fields = {f.name for f in ListEntry._meta.get_fields()}
    assert not entry_fields & {"cin", "birth_date"}
    apps[5].refresh_from_db()
    assert apps[5].status == Application.Status.NOT_PRESELECTED
    apps[4].refresh_from_db()
    assert apps[4].status == Application.Status.PRESELECTED


def test_a_list_takes_only_candidates_of_the_list_before(closed_notice):
    apps = [make_application(closed_notice) for _ in range(3)]
    actor = closed_notice.recruiter
    applications_preselect(actor=actor, notice=closed_notice, selected_ids=[apps[0].pk])
    list_publish(actor=actor, notice=closed_notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[apps[0].pk])
    with pytest.raises(JobActionRefused) as refused:
        list_publish(actor=actor, notice=closed_notice, kind=ListKind.CONVOKED_ORAL, application_ids=[apps[1].pk])
    assert refused.value.code == "not_eligible"


def test_lists_wait_for_the_deadline(adm):
    notice = make_notice(adm)
    application = make_application(notice)
    with pytest.raises(JobActionRefused):
        applications_preselect(actor=notice.recruiter, notice=notice, selected_ids=[application.pk])


def test_a_withdrawal_promotes_the_first_of_the_waiting_list(closed_notice):
    apps = [make_application(closed_notice) for _ in range(5)]
    _publish_all(closed_notice, apps)
    version = Notice.objects.get(pk=closed_notice.pk).version
    promoted = list_record_withdrawal(actor=closed_notice.recruiter, notice=closed_notice, application=apps[0])
    assert promoted == apps[3]
    main = closed_notice.lists.get(kind=ListKind.FINAL_MAIN)
    assert [(e.reference, e.struck) for e in main.entries.all()] == [
        (apps[1].reference, False),
        (apps[0].reference, True),
        (apps[3].reference, False),
    ]
    withdrawals = closed_notice.lists.get(kind=ListKind.WITHDRAWALS)
    assert [e.reference for e in withdrawals.entries.all()] == [apps[0].reference]
    apps[0].refresh_from_db()
    apps[3].refresh_from_db()
    assert (apps[0].status, apps[3].status) == ("desisted", "final_main")
    assert Notice.objects.get(pk=closed_notice.pk).version == version + 1
    # The second withdrawal calls the next one; a third finds the waiting list empty.
    assert list_record_withdrawal(actor=closed_notice.recruiter, notice=closed_notice, application=apps[1]) == apps[2]
    assert list_record_withdrawal(actor=closed_notice.recruiter, notice=closed_notice, application=apps[3]) is None
    with pytest.raises(JobActionRefused):
        list_record_withdrawal(actor=closed_notice.recruiter, notice=closed_notice, application=apps[4])
    assert JobEvent.objects.filter(notice=closed_notice, action="withdrawal_recorded").count() == 3


def test_a_recruiter_of_another_administration_cannot_publish_lists(closed_notice):
    other = make_recruiter(AdministrationFactory(code="jobs-other"))
    with pytest.raises(PermissionDenied):
        list_publish(actor=other, notice=closed_notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[])


def test_the_receipt_email_renders_in_the_candidates_language(adm):
    from tawasul.notifications.sending import render

    notice = make_notice(adm)
    user = make_candidate(preferred_language="fr")
    application = _submit(notice, user)
    mail = Notification.objects.get(subject_ref=application.reference)
    assert mail.language == "fr"
    subject, body = render(mail)
    assert application.reference in subject
    assert application.reference in body and notice.title_fr in body and "Informatique" in body


# --- Art. 92 senior posts (decree 2-12-412) -------------------------------------------------------


def _senior(adm):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=CASA), tick=False):
        return make_notice(
            adm, kind="senior_post_art92", age_max=None, deadline_at=dt.datetime(2026, 1, 20, 16, 30, tzinfo=CASA)
        )


def test_a_senior_post_publishes_three_proposed_then_the_appointed(adm):
    notice = _senior(adm)
    apps = [make_application(notice) for _ in range(5)]
    actor = notice.recruiter
    assert next_list_kind(notice) == ListKind.SHORTLIST
    with pytest.raises(JobActionRefused) as refused:
        list_publish(actor=actor, notice=notice, kind=ListKind.SHORTLIST, application_ids=[a.pk for a in apps[:4]])
    assert refused.value.code == "too_many"
    with pytest.raises(JobActionRefused):  # not R4's competition lists
        list_publish(actor=actor, notice=notice, kind=ListKind.PRESELECTED_WRITTEN, application_ids=[apps[0].pk])
    list_publish(actor=actor, notice=notice, kind=ListKind.SHORTLIST, application_ids=[a.pk for a in apps[:3]])
    with pytest.raises(JobActionRefused) as refused:
        list_publish(actor=actor, notice=notice, kind=ListKind.APPOINTED, application_ids=[apps[4].pk])
    assert refused.value.code == "not_eligible"
    list_publish(actor=actor, notice=notice, kind=ListKind.APPOINTED, application_ids=[apps[1].pk])
    apps[1].refresh_from_db()
    assert apps[1].status == "appointed" and next_list_kind(notice) is None


def test_with_no_candidacy_the_minister_proposes_a_person_directly(adm):
    notice = _senior(adm)
    assert next_list_kind(notice) == ListKind.APPOINTED
    lst = list_publish(
        actor=notice.recruiter, notice=notice, kind=ListKind.APPOINTED, application_ids=[], direct_name="Nadia Lahlou"
    )
    assert [e.full_name for e in lst.entries.all()] == ["Nadia Lahlou"]


def test_a_direct_name_is_refused_when_someone_applied(adm):
    notice = _senior(adm)
    make_application(notice)
    with pytest.raises(JobActionRefused):
        list_publish(
            actor=notice.recruiter, notice=notice, kind=ListKind.SHORTLIST, application_ids=[], direct_name="X"
        )
