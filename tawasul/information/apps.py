from django.apps import AppConfig


class InformationConfig(AppConfig):
    name = "tawasul.information"
    label = "information"

    def ready(self):
        pass  # will register the law 31-13 workflow with the case core
