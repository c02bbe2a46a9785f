"""The oros USB image, booted whole (boot loader included) under qemu without KVM: it runs
from RAM, fetches and verifies the agent bundle, enrolls or uses its rig.conf, and
reports to a real openrig server — and the USB key is never written, except rig.conf on
the OPENRIG partition once, when the rig enrolls.

Run by ``make image-test`` (builds the image, sets ``OROS_IMAGE``). Serial logs, qemu
command lines and boot times are kept under ``test-artifacts/image/``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from openrig.rigapi.bundle import server_bundle
from tests.conftest import require
from tests.image.qemu import (
    SERVER_URL,
    Guest,
    Partition,
    boot,
    list_files,
    missing_tools,
    partitions,
    put_file,
    read_file,
    sha256,
)
from tests.support.actors import Actors
from tests.support.live import serve

IMAGE = os.environ.get("OROS_IMAGE", "")
ARTIFACTS = Path(os.environ.get("OROS_IMAGE_ARTIFACTS", "test-artifacts/image"))
BOOT_TIMEOUT = float(os.environ.get("OROS_IMAGE_BOOT_TIMEOUT", "480"))  # TCG on a busy CI box
API = "/api/v1"

pytestmark = pytest.mark.skipif(not IMAGE, reason="boots the USB image: run by `make image-test`")


@pytest.fixture
def image(tmp_path: Path) -> Path:
    """A private copy of the built image (the test writes its rig.conf into it)."""
    source = Path(IMAGE)
    require(source.is_file(), f"the oros image {source} (make image)")
    missing = missing_tools()
    apt = "apt-get install qemu-system-x86 socat mtools fdisk ovmf"
    require(not missing, f"{', '.join(missing)} ({apt})")
    copy = tmp_path / "oros.img"
    subprocess.run(["cp", "--sparse=always", str(source), str(copy)], check=True)
    return copy


@pytest.fixture
def server_port(app: FastAPI) -> Iterator[int]:
    with serve(app) as url:
        yield int(url.rsplit(":", 1)[1])


@pytest.fixture
def artifacts(request: pytest.FixtureRequest) -> Path:
    path = ARTIFACTS / request.node.name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


def image_version() -> str:
    info = Path(IMAGE).with_name("build-info.txt").read_text()
    found = re.search(r"^version=(\S+)$", info, re.MULTILINE)
    assert found, info
    return found.group(1)


def wait_reporting(actors: Actors, guest: Guest, rig_id: str | None) -> dict[str, Any]:
    """Poll the API until the rig (or the only rig of the farm) is alive with a report."""
    deadline = time.monotonic() + BOOT_TIMEOUT
    while True:
        if rig_id is None:
            page = actors.owner.get(f"{API}/farms/{actors.farm_id}/rigs").json()
            ids = [rig["id"] for rig in page["items"]]
            assert len(ids) <= 1, page
            rig_id_now = ids[0] if ids else None
        else:
            rig_id_now = rig_id
        if rig_id_now:
            detail: dict[str, Any] = actors.owner.get(f"{API}/rigs/{rig_id_now}").json()
            if detail["status"] != "offline" and detail["report"] and detail["inventory"]:
                return detail
        if not guest.running():
            raise AssertionError(f"qemu exited ({guest.proc.returncode}):\n{guest.tail()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no report within {BOOT_TIMEOUT:.0f} s:\n{guest.tail()}")
        time.sleep(1)


def check_guest(guest: Guest, detail: dict[str, Any]) -> None:
    """What the serial console and the server say about how the rig runs."""
    bundle = server_bundle()
    guest.wait_log(r"oros-image: root: overlay \(upper layer \S+ on tmpfs\)", 60)
    guest.wait_log(r"oros-image: squashfs: \S+ on tmpfs \(copied to RAM: toram\)", 60)
    guest.wait_log(r"oros-image: block devices mounted: /dev/\w+2 on /run/oros-config \(ro\) $", 60)
    guest.wait_log(r"oros-image: ramdisk: tmpfs on /run/oros ", 60)
    # the agent came from the server: downloaded, SHA-256 checked against the manifest
    guest.wait_log(rf"bundle: installed {re.escape(bundle.version)} in /run/oros/agent", 60)
    assert detail["agent_version"] == bundle.version
    assert detail["inventory"]["image_version"] == image_version()
    assert detail["inventory"]["kernel"].endswith("-amd64")
    assert detail["last_seen_at"]
    # no GPU and no miner in this guest: alive, with nothing to mine
    assert detail["status"] in ("online", "miner_down", "zero_hashrate"), detail["status"]


def finish(guest: Guest, artifacts: Path, name: str, reported_after: float) -> None:
    code = guest.powerdown()
    with (ARTIFACTS / "boot-times.txt").open("a") as f:
        f.write(f"{name}: reporting {reported_after:.0f} s after power-on\n")
    assert code == 0, f"qemu exit code {code}:\n{guest.tail()}"


def boot_and_check(
    image: Path,
    artifacts: Path,
    server_port: int,
    actors: Actors,
    rig_id: str | None,
    **how: str,
) -> tuple[Guest, dict[str, Any]]:
    guest = boot(image, artifacts, server_port, **how)
    try:
        detail = wait_reporting(actors, guest, rig_id)
        reported_after = guest.elapsed()
        check_guest(guest, detail)
    except BaseException:
        guest.kill()
        raise
    finish(guest, artifacts, artifacts.name, reported_after)
    return guest, detail


def config_partition(image: Path) -> Partition:
    parts = partitions(image)
    assert len(parts) == 2, parts
    return parts[1]


def test_usb_stick_bios_enrolls_with_the_farms_enroll_conf_and_stores_only_its_rig_conf(
    image: Path, artifacts: Path, server_port: int, actors: Actors, enroll_key: str
) -> None:
    """A USB stick (xHCI) in a legacy-BIOS PC, as most mining boards boot, with the farm's
    enroll.conf saved as rig.conf: the rig enrolls; afterwards only the OPENRIG partition
    differs, and its rig.conf holds RIG_ID/RIG_TOKEN instead of the enrollment key."""
    conf = actors.admin.get(f"{API}/farms/{actors.farm_id}/enroll.conf")
    assert conf.status_code == 200, conf.text
    assert f"SERVER_URL={SERVER_URL}" in conf.text and enroll_key in conf.text
    part = config_partition(image)
    put_file(image, part, "rig.conf", conf.content, artifacts)
    head_before = sha256(image, 0, part.offset)
    config_before = sha256(image, part.offset, part.size)

    _, detail = boot_and_check(
        image, artifacts, server_port, actors, None, firmware="bios", media="usb"
    )

    assert re.fullmatch(r"rig-[0-9a-f]{6}", detail["name"]), detail["name"]  # from the MAC
    assert sha256(image, 0, part.offset) == head_before, "the boot partition was written"
    assert sha256(image, part.offset, part.size) != config_before
    stored = read_file(image, part, "rig.conf")
    assert f"RIG_ID={detail['id']}" in stored
    assert re.search(r"^RIG_TOKEN=orr_\S+$", stored, re.MULTILINE)
    assert "ENROLL_KEY" not in stored and enroll_key not in stored
    assert f"SERVER_URL={SERVER_URL}" in stored
    assert list_files(image, part) == ["README.txt", "rig.conf"]  # no temp file left
    config_copy = artifacts / "config-partition.img"
    with image.open("rb") as f:
        f.seek(part.offset)
        config_copy.write_bytes(f.read(part.size))
    fsck = subprocess.run(["fsck.vfat", "-n", str(config_copy)], capture_output=True, text=True)
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr  # clean, not left marked dirty
    assert "dirty" not in (fsck.stdout + fsck.stderr).lower(), fsck.stdout + fsck.stderr
    log = (artifacts / "serial.log").read_text(errors="replace")
    assert f"enroll: enrolled as rig {detail['id']}" in log
    assert "oros-image: stored the rig's RIG_ID/RIG_TOKEN" in log


def test_uefi_disk_boots_with_its_rig_conf_and_never_writes_the_key(
    image: Path, artifacts: Path, server_port: int, actors: Actors
) -> None:
    """UEFI (OVMF), a plain disk, and a rig.conf downloaded from the console (RIG_ID/
    RIG_TOKEN): the rig reports as that rig, and the whole image is bit-for-bit what it
    was before power-on — boot loader, squashfs, config partition, even after shutdown."""
    created = actors.owner.post(f"{API}/farms/{actors.farm_id}/rigs", json={"name": "rig-01"})
    assert created.status_code == 201, created.text
    rig_id = created.json()["id"]
    conf = actors.operator.get(f"{API}/rigs/{rig_id}/rig.conf")
    assert conf.status_code == 200, conf.text
    put_file(image, config_partition(image), "rig.conf", conf.content, artifacts)
    before = sha256(image)

    _, detail = boot_and_check(
        image, artifacts, server_port, actors, rig_id, firmware="uefi", media="disk",
        mac="52:54:00:0a:00:02",
    )  # fmt: skip

    assert detail["id"] == rig_id and detail["name"] == "rig-01"
    assert sha256(image) == before, "the USB key was written"
