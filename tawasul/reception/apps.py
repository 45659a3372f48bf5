from django.apps import AppConfig


class ReceptionConfig(AppConfig):
    name = "tawasul.reception"
    label = "reception"
