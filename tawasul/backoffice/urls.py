from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("export.csv", views.export_csv, name="export"),
    path("case/<str:reference>/", views.case_detail, name="case"),
    path("case/<str:reference>/act/<slug:action>/", views.case_act, name="case_act"),
    path("case/<str:reference>/assign/", views.case_assign_view, name="case_assign"),
    path("case/<str:reference>/note/", views.case_note, name="case_note"),
    path("case/<str:reference>/files/", views.case_upload, name="case_upload"),
    path("case/<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("templates/", views.templates_list, name="templates"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/read/", views.alerts_mark_read, name="alerts_read"),
]
