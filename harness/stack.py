"""The processes of one run. Each server is a child we started, with its own PID and log file."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _pgbin() -> Path:
    """PostgreSQL's server binaries: $PGBIN, else the newest Debian-packaged version."""
    if os.environ.get("PGBIN"):
        return Path(os.environ["PGBIN"])
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else Path("/usr/lib/postgresql/15/bin")


PGBIN = _pgbin()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port: int, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout}s")


def wait_http(url: str, timeout: float = 30.0) -> None:
    """Wait until the URL answers with any HTTP status (a 503 from /healthz still means 'serving')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (loopback URL we built)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not answer within {timeout}s")


def _as_postgres(cmd: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; run its tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


class Stack:
    """A run's servers. Use as a context manager, or call start()/stop().

    >>> with Stack(postgres=True, redis=True) as stack:
    ...     subprocess.run(["pytest"], env=stack.env())
    """

    def __init__(self, *, postgres: bool = True, redis: bool = True, root: Path | None = None,
                 pg_max_connections: int = 300):
        self.want_postgres, self.want_redis = postgres, redis
        self.dir = Path(root or tempfile.mkdtemp(prefix="dvc-stack-"))
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)
        self.pg_port = self.redis_port = None
        self.pg_max_connections = pg_max_connections
        self.procs: dict[str, subprocess.Popen] = {}
        self.extra_env: dict[str, str] = {}

    # --- lifecycle -----------------------------------------------------------------------------------
    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> Stack:
        try:
            if self.want_redis:
                self.start_redis()
            if self.want_postgres:
                self.start_postgres()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        for name in list(self.procs):
            self.stop_process(name)
        if self.pg_port:
            subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.dir / "pg" / "data"), "-m",
                                         "immediate", "-w", "stop"]), capture_output=True, check=False)
            self.pg_port = None
        shutil.rmtree(self.dir, ignore_errors=True)

    # --- Redis ----------------------------------------------------------------------------------------
    def start_redis(self, port: int | None = None) -> None:
        self.redis_port = port or self.redis_port or free_port()
        rdir = self.dir / "redis"
        rdir.mkdir(exist_ok=True)
        self.spawn("redis", [shutil.which("redis-server") or "redis-server", "--bind", "127.0.0.1",
                             "--port", str(self.redis_port), "--save", "", "--appendonly", "no",
                             "--dir", str(rdir), "--daemonize", "no", "--maxclients", "2000"])
        wait_port(self.redis_port)

    def stop_redis(self) -> None:
        """For failure tests: Redis goes away; start_redis() brings it back on the same port."""
        self.stop_process("redis")

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    # --- PostgreSQL -----------------------------------------------------------------------------------
    def start_postgres(self) -> None:
        """A fresh cluster on a free port; after stop_postgres(), the same cluster again on the same port."""
        pg = self.dir / "pg"
        fresh = not (pg / "data").exists()
        if fresh:
            pg.mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(pg, "postgres", "postgres")
            self.pg_port = free_port()
            subprocess.run(_as_postgres([str(PGBIN / "initdb"), "-D", str(pg / "data"), "-U", "postgres",
                                         "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                           check=True, capture_output=True)
        opts = (f"-p {self.pg_port} -c listen_addresses=127.0.0.1 -k {pg} -c fsync=off "
                f"-c synchronous_commit=off -c full_page_writes=off -c max_connections={self.pg_max_connections} "
                f"{os.environ.get('DVC_PG_OPTS', '')}")  # e.g. pg_stat_statements while profiling a bench
        subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(pg / "data"), "-l", str(pg / "server.log"),
                                     "-w", "-o", opts, "start"]), check=True, capture_output=True)
        if fresh:
            subprocess.run([str(PGBIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres",
                            "app"], check=True, capture_output=True)

    def stop_postgres(self, mode: str = "immediate") -> None:
        """For failure tests: PostgreSQL goes away (by default as in a crash: every connection cut at once);
        start_postgres() brings the same cluster back on the same port. The port stays ours while it is down."""
        subprocess.run(_as_postgres([str(PGBIN / "pg_ctl"), "-D", str(self.dir / "pg" / "data"), "-m", mode,
                                     "-w", "stop"]), check=True, capture_output=True)

    @property
    def database_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.pg_port}/app"

    # --- environment for children ---------------------------------------------------------------------
    def env(self, **overrides: str) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "dvc.settings_test")
        env.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production-0123456789")
        env.setdefault("HTTPS", "false")
        env.setdefault("STATIC_MANIFEST", "false")
        env["VAR_DIR"] = str(self.dir / "var")
        if self.redis_port:
            env["REDIS_URL"] = self.redis_url
        if self.pg_port:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        env.update(overrides)
        return env

    # --- the app's own processes ----------------------------------------------------------------------
    def start_server(self, *, env: dict[str, str] | None = None, workers: int = 1, port: int | None = None,
                     name: str = "server", app: str = "dvc.asgi:application", access_log: bool = False) -> str:
        """uvicorn serving `app` (the project's ASGI app) on a free port; returns its base URL once it answers.
        With access_log, uvicorn logs every request at INFO into `<name>.log`, as `make run` and the image do."""
        port = port or free_port()
        logging = ["--log-level", "info"] if access_log else ["--no-access-log", "--log-level", "warning"]
        self.spawn(name, [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
                          "--workers", str(workers), *logging, "--ws", "websockets-sansio", "--lifespan", "off",
                          "--http", "dvc.server:HttpToolsProtocol"],
                   env=env or self.env())
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/healthz", timeout=60)
        return url

    def start_worker(self, *, env: dict[str, str] | None = None, name: str = "worker", beat: bool = False) -> None:
        """A real Celery worker (prefork, one process) consuming from this stack's Redis."""
        cmd = [sys.executable, "-m", "celery", "-A", "dvc", "worker", "--loglevel=INFO", "--concurrency=1",
               "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]
        if beat:
            cmd += ["--beat", "--schedule", str(self.dir / "celerybeat-schedule")]
        env = env or self.env()
        self.spawn(name, cmd, env=env)
        self.wait_worker(env["REDIS_URL"])

    def wait_worker(self, broker_url: str, timeout: float = 60.0) -> None:
        from celery import Celery

        # Not the current app: the project's shared tasks would then send to this broker, gone after the stack.
        probe = Celery(broker=broker_url, set_as_current=False)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if probe.control.ping(timeout=0.5):
                    return
                self._check_alive()
            raise TimeoutError("no Celery worker answered ping")
        finally:
            probe.close()

    # --- process plumbing -----------------------------------------------------------------------------
    def spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.dir / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env or self.env(), stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        proc._dvc_log = log  # type: ignore[attr-defined]
        self.procs[name] = proc
        return proc

    def stop_process(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        proc._dvc_log.close()  # type: ignore[attr-defined]

    def _check_alive(self) -> None:
        for name, proc in self.procs.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited with {proc.returncode}:\n{self.log_tail(name)}")

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.dir / f"{name}.log"
        if not path.exists():
            return ""
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
