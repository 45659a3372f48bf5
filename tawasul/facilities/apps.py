from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    name = "tawasul.facilities"
    label = "facilities"
