"""Background jobs of insights (ARCHITECTURE.md §3.8: small, idempotent)."""

from __future__ import annotations

from datetime import date, datetime

from django_tasks import task

from tawasul.core.calendar import CALENDAR_TZ

from .counters import indicators_refresh
from .models import OpenDataset, Report
from .opendata import open_dataset_publish
from .reports import monthly_period, pending_period, report_generate
from .visits import flush_visits


def previous_month(today: date) -> date:
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


def publish_due(*, today: date | None = None) -> list[str]:
    """Generate what the calendar asks for and is missing: last month's report and open data;
    in January, last year's pending report. Idempotent (a unique row per period)."""
    today = today or datetime.now(CALENDAR_TZ).date()
    done = []
    month = previous_month(today)
    start, end = monthly_period(month)
    if not Report.objects.filter(kind=Report.Kind.MONTHLY, period_start=start, period_end=end).exclude(pdf="").exists():
        report_generate(kind=Report.Kind.MONTHLY, period_start=start, period_end=end)
        done.append(f"monthly {month:%Y-%m}")
    if not OpenDataset.objects.filter(month=month).exists():
        open_dataset_publish(month=month)
        done.append(f"open data {month:%Y-%m}")
    if today.month == 1:
        start, end = pending_period(today.year - 1)
        if not Report.objects.filter(kind=Report.Kind.PENDING, period_start=start).exclude(pdf="").exists():
            report_generate(kind=Report.Kind.PENDING, period_start=start, period_end=end)
            done.append(f"pending {today.year - 1}")
    return done


@task(queue_name="sweeps")
def insights_sweep() -> dict:
    """config/jobs.py, every 5 minutes: flush the visit counts, refresh the indicator counters,
    and publish the month's report and open data once the month is over."""
    return {"visits": flush_visits(), "counters": indicators_refresh(), "published": publish_due()}


@task(queue_name="default")
def generate_report(kind: str, period_start: str, period_end: str) -> int:
    """Generate (again) one report on the national unit's demand."""
    report = report_generate(
        kind=kind,
        period_start=date.fromisoformat(period_start),
        period_end=date.fromisoformat(period_end),
        replace=True,
    )
    return report.pk
