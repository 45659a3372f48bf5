from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("personal-data/", views.personal_data, name="personal_data"),
    path("personal-data/export/", views.personal_data_export_view, name="personal_data_export"),
    path("personal-data/erase/", views.personal_data_erase_view, name="personal_data_erase"),
]
