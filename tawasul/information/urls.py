from django.urls import path

from . import views

app_name = "information"

urlpatterns = [
    path("", views.index, name="index"),
    path("file/", views.file_choose_body, name="file"),
    path("file/form/", views.file_request, name="file_form"),
    path("receipt/<str:reference>/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:reference>/<str:token>/", views.track_link, name="track_link"),
    path("case/<str:reference>/", views.case_detail, name="case"),
    path("case/<str:reference>/message/", views.case_message, name="case_message"),
    path("case/<str:reference>/complaint/head/", views.complaint_to_head, name="complaint_head"),
    path("case/<str:reference>/complaint/cdai/", views.complaint_to_cdai, name="complaint_cdai"),
    path("case/<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("register/", views.register, name="register"),
    path("register/<str:reference>/", views.register_detail, name="register_detail"),
    path("publications/", views.publications, name="publications"),
    path("publications/<slug:code>/", views.publications_body, name="publications_body"),
    path("statistics/", views.statistics, name="statistics"),
    path("staff/case/<str:reference>/publish/", views.staff_publish, name="staff_publish"),
]
