from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tawasul.core"
    label = "core"
    verbose_name = "Core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from . import checks, pg_timestamps  # noqa: F401  (checks: registers the system checks)

        connection_created.connect(pg_timestamps.register, dispatch_uid="core.pg_timestamps")
