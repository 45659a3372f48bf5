from django.urls import path

from . import staff_views, views

app_name = "reception"

urlpatterns = [
    # Public: model sites and progress, the visitor's survey, the printable QR poster of a site.
    path("", views.index, name="index"),
    path("survey/<slug:code>/", views.survey, name="survey"),
    path("survey/<slug:code>/thanks/", views.survey_thanks, name="survey_thanks"),
    path("sites/<slug:code>/qr/", views.site_qr, name="site_qr"),
    # Staff: heads of unit for their administrations, the national unit for all.
    path("staff/", staff_views.sites, name="staff_sites"),
    path("staff/sites/new/", staff_views.site_create, name="staff_site_create"),
    path("staff/sites/<int:pk>/", staff_views.site_detail, name="staff_site"),
    path("staff/sites/<int:pk>/label/", staff_views.site_label, name="staff_site_label"),
    path("staff/sites/<int:pk>/results/", staff_views.site_results, name="staff_site_results"),
    path("staff/results/", staff_views.results, name="staff_results"),
    path("staff/progress/", staff_views.progress, name="staff_progress"),
    path("staff/activities/new/", staff_views.activity_create, name="staff_activity_create"),
    path("staff/activities/<int:pk>/", staff_views.activity_edit, name="staff_activity"),
]
