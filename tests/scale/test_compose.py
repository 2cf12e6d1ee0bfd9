"""docker-compose.yml runs the shape tests/scale/test_many_processes.py proves on one machine: two web replicas
behind the proxy, two workers, exactly one beat of its own, one PostgreSQL and one Redis, the media volume
shared. No Docker engine here: the file is read as YAML (merge keys resolved, as `docker compose config` does)
and its shape asserted; the Procfile (`make run`'s processes) keeps the same split."""
import json
import re

import pytest
import yaml

from harness.stack import ROOT

APP_SERVICES = ("web", "worker", "beat", "migrate")


@pytest.fixture(scope="module")
def services():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def replicas(service: dict) -> int:
    return int((service.get("deploy") or {}).get("replicas", service.get("scale", 1)))


def command(service: dict) -> list[str]:
    """The service's command; for one of the app's image without one, the image's CMD (Dockerfile)."""
    cmd = service.get("command")
    if cmd is None and "build" not in service:
        return []  # postgres, redis, the proxy: their images' own
    if cmd is None:
        found = re.search(r"^CMD (\[.*?\])\s*$", (ROOT / "Dockerfile").read_text(), re.M | re.S)
        cmd = json.loads(found.group(1).replace("\\\n", ""))
    return cmd.split() if isinstance(cmd, str) else list(cmd)


def runs_beat(cmd: list[str]) -> bool:
    text = " ".join(cmd)
    return (re.search(r"celery\b.*\bbeat\b", text) is not None or "--beat" in cmd or "-B" in cmd
            or re.search(r"\s-\w*B", text) is not None)


def test_two_web_replicas_two_workers_one_beat(services):
    assert replicas(services["web"]) == 2
    assert replicas(services["worker"]) == 2
    assert replicas(services["beat"]) == 1
    assert {"postgres", "redis", "proxy"} <= set(services)
    assert replicas(services["postgres"]) == replicas(services["redis"]) == 1
    web = command(services["web"])
    assert "uvicorn" in web and "celery" not in web
    worker = command(services["worker"])
    assert worker[worker.index("celery"):][:4] == ["celery", "-A", "dvc", "worker"]
    beat = command(services["beat"])
    assert beat[beat.index("celery"):][:4] == ["celery", "-A", "dvc", "beat"]


def test_the_beat_runs_in_exactly_one_service_and_never_inside_a_worker(services):
    beats = sorted(name for name, service in services.items() if runs_beat(command(service)))
    assert beats == ["beat"]
    assert not runs_beat(command(services["worker"]))
    # Its schedule file on a volume of its own (the last-run times survive a restart: no task fired twice).
    schedule = command(services["beat"])[command(services["beat"]).index("--schedule") + 1]
    assert any(schedule.startswith(v.split(":")[1]) for v in services["beat"]["volumes"])


def test_replicated_services_can_have_replicas(services):
    for name in ("web", "worker"):
        assert "container_name" not in services[name], name  # a fixed name allows one container only
        assert not services[name].get("ports"), name  # a published port is taken by the first replica
        assert "hostname" not in services[name], name  # workers are named after their container's hostname


def test_every_process_shares_one_database_one_redis_and_the_media_volume(services):
    envs = {name: services[name]["environment"] for name in APP_SERVICES}
    assert len({env["DATABASE_URL"] for env in envs.values()}) == 1
    assert len({env["REDIS_URL"] for env in envs.values()}) == 1
    assert "@postgres:" in envs["web"]["DATABASE_URL"] and "//redis:" in envs["web"]["REDIS_URL"]
    for name in ("web", "worker"):  # web serves the files the workers write (report files, photos)
        env, volumes = envs[name], services[name]["volumes"]
        assert f"media:{env['MEDIA_ROOT']}" in volumes, name
    # The proxy reaches every web replica through the service's name.
    assert "reverse_proxy web:8000" in (ROOT / "deploy" / "Caddyfile").read_text()


def test_the_procfile_has_one_beat_apart_from_the_worker():
    processes = dict(line.split(":", 1) for line in (ROOT / "Procfile").read_text().splitlines()
                     if line.strip() and not line.startswith("#"))
    beats = [name for name, cmd in processes.items() if runs_beat(cmd.split())]
    assert beats == ["beat"]
    assert "worker" in processes and not runs_beat(processes["worker"].split())


def test_runs_beat_tells_a_beat_from_a_worker():
    """The checker itself: a worker with an embedded beat counts as a beat."""
    assert runs_beat(["celery", "-A", "dvc", "beat"])
    assert runs_beat(["python", "-m", "celery", "-A", "dvc", "worker", "--beat"])
    assert runs_beat(["celery", "-A", "dvc", "worker", "-B"])
    assert runs_beat(["celery", "-A", "dvc", "worker", "-EB"])
    assert not runs_beat(["python", "-m", "celery", "-A", "dvc", "worker", "--loglevel=INFO", "--concurrency=2"])
    assert not runs_beat(["python", "-m", "uvicorn", "dvc.asgi:application"])
