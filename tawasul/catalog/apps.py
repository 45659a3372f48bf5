from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "tawasul.catalog"
    label = "catalog"
