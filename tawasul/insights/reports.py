"""The monthly report to the head of government and the year-end pending report (SPEC.md §9;
seed 000: the ministry's hand-written report, per portal; docs/adr/0030).

`report_generate()` computes the figures once (`monthly_figures` / `pending_figures`), renders
them as a PDF (WeasyPrint: Arabic shaped, right to left, Noto Naskh Arabic) and an XLSX
(XlsxWriter, right-to-left sheets), and stores both through Django's storage API. Reports are in
Arabic, the language of the head of government's office; their headings are fixed Arabic texts,
the rest goes through the translation catalogue under Arabic.
"""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tawasul.cases.models import Case
from tawasul.cases.workflow import registered_workflows
from tawasul.catalog.selectors import public_procedures
from tawasul.core.calendar import CALENDAR_TZ
from tawasul.facilities.selectors import facility_list
from tawasul.registry.selectors import administrations_joined

from .indicators import PROVIDERS, Period, indicators
from .models import IndicatorCounter, Report
from .selectors import administration_names, figures_row, visits_summary

#: The reports' headings (official Arabic documents; seed 000 is written in Arabic).
TITLES = {
    Report.Kind.MONTHLY: "التقرير الشهري إلى رئيس الحكومة: مؤشرات تتبع البوابات الوطنية",
    Report.Kind.PENDING: "تقرير نهاية السنة: الطلبات التي لا تزال في طور المعالجة",
}
#: A pending case older than this many days is listed apart in the year-end report.
OLD_PENDING_DAYS = 60


def monthly_figures(month: date) -> dict:
    """Everything the monthly report shows, as formatted rows (under the active language): per
    portal, its own columns (tawasul.core.figures), the month, since launch, per administration."""
    period = Period(month, month)
    first = IndicatorCounter.objects.aggregate(first=Min("month"))["first"] or month
    since = Period(min(first, month), month)
    now_month = indicators(period=period)
    cumulative = indicators(period=since)
    names = administration_names({adm for per_portal in now_month.by_administration.values() for adm in per_portal})
    portals = []
    for code, provider in PROVIDERS.items():
        label, columns = str(provider.label), provider.columns
        administrations = sorted(
            now_month.by_administration[code].items(), key=lambda item: (-item[1].received, str(item[0]))
        )
        portals.append(
            {
                "label": label,
                "columns": [str(c.label) for c in columns],
                "note": str(provider.note),
                "month": figures_row(label, now_month.by_portal[code], columns),
                "since": figures_row(label, cumulative.by_portal[code], columns),
                "administrations": [
                    figures_row(names.get(adm, str(adm)), fig, columns) for adm, fig in administrations
                ],
            }
        )
    return {
        "period": period,
        "since": since,
        "portals": portals,
        "platform": [
            (_("Administrations joined"), administrations_joined(period.last_day).count()),
            (_("Published procedures"), public_procedures().count()),
            (_("Public facilities on the map"), facility_list().count()),
        ],
        "visits": visits_summary(start=month, end=period.last_day),
    }


def _unseen_q() -> Q:
    """Cases their administration does not have yet (an unpaid document order, R3)."""
    condition = Q(pk__in=[])
    for portal, workflow in registered_workflows().items():
        if workflow.unseen_by_staff:
            condition |= Q(portal=portal, status__in=sorted(workflow.unseen_by_staff))
    return condition


def pending_figures(year: int) -> dict:
    """The cases received by the end of `year` and neither answered nor closed at its end, per
    portal and administration: how many, how many overdue, how many older than 60 days, the
    oldest. One aggregate query over the cases received by then."""
    end = datetime(year + 1, 1, 1, tzinfo=CALENDAR_TZ)
    old = end - timedelta(days=OLD_PENDING_DAYS)
    pending = (
        Case.objects.filter(received_at__lt=end, portal__in=list(PROVIDERS))
        .filter(
            Q(answered_at__isnull=True) | Q(answered_at__gte=end), Q(closed_at__isnull=True) | Q(closed_at__gte=end)
        )
        .exclude(_unseen_q())
    )
    rows = (
        pending.values("portal", "administration_id")
        .annotate(
            pending=Count("pk"),
            overdue=Count("pk", filter=Q(answer_due_at__lt=end)),
            old=Count("pk", filter=Q(received_at__lt=old)),
            oldest=Min("received_at"),
        )
        .order_by("portal", "-pending", "administration_id")
    )
    rows = list(rows)
    names = administration_names({row["administration_id"] for row in rows})
    portals: dict[str, dict] = {}
    for row in rows:
        entry = portals.setdefault(
            row["portal"],
            {"label": str(PROVIDERS[row["portal"]].label), "rows": [], "pending": 0, "overdue": 0, "old": 0},
        )
        entry["rows"].append(
            {
                "label": names.get(row["administration_id"], str(row["administration_id"])),
                "pending": row["pending"],
                "overdue": row["overdue"],
                "old": row["old"],
                "oldest": row["oldest"].astimezone(CALENDAR_TZ).date().isoformat(),
            }
        )
        for key in ("pending", "overdue", "old"):
            entry[key] += row[key]
    order = list(PROVIDERS)
    ordered = [portals[code] for code in sorted(portals, key=order.index)]
    return {"year": year, "portals": ordered, "old_days": OLD_PENDING_DAYS}


# --- Rendering ---------------------------------------------------------------------------------


def render_pdf(kind: str, data: dict) -> bytes:
    from weasyprint import HTML  # heavy import, only where a PDF is made

    html = render_to_string(
        "insights/report_pdf.html",
        {"kind": kind, "title": TITLES[kind], "data": data, "generated": timezone.now()},
    )
    return HTML(string=html).write_pdf()


def render_xlsx(kind: str, data: dict) -> bytes:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "font_name": "Noto Naskh Arabic", "reading_order": 2})
    text = book.add_format({"font_name": "Noto Naskh Arabic", "reading_order": 2})

    def sheet(name: str, title: str, header: list[str], rows: list[list]):
        ws = book.add_worksheet(name[:31])
        ws.right_to_left()
        ws.write(0, 0, title, bold)
        ws.write_row(2, 0, header, bold)
        for index, row in enumerate(rows, start=3):
            ws.write_row(index, 0, row, text)
        ws.set_column(0, 0, 40)
        ws.set_column(1, len(header), 16)

    def portals_sheet(name: str, title: str, which: str):
        """One block per portal (each has its own columns): the header, then its figures."""
        ws = book.add_worksheet(name[:31])
        ws.right_to_left()
        ws.write(0, 0, title, bold)
        line = 2
        for portal in data["portals"]:
            ws.write_row(line, 0, [_("Portal"), *portal["columns"]], bold)
            ws.write_row(line + 1, 0, [portal["label"], *portal[which]["cells"]], text)
            line += 3
        ws.set_column(0, 0, 40)
        ws.set_column(1, 16, 16)

    if kind == Report.Kind.MONTHLY:
        portals_sheet(_("Month"), TITLES[kind] + f" — {data['period'].start:%Y-%m}", "month")
        portals_sheet(_("Since launch"), f"{data['since'].start:%Y-%m} — {data['since'].end:%Y-%m}", "since")
        for index, portal in enumerate(data["portals"], start=1):
            sheet(
                f"{index} {portal['label']}",
                portal["label"],
                [_("Administration"), *portal["columns"]],
                [[row["label"], *row["cells"]] for row in portal["administrations"]],
            )
        sheet(_("Platform"), _("Platform"), [_("Indicator"), _("Value")], [list(p) for p in data["platform"]])
        sheet(
            _("Visits"),
            _("Visits"),
            [_("Portal"), _("Page views"), _("Daily average"), _("Mobile share"), _("Visitors")],
            [[v["portal"], v["views"], v["daily"], v["mobile_pct"], v["visitors"]] for v in data["visits"]],
        )
    else:
        header = [_("Administration"), _("Pending"), _("Overdue"), _("Older than 60 days"), _("Oldest received")]
        for index, portal in enumerate(data["portals"], start=1):
            sheet(
                f"{index} {portal['label']}",
                TITLES[kind] + f" — {data['year']}",
                header,
                [[r["label"], r["pending"], r["overdue"], r["old"], r["oldest"]] for r in portal["rows"]],
            )
        if not data["portals"]:
            sheet(str(data["year"]), TITLES[kind], header, [])
    book.close()
    return buffer.getvalue()


# --- Service -----------------------------------------------------------------------------------


def report_generate(*, kind: str, period_start: date, period_end: date, replace: bool = False) -> Report:
    """Compute, render and store one report; an existing one is kept unless `replace`."""
    existing = Report.objects.filter(kind=kind, period_start=period_start, period_end=period_end).first()
    if existing is not None and existing.pdf and not replace:
        return existing
    with translation.override("ar"):
        monthly = kind == Report.Kind.MONTHLY
        data = monthly_figures(period_start) if monthly else pending_figures(period_start.year)
        pdf, xlsx = render_pdf(kind, data), render_xlsx(kind, data)
    stem = f"{kind}-{period_start:%Y-%m}" if kind == Report.Kind.MONTHLY else f"{kind}-{period_start:%Y}"
    with transaction.atomic():
        report, _created = Report.objects.select_for_update().get_or_create(
            kind=kind, period_start=period_start, period_end=period_end
        )
        old = [f.name for f in (report.pdf, report.xlsx) if f]
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        report.save(update_fields=["pdf", "xlsx"])
    for name in old:
        if name not in (report.pdf.name, report.xlsx.name):
            report.pdf.storage.delete(name)
    return report


def monthly_period(month: date) -> tuple[date, date]:
    return month, Period(month, month).last_day


def pending_period(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)
