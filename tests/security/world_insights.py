"""Objects of insights for the access matrix: one stored report, one open dataset."""

from __future__ import annotations

import datetime as dt
from functools import cached_property


class Mixin:
    @cached_property
    def insights_report(self):
        from django.core.files.base import ContentFile

        from tawasul.insights.models import Report

        report = Report(kind=Report.Kind.MONTHLY, period_start=dt.date(2026, 1, 1), period_end=dt.date(2026, 1, 31))
        report.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4 matrix"), save=False)
        report.xlsx.save("matrix.xlsx", ContentFile(b"PK matrix"), save=False)
        report.save()
        return report

    @cached_property
    def insights_dataset(self):
        from tawasul.insights.opendata import open_dataset_publish

        return open_dataset_publish(month=dt.date(2026, 1, 1))
