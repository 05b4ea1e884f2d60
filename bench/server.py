"""A throw-away `linli serve` process with a database of its own.

The server runs in its own session (process group) so that it and any worker processes it forks
are stopped together; the PostgreSQL database is dropped afterwards. Everything is undone by
`Server.stop()`, which the context manager calls on success, error and Ctrl-C alike.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

import httpx

DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
SECRET_KEY = "linli-bench-secret-key-not-for-production"


class ServerError(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def linli(*args: str) -> list[str]:
    """The `linli` command of the interpreter running the benchmark."""
    return [sys.executable, "-m", "linli.cli", *args]


class PgDatabase:
    """A fresh database `linli_bench_<random>` on an existing PostgreSQL server."""

    def __init__(self, admin_url: str) -> None:
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        self.name = f"linli_bench_{secrets.token_hex(4)}"
        self.created = False

    @property
    def url(self) -> str:
        return self.admin_url.set(database=self.name).render_as_string(hide_password=False)

    def _connect(self):  # type: ignore[no-untyped-def]
        import psycopg

        u = self.admin_url
        return psycopg.connect(host=u.host or "127.0.0.1", port=u.port or 5432, user=u.username,
                               password=u.password, dbname=u.database or "postgres",
                               autocommit=True, connect_timeout=5)

    def create(self) -> None:
        with self._connect() as conn:
            conn.execute(f'CREATE DATABASE "{self.name}"')
        self.created = True

    def drop(self) -> None:
        if not self.created:
            return
        with self._connect() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self.created = False


class Server:
    """`linli serve` on a free 127.0.0.1 port. Use as a context manager."""

    def __init__(self, backend: str, server: str, workers: int, pg_url: str = DEFAULT_PG_URL,
                 extra_env: dict[str, str] | None = None) -> None:
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"unknown backend {backend}")
        self.backend, self.server, self.workers, self.pg_url = backend, server, workers, pg_url
        self.tmp = Path(tempfile.mkdtemp(prefix=f"linli-bench-{backend}-"))
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.tmp / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.pg: PgDatabase | None = None
        self._log = None
        self.extra_env = extra_env or {}

    # -- lifecycle -----------------------------------------------------------------------------

    def __enter__(self) -> Server:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> None:
        if self.backend == "sqlite":
            database_url = f"sqlite:///{self.tmp / 'linli.db'}"
        else:
            self.pg = PgDatabase(self.pg_url)
            self.pg.create()
            database_url = self.pg.url
        self.env = self._env(database_url)
        self.run_cli("migrate")
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(self.serve_command(), env=self.env, cwd=self.tmp, stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        self._wait_ready()

    def stop(self) -> None:
        try:
            self._stop_process()
        finally:
            if self._log is not None:
                self._log.close()
                self._log = None
            try:
                if self.pg is not None:
                    self.pg.drop()
            finally:
                shutil.rmtree(self.tmp, ignore_errors=True)

    def _stop_process(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            self._kill_group(proc, signal.SIGKILL)  # workers may outlive a dead parent
            return
        self._kill_group(proc, signal.SIGINT)  # both uvicorn and granian shut down cleanly on SIGINT
        try:
            proc.wait(timeout=5)  # they wait for requests in flight; the load has stopped by now
        except subprocess.TimeoutExpired:
            self._kill_group(proc, signal.SIGKILL)
            proc.wait(timeout=10)
        self._kill_group(proc, signal.SIGKILL)

    @staticmethod
    def _kill_group(proc: subprocess.Popen[bytes] | None, sig: signal.Signals) -> None:
        """Signal the server's own process group (its id is the pid of the child we started)."""
        if proc is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, sig)

    # -- helpers -------------------------------------------------------------------------------

    def _env(self, database_url: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
        env.update({
            "LINLI_DATABASE_URL": database_url,
            "LINLI_VAR_DIR": str(self.tmp),
            "LINLI_SECRET_KEY": SECRET_KEY,
            "LINLI_EMBEDDED_WORKER": "false",
            "LINLI_LOG_LEVEL": "WARNING",
        })
        env.update(self.extra_env)
        return env

    def serve_command(self) -> list[str]:
        return linli("serve", "--host", "127.0.0.1", "--port", str(self.port), "--server", self.server,
                     "--workers", str(self.workers))

    def run_cli(self, *args: str) -> str:
        r = subprocess.run(linli(*args), env=self.env, cwd=self.tmp, capture_output=True, text=True,
                           timeout=300, stdin=subprocess.DEVNULL)
        if r.returncode != 0:
            raise ServerError(f"linli {' '.join(args[:1])} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r.stdout

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def _wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        assert self.proc is not None
        with httpx.Client(timeout=2.0) as client:
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise ServerError(f"linli serve exited with {self.proc.returncode}:\n{self.log_tail()}")
                try:
                    if client.get(f"{self.base_url}/readyz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.1)
        raise ServerError(f"linli serve was not ready within {timeout:.0f}s:\n{self.log_tail()}")
