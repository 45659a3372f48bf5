from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tawasul.core"
    label = "core"
    verbose_name = "Core"
