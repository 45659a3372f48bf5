from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "tawasul.cases"
    label = "cases"
