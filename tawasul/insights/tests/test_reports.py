"""The monthly and year-end reports: PDF in Arabic with the figures, XLSX right to left, stored
through the storage API and listed for the national unit only."""

import datetime as dt
import io

import openpyxl
import pypdf
import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from tawasul.accounts.roles import Role
from tawasul.cases.tests.factories import make_staff
from tawasul.complaints.services import complaint_answer
from tawasul.complaints.tests.factories import make_complaint, staff_actor
from tawasul.insights.models import OpenDataset, Report
from tawasul.insights.reports import TITLES, report_generate
from tawasul.insights.selectors import duration_display
from tawasul.insights.tasks import publish_due
from tawasul.registry.tests.factories import AdministrationFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC)


@pytest.fixture
def october(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    settings.MEDIA_ROOT = tmp_path
    adm = AdministrationFactory(name_ar="وزارة التجهيز والماء", code="equipement")
    with time_machine.travel(T0, tick=False):
        cases = [make_complaint(adm) for _ in range(7)]
    with time_machine.travel(T0 + dt.timedelta(hours=6), tick=False):
        for case in cases[:3]:
            complaint_answer(case=case, actor=staff_actor(case), note="Réponse.", outcome="positive")
    return adm


def _pdf_text(field) -> str:
    with field.open("rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_monthly_report_pdf_is_arabic_with_the_figures(october):
    with time_machine.travel(dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC), tick=False):
        report = report_generate(
            kind=Report.Kind.MONTHLY, period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31)
        )
    text = _pdf_text(report.pdf)
    assert TITLES[Report.Kind.MONTHLY] in text
    assert "وزارة التجهيز والماء" in text
    assert "42.9 %" in text  # 3 of 7 processed
    with translation.override("ar"):  # the report is in Arabic
        six_hours = duration_display(6)
    assert six_hours in text  # first action = answer, 6 hours after receipt


def test_monthly_report_xlsx_has_right_to_left_sheets_and_figures(october):
    with time_machine.travel(dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC), tick=False):
        report = report_generate(
            kind=Report.Kind.MONTHLY, period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31)
        )
    with report.xlsx.open("rb") as handle:
        book = openpyxl.load_workbook(io.BytesIO(handle.read()))
    first = book.worksheets[0]
    assert first.sheet_view.rightToLeft
    assert TITLES[Report.Kind.MONTHLY] in first["A1"].value
    values = [cell.value for row in book.worksheets[2].iter_rows() for cell in row]
    assert "وزارة التجهيز والماء" in values and 7 in values and "42.9 %" in values


def test_pending_report_counts_what_was_open_at_the_year_end(october):
    with time_machine.travel(dt.datetime(2027, 1, 3, 6, tzinfo=dt.UTC), tick=False):
        report = report_generate(
            kind=Report.Kind.PENDING, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 12, 31)
        )
    text = _pdf_text(report.pdf)
    assert TITLES[Report.Kind.PENDING] in text
    with report.xlsx.open("rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).worksheets[0]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert rows[0][:4] == ["وزارة التجهيز والماء", 4, 4, 4]  # 4 open, past their 60-day deadline


def test_the_sweep_publishes_last_month_once(october):
    with time_machine.travel(dt.datetime(2026, 11, 1, 10, tzinfo=dt.UTC), tick=False):
        assert publish_due() == ["monthly 2026-10", "open data 2026-10"]
        assert publish_due() == []
    assert Report.objects.count() == 1 and OpenDataset.objects.count() == 1


def test_only_the_national_unit_lists_and_downloads_reports(october, client):
    with time_machine.travel(dt.datetime(2026, 11, 2, 6, tzinfo=dt.UTC), tick=False):
        report = report_generate(
            kind=Report.Kind.MONTHLY, period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31)
        )
    head = make_staff(october, role=Role.HEAD_OF_UNIT)
    client.force_login(head)
    assert client.get(reverse("insights:reports")).status_code == 403
    assert client.get(reverse("insights:report_pdf", args=[report.pk])).status_code == 403
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    page = client.get(reverse("insights:reports"))
    assert page.status_code == 200 and reverse("insights:report_pdf", args=[report.pk]) in page.text
    download = client.get(reverse("insights:report_xlsx", args=[report.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")


def test_a_bad_month_is_refused_with_a_message_and_kept(october, client):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    page = client.post(reverse("insights:reports"), {"kind": "monthly", "month": "2026-13"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert page.status_code == 200
    assert "YYYY-MM" in page.text and 'value="2026-13"' in page.text


def test_asking_for_a_report_enqueues_it_after_commit(october, client, django_capture_on_commit_callbacks):
    client.force_login(make_staff(AdministrationFactory(), role=Role.NATIONAL_UNIT))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        answer = client.post(reverse("insights:reports"), {"kind": "monthly", "month": "2026-10"})
    assert answer.status_code == 302 and len(callbacks) == 1
