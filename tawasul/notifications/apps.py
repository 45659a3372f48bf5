from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tawasul.notifications"
    label = "notifications"
