"""URL map. Every human page lives under a language prefix (/ar/, /fr/, /zgh/, /en/);
machine endpoints (health, API) do not."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from tawasul.home import views as home_views

urlpatterns = [
    path("", home_views.root_redirect, name="root"),
    path("healthz", home_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include("tawasul.api.urls")),
]

urlpatterns += i18n_patterns(
    path("", include("tawasul.home.urls")),
    path("accounts/", include("tawasul.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("registry/", include("tawasul.registry.urls")),
    path("complaints/", include("tawasul.complaints.urls")),
    path("information/", include("tawasul.information.urls")),
    path("procedures/", include("tawasul.catalog.urls")),
    path("facilities/", include("tawasul.facilities.urls")),
    path("documents/", include("tawasul.documents.urls")),
    path("jobs/", include("tawasul.jobs.urls")),
    path("contact/", include("tawasul.contact.urls")),
    path("insights/", include("tawasul.insights.urls")),
    path("reception/", include("tawasul.reception.urls")),
    path("staff/", include("tawasul.backoffice.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

# A database outage raised outside a view (e.g. loading the session) answers 503, not 500.
handler500 = "tawasul.core.middleware.server_error"
