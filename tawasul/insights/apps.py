from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tawasul.insights"
    label = "insights"

    def ready(self):
        from . import indicators  # noqa: F401 - registers the complaints and information providers
