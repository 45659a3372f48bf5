"""Real servers for the tests that need whole processes (issue 8 items 2 and 5).

- `PrivateCluster`: a PostgreSQL cluster of our own (initdb + pg_ctl, a free port on loopback, its
  unix socket and data in a temporary directory, fsync on), which a test may restart or crash
  without disturbing the shared server on 127.0.0.1:5432 that the other tests use. PostgreSQL
  refuses to run as root: as root, its commands run as the `postgres` OS user (`runuser`).
- `Gunicorn`: the platform served by gunicorn as deployed (`config.wsgi:application`, DEBUG off, a
  SECRET_KEY, demo off), as `bench/run.py` does, against the database given.
- `prepare_database(url)`: `migrate` + `createcachetable` in a subprocess, and an administration
  to file complaints with.

Every call is bounded in time; `stop()` methods are safe to call twice.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
PG_BIN = Path(os.environ.get("TAWASUL_PG_BIN", "/usr/lib/postgresql/15/bin"))
#: A key for these throw-away servers only (never a deployment's).
TEST_SECRET_KEY = "tests-only-secret-key-for-throw-away-servers-0123456789abcdef"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def postgres_binaries_missing() -> str | None:
    """Why a private cluster cannot be made here, or None when it can."""
    for name in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / name).exists():
            return f"PostgreSQL server binaries not found ({PG_BIN / name}); set TAWASUL_PG_BIN"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` OS user to run PostgreSQL as"
        if not shutil.which("runuser"):
            return "running as root and `runuser` is missing"
    return None


class PrivateCluster:
    def __init__(self, *, database: str = "tawasul"):
        self.database = database
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="tawasul-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self.as_root = os.geteuid() == 0
        self.started = False

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.database}"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        cmd = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_root:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout, cwd=self.root)

    def start_new(self) -> None:
        """initdb, then start: trust on loopback only, fsync and synchronous commit on."""
        if self.as_root:
            user = pwd.getpwnam("postgres")
            os.chown(self.root, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8")
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\nmax_connections = 40\n"
                "shared_buffers = 32MB\n"
            )
        self.start()
        self._psql_admin(f'CREATE DATABASE "{self.database}"')

    def _psql_admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(
            f"postgresql://postgres@127.0.0.1:{self.port}/postgres", autocommit=True, connect_timeout=10
        ) as conn:
            conn.execute(sql)

    def pg_ctl(self, *args: str, timeout: float = 60) -> float:
        """Run `pg_ctl <args>` on the cluster, waiting for it to finish; the seconds it took."""
        began = time.monotonic()
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", str(int(timeout)), *args)
        return time.monotonic() - began

    def start(self) -> None:
        self.pg_ctl("start")
        self.started = True

    def restart(self, mode: str) -> float:
        """`pg_ctl restart -m <mode>` (fast: clean shutdown; immediate: a crash, WAL recovery at start)."""
        return self.pg_ctl("restart", "-m", mode)

    def query(self, sql: str, params=()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://", 1), connect_timeout=10) as conn:
            return conn.execute(sql, params).fetchall()

    def stop(self) -> None:
        """Stop the server (immediate: the data is thrown away) and remove the directory."""
        try:
            if self.started and (self.data / "postmaster.pid").exists():
                with contextlib.suppress(subprocess.SubprocessError, OSError):
                    self.pg_ctl("stop", "-m", "immediate", timeout=30)
        finally:
            self.started = False
            shutil.rmtree(self.root, ignore_errors=True)

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


def server_environ(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a deployed-like process: DEBUG off, a secret key, demo off, our database."""
    env = dict(os.environ)
    for name in ("TEST_DB_NAME", "CACHE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "TAWASUL_TESTING"):
        env.pop(name, None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "SECRET_KEY": TEST_SECRET_KEY,
            "DEBUG": "0",
            "TAWASUL_DEMO": "0",
            "LOG_LEVEL": "ERROR",
            "EMAIL_URL": "dummymail://",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "PYTHONDONTWRITEBYTECODE": "1",
            **extra,
        }
    )
    return env


PREPARE = """
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
call_command("createcachetable", verbosity=0)
from tawasul.registry.tests.factories import AdministrationFactory
from tawasul.complaints.tests.factories import main_subject
AdministrationFactory(code="fault-x")
print("SUBJECT=" + main_subject().code)
"""


def prepare_database(database_url: str, *, timeout: float = 240) -> str:
    """Migrate the database in a subprocess and add an administration `fault-x`; the code of a main
    subject (loaded by the migrations) to file complaints under."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", PREPARE],
        cwd=BASE_DIR,
        env=server_environ(database_url),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"migrate failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return next(line.split("=", 1)[1] for line in done.stdout.splitlines() if line.startswith("SUBJECT="))


class Gunicorn:
    """`gunicorn config.wsgi:application` on a free loopback port (as `bench/run.py` starts it)."""

    def __init__(self, database_url: str, *, workers: int = 2, threads: int = 4, log: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = server_environ(database_url, **env)
        self.workers, self.threads = workers, threads
        self.log_path = log
        self.proc: subprocess.Popen | None = None

    def start(self, *, timeout: float = 60) -> None:
        cmd = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "-b", f"127.0.0.1:{self.port}"]
        cmd += ["-w", str(self.workers), "-k", "gthread", "--threads", str(self.threads)]
        cmd += ["--timeout", "60", "--graceful-timeout", "5", "--log-level", "warning"]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(cmd, cwd=BASE_DIR, env=self.env, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start:\n{self.log()}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer within {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "_log", None):
            self._log.close()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""
