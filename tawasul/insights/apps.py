from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "tawasul.insights"
    label = "insights"
