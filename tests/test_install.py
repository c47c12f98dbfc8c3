"""The built wheel, installed in a fresh environment, works in an empty folder far from here."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from artifactgen.schema import MODELINE
from tests.conftest import MINIMAL, ROOT

TIMEOUT = 120


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[dict[str, str], Path]:
    """A fresh virtual environment with the wheel built from this tree installed in it; the
    environment variables to run its `artifactgen` with, and the environment's folder.

    Offline: the wheel is built with the hatchling of the test's own environment, and the
    fresh environment reads the runtime dependencies (not artifactgen) from there."""
    root = tmp_path_factory.mktemp("install")
    wheels, venv = root / "wheels", root / "venv"
    build = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation"]
    subprocess.run([*build, "-w", wheels, ROOT], check=True, capture_output=True, timeout=TIMEOUT)
    (wheel,) = wheels.glob("artifactgen-*.whl")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", python, "install", "--no-deps"]
    subprocess.run([*install, "--no-index", wheel], check=True, capture_output=True)
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    # Nor what an outer `make` (make test, in CI) passes down: its inner make would announce
    # "Entering directory".
    outer = {"PYTHONPATH", "PYTHONHOME", "MAKELEVEL", "MAKEFLAGS", "MFLAGS"}
    env = {k: v for k, v in os.environ.items() if k not in outer}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env.pop("VIRTUAL_ENV", None)
    return env, venv


def shell(env: dict[str, str], cwd: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
    )


def test_the_installed_wheel_sets_up_a_workspace_and_builds_in_it(installed, tmp_path):
    installed, venv = installed
    empty = tmp_path / "empty"  # outside this repository: no workspace above it
    empty.mkdir()
    code = "import artifactgen; print(artifactgen.__file__)"
    where = Path(shell(installed, empty, "python", "-c", code).stdout.strip())
    assert where.is_relative_to(venv), f"not the installed wheel: {where}"

    refused = shell(installed, empty, "artifactgen", "build")
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr.endswith("run 'artifactgen init' to make this folder one\n")

    init = shell(installed, empty, "artifactgen", "init", "ws")
    assert init.returncode == 0, init.stderr
    ws = empty / "ws"
    assert sorted(path.name for path in ws.iterdir()) == [
        "Makefile",
        "README.txt",
        "artifactgen.toml",
        "cases",
        "docs",
        "output",
        "schema",
    ]
    schema = shell(installed, empty, "artifactgen", "schema").stdout
    assert (ws / "schema" / "case.schema.json").read_text(encoding="utf-8") == schema

    new = shell(installed, ws, "artifactgen", "new", "jordan-smith")
    assert new.returncode == 0, new.stderr
    case = ws / "cases" / "jordan-smith.yaml"
    modeline = case.read_text(encoding="utf-8").splitlines()[0]
    assert modeline == f"{MODELINE}../schema/case.schema.json"
    case.write_text(f"{modeline}\n{MINIMAL}", encoding="utf-8")  # filled in
    checked = shell(installed, ws / "cases", "artifactgen", "validate")
    assert checked.stdout == "2 case files checked: all valid\n", checked.stderr

    built = shell(installed, ws, "artifactgen", "build")
    assert built.stdout == "2 cases built: 26 files written, 0 unchanged\n", built.stderr
    made = shell(installed, ws, "make")
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [
        "artifactgen build cases",
        "2 cases built: 0 files written, 26 unchanged",
    ]

    status = shell(installed, ws / "cases", "artifactgen", "status")
    assert status.stdout.count("  up to date\n") == 26
    assert status.stdout.endswith("\n26 files: all up to date\n")
    assert "../output/jordan-smith/05-14-day-action-plan.docx" in status.stdout

    copied = shell(installed, ws / "cases", "artifactgen", "template", "_header.md.j2")
    assert copied.returncode == 0, copied.stderr
    header = ws / "templates" / "_header.md.j2"
    header.write_text("# {{ deliverable.title }} for {{ case.client.name }}\n", encoding="utf-8")
    rebuilt = shell(installed, ws, "make", "--no-print-directory")
    assert rebuilt.stdout.splitlines()[-1] == "2 cases built: 24 files written, 2 unchanged"
    plan = ws / "output" / "jordan-smith" / "05-14-day-action-plan.md"
    assert plan.read_text(encoding="utf-8").startswith("# 14-Day Action Plan for Jo Park\n")
