from django.urls import path

from . import staff_views, views

app_name = "catalog"

urlpatterns = [
    path("", views.index, name="index"),
    path("search/", views.results, name="search"),
    path("themes/<slug:slug>/", views.theme, name="theme"),
    path("themes/<slug:slug>/<slug:subtheme>/", views.subtheme, name="subtheme"),
    path("online-services/", views.online_services, name="online_services"),
    path("investors/", views.investor_procedures, name="investors"),
    path("p/<slug:code>/", views.detail, name="detail"),
    path("p/<slug:code>/forms/<int:pk>/", views.form_download, name="form_download"),
    path("staff/", staff_views.my_procedures, name="staff_list"),
    path("staff/new/", staff_views.create, name="staff_create"),
    path("staff/review/", staff_views.review_queue_view, name="staff_review"),
    path("staff/<slug:code>/", staff_views.edit, name="staff_edit"),
    path("staff/<slug:code>/action/", staff_views.action, name="staff_action"),
    path("staff/<slug:code>/history/", staff_views.history, name="staff_history"),
    path("staff/<slug:code>/forms/", staff_views.upload_form, name="staff_upload_form"),
]
