"""Routes of insights (SPEC.md §9): the dashboard for the national unit and heads of unit (their
own administration's figures only), the reports for the national unit, open data for everyone."""

from .routes import NATIONAL_UNIT, SUPERVISOR_X, allow, public

ROUTES = {
    "insights:dashboard": allow({NATIONAL_UNIT, SUPERVISOR_X}),
    "insights:reports": allow({NATIONAL_UNIT}),
    "insights:report_pdf": allow({NATIONAL_UNIT}, pk="insights_report.pk"),
    "insights:report_xlsx": allow({NATIONAL_UNIT}, pk="insights_report.pk"),
    "insights:open_data": public(),
    "insights:open_data_csv": public(slug="insights_dataset.slug"),
    "insights:open_data_json": public(slug="insights_dataset.slug"),
}
