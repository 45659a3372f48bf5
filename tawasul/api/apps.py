from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "tawasul.api"
    label = "api"

    def ready(self):
        from . import proof  # noqa: F401 - registers the OpenAPI description of the tracking proof
