"""Config files handed to rigs (enroll.conf, rig.conf): comment lines and KEY=VALUE.

The rig side reads them with a plain line parser (no shell ``source``), so values are
written without quotes; anything that could break that parser is refused here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SAFE_VALUE = re.compile(r"^[^\s\"'`\\#$]+$")
_KEY = re.compile(r"^[A-Z][A-Z0-9_]*$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _comment(line: str) -> str:
    # Header lines may contain user text (a rig name); never let it start a new line.
    return "# " + _CONTROL.sub(" ", line) if line else "#"


def render_conf(header: Sequence[str], values: Sequence[tuple[str, str]]) -> str:
    """``header`` becomes ``#`` comments; ``values`` become ``KEY=VALUE`` lines."""
    lines = [_comment(line) for line in header]
    for key, value in values:
        if not _KEY.fullmatch(key):
            raise ValueError(f"bad config key {key!r}")
        if not _SAFE_VALUE.fullmatch(value):
            raise ValueError(f"value of {key} is not safe for an unquoted config line")
        lines.append(f"{key}={value}")
    return "\n".join(lines) + "\n"


def parse_conf(text: str) -> dict[str, str]:
    """The reader the rig side implements, here for tests and tools."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if sep and _KEY.fullmatch(key):
            values[key] = value
    return values
