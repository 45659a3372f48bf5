from django.urls import path

from . import staff_views, views

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
    # Staff side (issue 4): problems, and the case panel's "link to a problem" form.
    path("staff/problems/", staff_views.problems, name="staff_problems"),
    path("staff/problems/new/", staff_views.problem_new, name="staff_problem_new"),
    path("staff/problems/<int:pk>/", staff_views.problem_detail, name="staff_problem"),
    path("staff/problems/<int:pk>/link/", staff_views.problem_link, name="staff_problem_link"),
    path("staff/problems/<int:pk>/unlink/<str:reference>/", staff_views.problem_unlink, name="staff_problem_unlink"),
    path("staff/problems/<int:pk>/resolve/", staff_views.problem_resolve_view, name="staff_problem_resolve"),
    path("staff/case/<str:reference>/problem/", staff_views.case_link_problem, name="staff_case_link_problem"),
]
