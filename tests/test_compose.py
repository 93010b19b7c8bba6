"""docker-compose.yml and the Dockerfile, checked without a Docker engine.

Every command the compose file runs is parsed by the real command-line parsers: `kg` commands by
typer's click command, `oxigraph` commands against the options its own `--help` lists. The native
run of the same flow (ingest, serve, push into a separate Oxigraph server) is tests/test_push.py.
"""
from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import yaml
from typer.exceptions import TyperException

from kg.cli import app
from tests.conftest import ROOT
from tests.external import require

COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SERVICES = {"kg", "oxigraph", "push", "dask-scheduler", "dask-worker-1", "dask-worker-2", "dask-ingest"}
DASK = {"dask-scheduler", "dask-worker-1", "dask-worker-2"}


def _compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text())


def _commands(command: list[str]) -> list[list[str]]:
    """The argument lists a container command runs: `sh -c "a && b"` is two."""
    if command[:2] == ["sh", "-c"]:
        return [shlex.split(part) for part in command[2].split("&&")]
    return [command]


def _kg_commands() -> list[pytest.param]:
    found = []
    for name, service in _compose()["services"].items():
        for args in _commands(service.get("command") or []):
            if args[0] == "kg":
                found.append(pytest.param(args, id=f"{name}:{' '.join(args[:2])}"))
    dockerfile_cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE.read_text(), re.MULTILINE)
    assert dockerfile_cmd, "the Dockerfile has a CMD in exec form"
    for args in _commands(yaml.safe_load(dockerfile_cmd.group(1))):
        found.append(pytest.param(args, id=f"Dockerfile:{' '.join(args[:2])}"))
    return found


def test_compose_has_its_services_and_keeps_stores_in_volumes() -> None:
    compose = _compose()
    assert set(compose["services"]) == SERVICES
    assert compose["services"]["oxigraph"]["image"].startswith("ghcr.io/oxigraph/oxigraph:")
    for name in SERVICES - {"oxigraph"}:
        assert compose["services"][name]["build"] == "." and compose["services"][name]["image"] == "newskg", name
    for name in SERVICES - {"dask-scheduler"}:  # the scheduler holds no data
        mounts = [volume.split(":")[0] for volume in compose["services"][name]["volumes"]]
        assert mounts and set(mounts) <= set(compose["volumes"]), name
    assert compose["services"]["kg"]["depends_on"]["push"]["condition"] == "service_completed_successfully"
    assert compose["services"]["push"]["depends_on"]["dask-ingest"]["condition"] == "service_completed_successfully"


@pytest.mark.parametrize("args", _kg_commands())
def test_every_kg_command_parses_with_the_real_cli(args: list[str]) -> None:
    group = typer.main.get_command(app)  # the click group `kg` runs
    context = group.make_context("kg", list(args[1:]))
    command = group.get_command(context, args[1])
    assert command is not None, f"no kg command {args[1]!r}"
    command.make_context(args[1], list(args[2:]), parent=context)  # raises on an unknown flag or bad value


def test_a_wrong_flag_would_be_caught() -> None:
    group = typer.main.get_command(app)
    context = group.make_context("kg", ["push"])
    with pytest.raises(TyperException, match="--no-such-flag"):
        group.get_command(context, "push").make_context("push", ["--no-such-flag", "x"], parent=context)


def test_the_push_service_pushes_into_the_oxigraph_service() -> None:
    push = [args for args in _commands(_compose()["services"]["push"]["command"]) if args[:2] == ["kg", "push"]]
    assert len(push) == 1
    assert push[0][push[0].index("--to") + 1] == "http://oxigraph:7878/store"


def test_the_oxigraph_command_uses_only_options_its_help_lists() -> None:
    binary = require("oxigraph", "the PyPI package 'oxigraph'")
    args = _compose()["services"]["oxigraph"]["command"]
    usage = subprocess.run([binary, args[0], "--help"], capture_output=True, text=True, timeout=30)
    assert usage.returncode == 0, usage.stderr
    for flag in (a for a in args[1:] if a.startswith("--")):
        assert re.search(rf"\s{re.escape(flag)}\b", usage.stdout), f"oxigraph {args[0]} has no {flag}"


def test_dockerfile_installs_the_lock_with_hashes_and_copies_what_exists() -> None:
    text = DOCKERFILE.read_text()
    assert re.search(r"^RUN .*pip install --require-hashes --no-deps -r requirements\.lock$", text, re.MULTILINE)
    for line in re.findall(r"^COPY (.+)$", text, re.MULTILINE):
        for source in line.split()[:-1]:
            assert (ROOT / source).exists(), f"COPY {source}: no such file in the repository"
    assert Path(ROOT / "requirements.lock").read_text().count("--hash=sha256:") > 10


def test_the_dask_ingest_goes_through_the_scheduler_service_to_the_store_kg_serves() -> None:
    services = _compose()["services"]
    (ingest,) = _commands(services["dask-ingest"]["command"])
    scheduler = services["dask-scheduler"]["command"]
    port = scheduler[scheduler.index("--port") + 1]
    assert ingest[:2] == ["kg", "ingest"] and ingest[ingest.index("--cluster") + 1] == f"tcp://dask-scheduler:{port}"
    assert ingest[ingest.index("--store") + 1] == "data/store"
    for name in ("dask-worker-1", "dask-worker-2"):
        worker = services[name]["command"]
        assert worker[:3] == ["dask", "worker", f"tcp://dask-scheduler:{port}"], name
        # the workers write the shards where the driver reads them: the same volume at the same path
        assert services[name]["volumes"] == services["dask-ingest"]["volumes"], name


@pytest.mark.parametrize("name", sorted(DASK))
def test_the_dask_commands_use_only_options_their_help_lists(name: str) -> None:
    args = _compose()["services"][name]["command"]
    assert args[0] == "dask"
    usage = subprocess.run([str(Path(sys.executable).with_name("dask")), args[1], "--help"],
                           capture_output=True, text=True, timeout=60)
    assert usage.returncode == 0, usage.stderr
    for flag in (a for a in args[2:] if a.startswith("--")):
        assert re.search(rf"\s{re.escape(flag)}\b", usage.stdout), f"dask {args[1]} has no {flag}"
