"""WSGI entry point for gunicorn: `gunicorn config.wsgi`."""

import os

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

if settings.SECRET_KEY_IS_PLACEHOLDER and not (settings.DEBUG or settings.DEMO_MODE):
    raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set to serve outside demo mode.")
