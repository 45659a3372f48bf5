from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "tawasul.contact"
    label = "contact"
