"""Enqueue the periodic jobs of config/jobs.py on their schedule, forever (or once)."""

import signal
import time

from django.core.management.base import BaseCommand

from tawasul.core.scheduling import enqueue_due_jobs


class Command(BaseCommand):
    help = "Enqueue the periodic jobs listed in config/jobs.py on their schedule."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Check once and exit.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks.")

    def handle(self, *args, once=False, interval=15.0, **options):
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        while True:
            for name in enqueue_due_jobs():
                self.stdout.write(f"enqueued {name}")
            if once or stopping:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stopping:
                time.sleep(0.5)
            if stopping:
                return
