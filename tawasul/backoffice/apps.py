from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "tawasul.backoffice"
    label = "backoffice"

    def ready(self):
        from django.db import connections
        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from tawasul.core.words import register_sqlite_functions

        from .case_words import ensure_index

        # The SQLite triggers of the case words index call `tawasul_normalize` (core.words): on
        # every new connection, and on one an earlier app may already have opened.
        connection_created.connect(register_sqlite_functions, dispatch_uid="core.words.sqlite")
        for connection in connections.all(initialized_only=True):
            if connection.connection is not None:
                register_sqlite_functions(connection=connection)
        post_migrate.connect(ensure_index, sender=self, dispatch_uid="backoffice.case_words.ensure")
