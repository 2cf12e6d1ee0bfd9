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
        self.spawn(name, self._server_cmd(app, port, workers, access_log=access_log), env=env or self.env())
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/healthz", timeout=60)
        return url

    @staticmethod
    def _server_cmd(app: str, port: int, workers: int, *, access_log: bool) -> list[str]:
        logging = ["--log-level", "info"] if access_log else ["--no-access-log", "--log-level", "warning"]
        return [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port),
                "--workers", str(workers), *logging, "--ws", "websockets-sansio", "--lifespan", "off",
                "--http", "dvc.server:HttpToolsProtocol"]

    @staticmethod
    def _worker_cmd(name: str) -> list[str]:
        return [sys.executable, "-m", "celery", "-A", "dvc", "worker", "--loglevel=INFO", "--concurrency=1",
                "-n", f"{name}-{os.getpid()}@%h", "--without-gossip", "--without-mingle"]

    def start_worker(self, *, env: dict[str, str] | None = None, name: str = "worker", beat: bool = False) -> None:
        """A real Celery worker (prefork, one process) consuming from this stack's Redis."""
        cmd = self._worker_cmd(name)
        if beat:
            cmd += ["--beat", "--schedule", str(self.dir / "celerybeat-schedule")]
        env = env or self.env()
        self.spawn(name, cmd, env=env)
        self.wait_worker(env["REDIS_URL"])

    def wait_worker(self, broker_url: str, timeout: float = 60.0, names: tuple[str, ...] = ()) -> None:
        """Until a worker answers ping on the broker; with `names` (the -n prefixes), until each of them has."""
        from celery import Celery

        # Not the current app: the project's shared tasks would then send to this broker, gone after the stack.
        probe = Celery(broker=broker_url, set_as_current=False)
        deadline = time.monotonic() + timeout
        waiting = set(names)
        try:
            while time.monotonic() < deadline:
                answered = {node for reply in probe.control.ping(timeout=0.5) or () for node in reply}
                waiting = {n for n in waiting if not any(node.startswith(f"{n}-") for node in answered)}
                if answered and not waiting:
                    return
                self._check_alive()
            raise TimeoutError(f"no Celery worker answered ping (still waiting for {sorted(waiting)})")
        finally:
            probe.close()

    def start_beat(self, *, env: dict[str, str] | None = None, name: str = "beat") -> None:
        """`celery -A dvc beat` as a process of its own (as in production: exactly one, beside the workers),
        its schedule file in the stack's directory. It only sends tasks; the workers run them."""
        self.spawn(name, [sys.executable, "-m", "celery", "-A", "dvc", "beat", "--loglevel=INFO",
                          "--schedule", str(self.dir / f"{name}-schedule")], env=env or self.env())

    def start_scaled(self, *, env: dict[str, str] | None = None, webs: int = 2, workers: int = 2,
                     beat: bool = True, beat_env: dict[str, str] | None = None, prefix: str = "") -> list[str]:
        """The production shape on one machine: `webs` uvicorn processes (`<prefix>web1`...), `workers` Celery
        workers with distinct node names (`<prefix>worker1`...), and one beat (`<prefix>beat`, with `beat_env`
        if given), all on the same database and Redis. Each worker takes the default queue, as in production,
        and also a queue named after itself, so a test can hand one task to each worker at the same moment.
        Started together; returns the web servers' base URLs once every web answers and every worker has
        answered ping."""
        env = env or self.env()
        ports = [free_port() for _ in range(webs)]
        for i, port in enumerate(ports, start=1):
            self.spawn(f"{prefix}web{i}", self._server_cmd("dvc.asgi:application", port, 1, access_log=False),
                       env=env)
        names = tuple(f"{prefix}worker{i}" for i in range(1, workers + 1))
        for name in names:
            self.spawn(name, [*self._worker_cmd(name), "-Q", f"celery,{name}"], env=env)
        if beat:
            self.start_beat(env=beat_env or env, name=f"{prefix}beat")
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url in urls:
            wait_http(url + "/healthz", timeout=60)
        if names:
            self.wait_worker(env["REDIS_URL"], names=names)
        self._check_alive()
        return urls

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
