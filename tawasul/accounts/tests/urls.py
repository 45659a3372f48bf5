"""The project's URLs plus the accounts pages, for tests until config/urls.py includes them."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *i18n_patterns(path("accounts/", include("tawasul.accounts.urls")), prefix_default_language=True),
    *project_urlpatterns,
]
