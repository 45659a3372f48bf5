"""The project's URLconf with `handler500 = tawasul.core.middleware.server_error` (the one line the
root URLconf needs, config/urls.py), for the test of a database error raised outside a view."""

from config.urls import urlpatterns  # noqa: F401 - re-exported as this URLconf's patterns

handler500 = "tawasul.core.middleware.server_error"
