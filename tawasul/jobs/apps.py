from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "tawasul.jobs"
    label = "jobs"

    def ready(self):
        from . import indicators

        indicators.register()  # the indicators' provider (tawasul.core.figures; docs/adr/0038)
