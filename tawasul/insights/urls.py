from django.urls import path

from . import views

app_name = "insights"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>.pdf", views.report_pdf, name="report_pdf"),
    path("reports/<int:pk>.xlsx", views.report_xlsx, name="report_xlsx"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/<slug:slug>.csv", views.open_data_csv, name="open_data_csv"),
    path("open-data/<slug:slug>.json", views.open_data_json, name="open_data_json"),
]
