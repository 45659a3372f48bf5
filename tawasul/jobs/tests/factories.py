"""Builders for the jobs portal's tests (and the access matrix's world)."""

from __future__ import annotations

import datetime as dt
import io
import itertools

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tawasul.accounts.roles import Role
from tawasul.accounts.tests.factories import UserFactory
from tawasul.cases.tests.factories import make_staff

from ..models import Application, ApplicationDocument, CandidateProfile, Notice
from ..services import LineData, TestData, notice_publish, notice_save

_n = itertools.count(1)


def png_upload(name="photo.png") -> SimpleUploadedFile:
    """A real, tiny PNG (it passes `tawasul.core.uploads`)."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (20, 120, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def make_recruiter(administration):
    return make_staff(administration, role=Role.RECRUITER)


def make_notice(
    administration,
    *,
    recruiter=None,
    publish: bool = True,
    deadline_at: dt.datetime | None = None,
    documents=("CV", "Copy of the diploma"),
    centres=("Rabat", "Fès"),
    **fields,
) -> Notice:
    """A notice of `administration` (published unless `publish=False`), with two lines."""
    recruiter = recruiter or make_recruiter(administration)
    values = {
        "kind": "recruitment_competition",
        "title_ar": f"مباراة توظيف متصرفين {next(_n)}",
        "title_fr": "Concours de recrutement d'administrateurs",
        "grade": "Administrateur de 2e grade",
        "scale": 11,
        "age_max": 40,
        "deadline_at": deadline_at or timezone.now() + dt.timedelta(days=10),
        "application_channel": "portal",
        **fields,
    }
    notice = notice_save(
        actor=recruiter,
        administration=administration,
        fields=values,
        lines=[LineData("Informatique", "Rabat", 3), LineData("Droit", "Fès", 2)],
        centres=list(centres),
        tests=[TestData("written", 180, 3), TestData("oral", 30, 3)],
        documents=list(documents),
    )
    if publish:
        notice = notice_publish(actor=recruiter, notice=notice)
    notice.recruiter = recruiter
    return notice


def make_candidate(*, birth_date=dt.date(1995, 5, 1), prior_service_years=0, **user_fields):
    user = UserFactory(cin="AB123456", phone="+212612345678", **user_fields)
    CandidateProfile.objects.create(
        user=user, birth_date=birth_date, diplomas="Master, 2019", prior_service_years=prior_service_years
    )
    return user


def make_application(notice: Notice, candidate=None, *, status="submitted", **fields) -> Application:
    """An application written directly (no deadline check): for lists and access tests."""
    from tawasul.core.references import next_reference

    candidate = candidate or make_candidate()
    application = Application.objects.create(
        reference=next_reference("JOB"),
        notice=notice,
        line=notice.lines.first(),
        centre=notice.centres.first(),
        candidate=candidate,
        full_name=candidate.get_full_name() or str(candidate),
        status=status,
        **fields,
    )
    return application


def make_document(application: Application) -> ApplicationDocument:
    from tawasul.core.uploads import check_upload, store_checked_file

    upload = png_upload("cv.png")
    checked = check_upload(upload)
    name = store_checked_file(upload, checked, folder="jobs")
    return ApplicationDocument.objects.create(
        application=application,
        required=application.notice.documents.first(),
        storage_name=name,
        display_name=checked.safe_name,
        kind=checked.kind,
        mime=checked.mime,
        size=checked.size,
        sha256=checked.sha256,
    )


def uploads_for(notice: Notice) -> dict:
    return {doc.pk: png_upload(f"doc{doc.pk}.png") for doc in notice.documents.all()}
