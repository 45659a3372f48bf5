from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "tawasul.contact"
    label = "contact"

    def ready(self):
        from . import indicators

        indicators.register()  # the indicators' provider (tawasul.core.figures; docs/adr/0038)
