"""Runs the console's JavaScript unit tests (``node --test tests/console/js``) so that
``make test`` covers them; skips without node (fails in strict mode)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tests.conftest import require

JS_TESTS = Path(__file__).parent / "js"


def test_javascript_unit_tests_pass() -> None:
    node = shutil.which("node")
    require(node is not None, "node (for the console's JS unit tests)")
    assert node is not None
    version = subprocess.run([node, "--version"], capture_output=True, text=True, check=True)
    require(int(version.stdout.strip().lstrip("v").split(".")[0]) >= 18, "node >= 18")
    result = subprocess.run(
        [node, "--test", *map(str, sorted(JS_TESTS.glob("*.test.mjs")))],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
