"""`manage.py db_worker`: django-tasks-db's worker, serving every queue unless told otherwise
(ADR 0036), and relaying the tables that are their own queue (ADR 0060).

The library's command serves only the queue named `default` when started without
`--queue-name`, and the platform puts its tasks on `notifications` and `sweeps`: a worker started
the obvious way ran nothing and said nothing. This command (it wins over the library's because
`tawasul.core` is listed before `django_tasks_db` in INSTALLED_APPS) only changes that default to
`*`, every queue; `--queue-name sweeps` or `--queue-name default,notifications` still dedicate a
worker, and every other option is the library's.

It also runs the relays (`tawasul.core.queue_relays`) of the queues it serves: the notification
outbox is relayed by the workers of `notifications`, with no task row per email. They run in a
thread beside the task loop; with `--batch`, once the tasks are done, until nothing is due.
"""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV
from django_tasks_db.management.commands.db_worker import Command as LibraryWorkerCommand

from tawasul.core.queue_relays import drain, relaying, relays_served

#: What a worker started without `--queue-name` serves.
ALL_QUEUES = "*"


class Command(LibraryWorkerCommand):
    help = "Run a task worker (django-tasks-db). Serves every queue unless --queue-name names some."

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.set_defaults(queue_name=ALL_QUEUES)
        for action in parser._actions:
            if action.dest == "queue_name":
                action.default = ALL_QUEUES
                action.help = (
                    "The queues to process, comma-separated, or '*' for all of them "
                    "(default: '*', every queue of the platform: default, notifications, sweeps)"
                )

    def handle(self, *args, **options) -> None:
        relays = relays_served(
            options["queue_name"].split(","), options["exclude_queues"].split(",") if options["exclude_queues"] else []
        )
        if options["batch"]:
            super().handle(*args, **options)
            drain(relays)
            return
        # With the autoreloader this process only watches its child, which runs the worker.
        if options["reload"] and os.environ.get(DJANGO_AUTORELOAD_ENV) != "true":
            relays = []
        with relaying(relays, options["interval"]):
            super().handle(*args, **options)
