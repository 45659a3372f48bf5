"""Start everything Tawasul needs on one machine: web server, task worker, scheduler.

Ctrl-C (or SIGTERM) stops all three. Used by `make run`; production runs the same three
processes under its own supervisor (systemd, Kubernetes, ...).
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand

#: The demo accounts the newer portals' loaders create (their `demo.py`), for the banner.
PORTAL_DEMO_LOGINS = [
    ("Recruiting unit (jobs, Ministry of Health)", "recruiter.sante@demo.tawasul.ma"),
    ("Job candidate", "candidate1@demo.tawasul.ma"),
    ("Civil-status officer (consulates)", "civil-status.consulates@demo.tawasul.ma"),
    ("Contact-center supervisor", "head-of-unit.transition-numerique@demo.tawasul.ma"),
]


class Command(BaseCommand):
    help = "Run the web server, the task worker and the scheduler together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--web-workers", type=int, default=2)

    def handle(self, *args, host, port, web_workers, **options):
        python = sys.executable
        processes = {
            "web": [
                python, "-m", "gunicorn", "config.wsgi", "--bind", f"{host}:{port}",
                "--workers", str(web_workers), "--access-logfile", "-", "--log-level", "warning",
            ],
            "worker": [python, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "-v", "1"],
            "scheduler": [python, "manage.py", "run_scheduler"],
        }  # fmt: skip
        running = {name: subprocess.Popen(cmd) for name, cmd in processes.items()}  # noqa: S603
        self._banner(host, port)

        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping:
                for name, proc in running.items():
                    if proc.poll() is not None:
                        self.stderr.write(f"{name} exited with {proc.returncode}; stopping everything.")
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            for proc in running.values():
                if proc.poll() is None:
                    proc.terminate()
            for proc in running.values():
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
            self.stdout.write("Tawasul stopped.")

    def _banner(self, host, port):
        from tawasul.accounts.demo import DEMO_PASSWORD, demo_logins

        base = f"http://{host}:{port}"
        lines = [
            "",
            "Tawasul is running (Ctrl-C stops the web server, the worker and the scheduler).",
            f"  Home (Arabic)    {base}/ar/",
            f"  Français         {base}/fr/",
            f"  ⵜⴰⵎⴰⵣⵉⵖⵜ         {base}/zgh/",
            f"  English          {base}/en/",
            f"  Administration   {base}/ar/admin/",
            f"  Health           {base}/healthz",
        ]
        if settings.DEMO_MODE:
            lines.append(f"Demo logins (password for all: {DEMO_PASSWORD}):")
            lines += [f"  {role:<44} {email}" for role, email in demo_logins() + PORTAL_DEMO_LOGINS]
        self.stdout.write("\n".join(lines) + "\n")
