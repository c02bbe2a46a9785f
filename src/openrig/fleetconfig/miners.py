"""The miners a flight sheet may name. Algos are informative (the miner decides)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Miner:
    name: str
    display_name: str
    vendors: tuple[str, ...]  # "nvidia" | "amd" | "cpu"
    api_port: int  # where the agent reads stats by default
    algos: tuple[str, ...]

    def public(self) -> dict[str, Any]:
        return {**asdict(self), "vendors": list(self.vendors), "algos": list(self.algos)}


MINERS: dict[str, Miner] = {
    m.name: m
    for m in (
        Miner(
            "trex",
            "T-Rex",
            ("nvidia",),
            4067,
            ("kawpow", "etchash", "ethash", "autolykos2", "octopus", "firopow", "mtp"),
        ),
        Miner(
            "gminer",
            "GMiner",
            ("nvidia", "amd"),
            4068,
            ("kawpow", "etchash", "autolykos2", "equihash125_4", "equihash144_5", "kheavyhash"),
        ),
        Miner(
            "lolminer",
            "lolMiner",
            ("nvidia", "amd"),
            4069,
            ("etchash", "autolykos2", "beamhash", "equihash144_5", "kheavyhash", "dynex"),
        ),
        Miner(
            "nbminer",
            "NBMiner",
            ("nvidia", "amd"),
            4070,
            ("kawpow", "etchash", "autolykos2", "octopus", "beamv3"),
        ),
        Miner(
            "teamredminer",
            "TeamRedMiner",
            ("amd",),
            4028,
            ("kawpow", "etchash", "autolykos2", "firopow", "verthash"),
        ),
        Miner("xmrig", "XMRig", ("cpu", "nvidia", "amd"), 4071, ("randomx", "rx/0", "ghostrider")),
        Miner("custom", "Custom miner", ("nvidia", "amd", "cpu"), 4072, ()),
    )
}


def registry() -> list[dict[str, Any]]:
    return [m.public() for m in MINERS.values()]
