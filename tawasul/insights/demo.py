"""Demo data of insights (loaded by `manage.py seed_demo`, after the portals): the indicator
counters built from the demo cases, four weeks of visit counts, and last month's report to the
head of government with its open dataset. Deterministic (a seeded generator) and fast."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tawasul.core.calendar import CALENDAR_TZ

from .counters import indicators_refresh
from .models import VisitDay
from .opendata import open_dataset_publish
from .reports import monthly_period, report_generate
from .tasks import previous_month

#: Daily page views per portal, in the proportions of seed 000 (the jobs portal far ahead).
DAILY_VIEWS = {
    "home": 900,
    "complaints": 420,
    "catalog": 640,
    "facilities": 90,
    "information": 120,
    "jobs": 2600,
    "documents": 260,
}
VISIT_DAYS = 28


def load(stdout) -> None:
    rng = random.Random(2026)  # noqa: S311 - demo data, not secrets
    rows = indicators_refresh(full=True)
    stdout.write(f"  indicator counters: {rows} rows")
    today = datetime.now(CALENDAR_TZ).date()
    if not VisitDay.objects.exists():
        visits = []
        for back in range(1, VISIT_DAYS + 1):
            day = today - timedelta(days=back)
            weekend = 0.6 if day.weekday() >= 5 else 1.0
            for portal, base in DAILY_VIEWS.items():
                views = int(base * weekend * rng.uniform(0.8, 1.2))
                visits.append(
                    VisitDay(
                        day=day,
                        portal=portal,
                        views=views,
                        mobile_views=int(views * rng.uniform(0.33, 0.45)),  # seed 000: 37 % on phones
                        visitors=int(views * rng.uniform(0.55, 0.7)),
                    )
                )
        VisitDay.objects.bulk_create(visits)
        stdout.write(f"  visit counts: {VISIT_DAYS} days")
    month = previous_month(today)
    start, end = monthly_period(month)
    report_generate(kind="monthly", period_start=start, period_end=end)
    open_dataset_publish(month=month)
    stdout.write(f"  report and open data for {month:%Y-%m}")
