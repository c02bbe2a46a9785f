"""Schemas of config documents and their validation, with errors naming field paths.

Every field is optional and nullable: a layer holds any part of the document and a
patch sets ``null`` to remove a key. Lists are values, not patches, so list items
(pools, arguments) are complete and never null. Shell metacharacters are legal data:
the rig passes each value as its own argv element, never through a shell.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from openrig.core.errors import Invalid
from openrig.fleetconfig.miners import MINERS

# C0, DEL and C1 controls, and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
POOL_SCHEMES = ("stratum+tcp", "stratum+ssl", "stratum2+tcp", "http", "https")
MAX_POOLS = 8
MAX_ARGS = 64


def _no_control(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _url(value: str, schemes: tuple[str, ...]) -> str:
    try:
        parts = urlsplit(value)
        _ = parts.port  # raises on a port that is not a number in range
    except ValueError as exc:
        raise ValueError(f"not a valid URL: {exc}") from None
    if parts.scheme.lower() not in schemes:
        raise ValueError(f"scheme must be one of {', '.join(schemes)}")
    if not parts.hostname or " " in value:
        raise ValueError("must name a host and contain no spaces")
    return value


def _pool_url(value: str) -> str:
    return _url(value, POOL_SCHEMES)


def _download_url(value: str) -> str:
    return _url(value, ("https", "http"))


def _miner_name(value: str) -> str:
    if value not in MINERS:
        raise ValueError(f"unknown miner; one of {', '.join(MINERS)}")
    return value


def _gpu_index(value: str) -> str:
    if not re.fullmatch(r"[0-9]|[12][0-9]|3[01]", value):
        raise ValueError("GPU index must be a string from '0' to '31'")
    return value


Safe = AfterValidator(_no_control)
Text256 = Annotated[str, StringConstraints(max_length=256), Safe]
Version = Annotated[str, StringConstraints(min_length=1, max_length=32), Safe]
Algo = Annotated[str, StringConstraints(min_length=1, max_length=64), Safe]


PoolUrl = Annotated[str, StringConstraints(max_length=512), AfterValidator(_pool_url)]
DownloadUrl = Annotated[str, StringConstraints(max_length=2048), AfterValidator(_download_url)]
MinerName = Annotated[str, StringConstraints(max_length=32), AfterValidator(_miner_name)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-fA-F]{64}$")]
Binary = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$")]
GpuIndex = Annotated[str, StringConstraints(max_length=2), AfterValidator(_gpu_index)]
Currency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
Mhz = Annotated[int, Field(ge=0, le=5000)]
Offset = Annotated[int, Field(ge=-2000, le=4000)]
Watts = Annotated[int, Field(ge=0, le=1000)]


class Section(BaseModel):
    # strict: "true" is not a bool and 5.0 not an int; config reaches hardware.
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class Pool(Section):
    url: PoolUrl
    user: Text256 = ""
    password: Text256 = Field("", alias="pass")


class MinerDoc(Section):
    name: MinerName | None = None
    version: Version | None = None
    algo: Algo | None = None
    pools: Annotated[list[Pool], Field(max_length=MAX_POOLS)] | None = None
    extra_args: Annotated[list[Text256], Field(max_length=MAX_ARGS)] | None = None
    binary: Binary | None = None  # the executable of a ``custom`` miner
    download_url: DownloadUrl | None = None
    download_sha256: Sha256 | None = None


class Fan(Section):
    mode: Literal["auto", "fixed", "target"] | None = None
    pct: Annotated[int, Field(ge=0, le=100)] | None = None
    target_temp_c: Annotated[int, Field(ge=30, le=90)] | None = None

    @field_validator("pct", "target_temp_c")
    @classmethod
    def _matches_mode(cls, value: int | None, info: ValidationInfo) -> int | None:
        needs = {"pct": "fixed", "target_temp_c": "target"}[info.field_name or ""]
        mode = info.data.get("mode")
        if value is not None and mode is not None and mode != needs:
            raise ValueError(f"only with mode {needs!r}")
        return value


class NvidiaOc(Section):
    power_limit_w: Watts | None = None
    core_offset_mhz: Offset | None = None
    mem_offset_mhz: Offset | None = None
    core_lock_mhz: Mhz | None = None
    mem_lock_mhz: Mhz | None = None
    fan: Fan | None = None


class AmdOc(Section):
    core_clock_mhz: Mhz | None = None
    mem_clock_mhz: Mhz | None = None
    core_state: Annotated[int, Field(ge=0, le=7)] | None = None
    mem_state: Annotated[int, Field(ge=0, le=3)] | None = None
    core_voltage_mv: Annotated[int, Field(ge=500, le=1500)] | None = None
    fan: Fan | None = None


class GpuOc(Section):
    nvidia: NvidiaOc | None = None
    amd: AmdOc | None = None


class OcDoc(Section):
    nvidia: NvidiaOc | None = None
    amd: AmdOc | None = None
    per_gpu: dict[GpuIndex, GpuOc | None] | None = None


class Watchdog(Section):
    enabled: bool | None = None
    min_hashrate_hs: Annotated[float, Field(ge=0, le=1e18)] | None = None
    restart_after_min: Annotated[int, Field(ge=1, le=1440)] | None = None
    reboot_after_restarts: Annotated[int, Field(ge=0, le=100)] | None = None
    max_temp_c: Annotated[int, Field(ge=40, le=110)] | None = None
    max_temp_action: Literal["stop_miner", "reboot", "shutdown", "none"] | None = None
    gpu_lost_action: Literal["reboot", "restart_miner", "none"] | None = None


class ConfigLayer(Section):
    """A farm, group or rig layer: any part of the effective document."""

    miner: MinerDoc | None = None
    oc: OcDoc | None = None
    watchdog: Watchdog | None = None
    report_interval_s: Annotated[int, Field(ge=10, le=600)] | None = None
    maintenance: bool | None = None
    exec_allowed: bool | None = None
    power_price_per_kwh: Annotated[float, Field(ge=0, le=1000)] | None = None
    currency: Currency | None = None


def _path(loc: tuple[int | str, ...], prefix: str) -> str:
    parts = [prefix] if prefix else []
    parts += [str(p) for p in loc if p != "[key]"]
    return ".".join(parts) or "body"


def _details(exc: ValidationError, prefix: str) -> list[dict[str, Any]]:
    return [
        {"path": _path(err["loc"], prefix), "message": err["msg"].removeprefix("Value error, ")}
        for err in exc.errors(include_url=False, include_input=False)
    ]


def _check(model: type[Section], data: Any, prefix: str) -> dict[str, Any]:
    try:
        parsed = model.model_validate(data)
    except ValidationError as exc:
        details = _details(exc, prefix)
        raise Invalid(f"{details[0]['path']}: {details[0]['message']}", details=details) from None
    return parsed.model_dump(mode="json", by_alias=True, exclude_unset=True)


def check_layer(data: Any) -> dict[str, Any]:
    """Validate a layer or a merge patch for one; the normalised document."""
    return _check(ConfigLayer, data, "")


def check_oc(data: Any) -> dict[str, Any]:
    return _check(OcDoc, data, "oc")


def check_miner_patch(data: Any) -> dict[str, Any]:
    return _check(MinerDoc, data, "miner")


def check_miner(data: Any) -> dict[str, Any]:
    """A flight sheet's miner: complete enough for a rig to start it."""
    miner = _check(MinerDoc, data, "miner")
    if "name" not in miner:
        raise Invalid.at("miner.name", "a flight sheet must name its miner")
    if miner["name"] == "custom" and "binary" not in miner:
        raise Invalid.at("miner.binary", "a custom miner needs the name of its binary")
    return miner
