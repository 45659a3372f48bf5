from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("provinces.json", views.provinces_json, name="provinces_json"),
    path("communes.json", views.communes_json, name="communes_json"),
    path("<slug:code>/", views.administration_detail, name="administration"),
]
