from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.index, name="index"),
    path("file/", views.file_choose_administration, name="file"),
    path("file/form/", views.file_complaint, name="file_form"),
    path("receipt/<str:reference>/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:reference>/<str:token>/", views.track_link, name="track_link"),
    path("case/<str:reference>/", views.case_detail, name="case"),
    path("case/<str:reference>/message/", views.case_message, name="case_message"),
    path("case/<str:reference>/rate/", views.case_rate, name="case_rate"),
    path("case/<str:reference>/reopen/", views.case_reopen, name="case_reopen"),
    path("case/<str:reference>/withdraw/", views.case_withdraw, name="case_withdraw"),
    path("case/<str:reference>/files/<int:pk>/", views.attachment_download, name="attachment"),
    path("statistics/", views.statistics, name="statistics"),
    path("faq/", views.faq, name="faq"),
]
