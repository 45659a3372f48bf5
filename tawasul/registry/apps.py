from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tawasul.registry"
    label = "registry"
