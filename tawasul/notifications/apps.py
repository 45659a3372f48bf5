from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tawasul.notifications"
    label = "notifications"

    def ready(self) -> None:
        from tawasul.core.queue_relays import register_relay

        from .relay import send_due

        # The workers of the `notifications` queue send the outbox's due rows (ADR 0060).
        register_relay("notifications", send_due)
