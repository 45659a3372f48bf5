from django.urls import path

from . import staff_views, views

app_name = "jobs"

urlpatterns = [
    # Public (no account needed)
    path("", views.index, name="index"),
    path("notice/<int:pk>/", views.notice_detail, name="notice"),
    path("notice/<int:pk>/list/<slug:slug>/", views.list_detail, name="list"),
    path("notice/<int:pk>/file/<slug:slug>/", views.notice_file, name="notice_file"),
    # Candidates
    path("profile/", views.profile, name="profile"),
    path("notice/<int:pk>/apply/", views.apply, name="apply"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/<str:reference>/", views.application_detail, name="application"),
    path("applications/<str:reference>/withdraw/", views.application_withdraw_view, name="application_withdraw"),
    # Recruiting unit
    path("staff/", staff_views.notices, name="staff_notices"),
    path("staff/notice/new/", staff_views.notice_create, name="staff_notice_create"),
    path("staff/notice/<int:pk>/", staff_views.notice_manage, name="staff_notice"),
    path("staff/notice/<int:pk>/edit/", staff_views.notice_edit, name="staff_notice_edit"),
    path("staff/notice/<int:pk>/publish/", staff_views.notice_publish_view, name="staff_notice_publish"),
    path("staff/notice/<int:pk>/preselect/", staff_views.preselect, name="staff_preselect"),
    path("staff/notice/<int:pk>/export/", staff_views.applications_export, name="staff_export"),
    path("staff/notice/<int:pk>/list/<slug:slug>/", staff_views.list_publish_view, name="staff_list_publish"),
    path("staff/notice/<int:pk>/withdrawal/", staff_views.withdrawal, name="staff_withdrawal"),
    path("staff/notice/<int:pk>/file/<slug:slug>/", staff_views.notice_file_upload, name="staff_notice_file"),
    path("staff/application/<str:reference>/", staff_views.application_view, name="staff_application"),
    path(
        "staff/application/<str:reference>/files/<int:pk>/",
        staff_views.application_document,
        name="staff_application_document",
    ),
]
