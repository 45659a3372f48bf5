from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tawasul.cases"
    label = "cases"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
