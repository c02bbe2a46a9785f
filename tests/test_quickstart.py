"""The README's curl walkthrough (docs/examples/quickstart.sh) works against a real server."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from fastapi import FastAPI

from tests.conftest import require
from tests.support.live import serve

SCRIPT = Path(__file__).resolve().parent.parent / "docs" / "examples" / "quickstart.sh"


def test_quickstart_walkthrough(app: FastAPI, tmp_path: Path) -> None:
    require(shutil.which("jq") is not None, "jq")
    require(shutil.which("curl") is not None, "curl")
    with serve(app) as url:
        done = subprocess.run(
            ["bash", str(SCRIPT), url, "new@example.com", "a long password"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr
        # Running it again logs in instead of signing up, and makes a second farm.
        again = subprocess.run(
            ["bash", str(SCRIPT), url, "new@example.com", "a long password"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 0, again.stderr
    assert "rig-02 mines RWALLET.rig-02" in done.stdout
    assert '"watchdog.max_temp_c": "group:' in done.stdout
    conf = (tmp_path / "rig.conf").read_text()
    lines = dict(
        line.split("=", 1) for line in conf.splitlines() if line and not line.startswith("#")
    )
    assert set(lines) == {"SERVER_URL", "RIG_ID", "RIG_TOKEN"}
    assert lines["RIG_TOKEN"].startswith("orr_")
