from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "tawasul.home"
    label = "home"
