from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "tawasul.backoffice"
    label = "backoffice"
