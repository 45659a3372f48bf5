from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "tawasul.complaints"
    label = "complaints"

    def ready(self):
        from . import workflow  # noqa: F401 - registers the complaints workflow with the case core
