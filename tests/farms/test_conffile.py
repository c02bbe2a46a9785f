"""The KEY=VALUE writer refuses anything a line parser on the rig could misread."""

from __future__ import annotations

import pytest

from openrig.farms.conffile import parse_conf, render_conf


def test_render_and_parse_round_trip() -> None:
    text = render_conf(["hello", "", "bad\nname\r"], [("A", "1"), ("SERVER_URL", "https://x/y")])
    assert text.splitlines() == ["# hello", "#", "# bad name ", "A=1", "SERVER_URL=https://x/y"]
    assert parse_conf(text) == {"A": "1", "SERVER_URL": "https://x/y"}


@pytest.mark.parametrize(
    "value", ["", "a b", "a\n", "a\nB=2", '"q"', "a'b", "a#b", "$(reboot)", "a`b`", "a\\b", "\t"]
)
def test_unsafe_values_are_refused(value: str) -> None:
    with pytest.raises(ValueError):
        render_conf([], [("KEY", value)])


@pytest.mark.parametrize("key", ["", "lower", "A B", "A\n", "1A", "A-B"])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(ValueError):
        render_conf([], [(key, "v")])
