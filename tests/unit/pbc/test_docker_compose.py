"""Our machines have no Docker engine, so the compose file is checked as data."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]


def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def readme_command(name: str) -> str:
    """The command the README documents for a service, from its `name:` line."""
    match = re.search(
        rf"^\s*-?\s*{name}: `(.+?)`\s*$", (ROOT / "README.md").read_text(), re.MULTILINE
    )
    assert match, f"README.md documents no command for {name}"
    return match.group(1)


def test_compose_runs_web_worker_postgres_and_redis():
    assert {"web", "worker", "db", "redis"} <= set(compose()["services"])


def test_web_and_worker_are_one_image():
    services = compose()["services"]

    assert services["web"]["image"] == services["worker"]["image"]
    assert services["web"]["build"] == services["worker"]["build"]


def test_every_service_has_a_health_check():
    for name, service in compose()["services"].items():
        assert "healthcheck" in service, f"{name} has no health check"


def test_data_lives_on_named_volumes():
    data = compose()
    volumes = set(data["volumes"])
    assert any(mount.split(":")[0] in volumes for mount in data["services"]["db"]["volumes"])
    assert any(mount.split(":")[0] in volumes for mount in data["services"]["web"]["volumes"])


def test_web_and_worker_commands_are_the_ones_the_readme_documents():
    services = compose()["services"]

    assert services["web"]["command"] == readme_command("web")
    assert services["worker"]["command"] == readme_command("worker")


def test_web_and_worker_wait_for_healthy_database_and_broker():
    services = compose()["services"]
    for name in ("web", "worker"):
        depends = services[name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy"
        assert depends["redis"]["condition"] == "service_healthy"
