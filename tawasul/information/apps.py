from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "tawasul.information"
    label = "information"

    def ready(self):
        from . import workflow  # noqa: F401 - registers the law 31-13 workflow with the case core
