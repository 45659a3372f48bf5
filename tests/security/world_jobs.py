"""Objects of the jobs portal for the access matrix: a published notice of administration X with a
published list, and one application each of citizen A and citizen B (A's with a document)."""

from __future__ import annotations

from functools import cached_property

from .routes import CITIZEN_A, CITIZEN_B


class Mixin:
    @cached_property
    def job_notice(self):
        from tawasul.jobs.tests.factories import make_notice

        return make_notice(self.admin_x)

    @cached_property
    def job_list(self):
        from tawasul.jobs.models import ListEntry, PublishedList

        lst = PublishedList.objects.create(notice=self.job_notice, kind="preselected_written")
        app = self.job_app_a
        ListEntry.objects.create(
            list=lst, application=app, position=1, full_name=app.full_name, reference=app.reference
        )
        return lst

    def _job_application(self, persona):
        from tawasul.jobs.models import CandidateProfile
        from tawasul.jobs.tests.factories import make_application

        user = self.users[persona]
        CandidateProfile.objects.get_or_create(user=user, defaults={"birth_date": "1995-01-01", "diplomas": "Master"})
        return make_application(self.job_notice, user)

    @cached_property
    def job_app_a(self):
        return self._job_application(CITIZEN_A)

    @cached_property
    def job_app_b(self):
        return self._job_application(CITIZEN_B)

    @cached_property
    def job_document_a(self):
        from tawasul.jobs.tests.factories import make_document

        return make_document(self.job_app_a)

    @cached_property
    def job_notice_file(self) -> str:
        """X's notice with its notice PDF attached; the URL slug of that file."""
        from django.core.files.base import ContentFile

        notice = self.job_notice
        notice.notice_pdf.save("notice.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
        return "notice"
