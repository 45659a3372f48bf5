from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "tawasul.documents"
    label = "documents"

    def ready(self):
        from . import indicators, workflow  # noqa: F401 - registers the workflow with the case core

        indicators.register()  # the indicators' provider (tawasul.core.figures; docs/adr/0038)
        from . import cmi  # noqa: F401 - registers the CMI gateway's system checks
