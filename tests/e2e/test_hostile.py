"""Hostile values reach the miner as literal argv elements and run nothing — through
the real server config API, the real agent and a fake miner that records its argv.
Same for hostile rig.conf values at boot."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.e2e.conftest import LiveServer, trex_miner
from tests.e2e.harness import RigRoot, wait_for
from tests.support.actors import Actors


def payloads(mark: Path) -> list[str]:
    return [
        f"$(touch {mark})",
        f"`touch {mark}`",
        f"x; touch {mark}",
        f"x && touch {mark}",
        f"x | tee {mark}",
        f"'\"$(touch {mark})\"'",
        "*",
        "~",
        "~root/*",
        "--algo=evil",
        "${HOME}",
        "a b  c",
    ]


def test_hostile_flight_sheet_reaches_the_miner_literally(
    tmp_path: Path,
    actors: Actors,
    enroll_conf: str,
    farm: Callable[..., str],
    make_rig: Callable[..., RigRoot],
) -> None:
    mark = tmp_path / "pwned"
    evil = payloads(mark)
    url = f"stratum+tcp://pool.example:3333/$(id>{mark});`id>{mark}`|x&&y*~'\""
    user = f"W.$(touch {mark});`touch {mark}`|&&*~'\""
    password = f'x" ; touch {mark} #'
    miner = trex_miner(pools=[{"url": url, "user": user, "pass": password}], extra_args=evil)
    farm(miner=miner)
    # Newlines are control characters: the server refuses them before any rig sees them.
    refused = actors.owner.post(
        f"/api/v1/farms/{actors.farm_id}/flight-sheets",
        json={"name": "nl", "miner": trex_miner(extra_args=[f"a\ntouch {mark}"])},
    )
    assert refused.status_code == 422

    rig = make_rig(enroll_conf)
    rig.start()
    argv = wait_for(lambda: rig.miner_starts(), 30, "the miner to start")[0]
    assert argv[argv.index("-o") + 1] == url
    assert argv[argv.index("-u") + 1] == user
    assert argv[argv.index("-p") + 1] == password
    assert argv[-len(evil) :] == evil
    assert not mark.exists()
    assert not list(Path.cwd().glob("pwned*"))


def test_hostile_rig_conf_values_run_nothing(
    tmp_path: Path, live: LiveServer, make_rig: Callable[..., RigRoot]
) -> None:
    mark = tmp_path / "pwned"
    bad_key = f"ore_$(touch {mark});`touch {mark}`|&&*~'\""
    rig = make_rig(f"SERVER_URL={live.url}\nENROLL_KEY={bad_key}\n", name="badkey")
    rig.start()
    assert rig.process is not None
    assert rig.process.wait(timeout=30) == 2  # refused key: no retry loop
    assert "refused ENROLL_KEY (401)" in rig.log()
    assert bad_key in rig.conf_path.read_text()  # untouched

    ca = f"$(touch {mark})`touch {mark}`;*"
    rig2 = make_rig(f"SERVER_URL={live.url}\nENROLL_KEY=ore_x\nCA_FILE={ca}\n", name="badca")
    rig2.start()
    assert rig2.process is not None
    assert rig2.process.wait(timeout=30) == 2
    assert "CA file not readable" in rig2.log()
    assert not mark.exists()
