"""Boot an oros disk image under qemu (TCG, no KVM) with the network restricted to one
openrig server, and read what it did from its serial console.

The guest sees only the test server: user-mode networking with ``restrict=on`` and one
``guestfwd`` (``SERVER_ADDR``:``SERVER_PORT`` in the guest) that runs
``socat - TCP:127.0.0.1:<port>`` per connection (a plain tcp guestfwd hangs on the second
connection).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

SERVER_ADDR = "10.0.2.100"
SERVER_PORT = 8000
SERVER_URL = f"http://{SERVER_ADDR}:{SERVER_PORT}"
OVMF_CODE = Path("/usr/share/OVMF/OVMF_CODE_4M.fd")
OVMF_VARS = Path("/usr/share/OVMF/OVMF_VARS_4M.fd")
TOOLS = ("qemu-system-x86_64", "socat", "mcopy", "mtype", "sfdisk")


def missing_tools() -> list[str]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if not OVMF_CODE.is_file():
        missing.append(str(OVMF_CODE))
    return missing


@dataclass(frozen=True)
class Partition:
    offset: int
    size: int


def partitions(image: Path) -> list[Partition]:
    """The image's partitions (sfdisk reads the MBR; nothing is mounted)."""
    out = subprocess.run(
        ["sfdisk", "--json", str(image)], check=True, capture_output=True, text=True
    ).stdout
    table = json.loads(out)["partitiontable"]
    sector = int(table.get("sectorsize", 512))
    return [Partition(p["start"] * sector, p["size"] * sector) for p in table["partitions"]]


def sha256(path: Path, start: int = 0, length: int | None = None) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        f.seek(start)
        left = length
        while left is None or left > 0:
            chunk = f.read(1 << 20 if left is None else min(1 << 20, left))
            if not chunk:
                break
            digest.update(chunk)
            if left is not None:
                left -= len(chunk)
    return digest.hexdigest()


def _mtools(image: Path, part: Partition) -> str:
    return f"{image}@@{part.offset}"


def put_file(image: Path, part: Partition, name: str, data: bytes, tmp: Path) -> None:
    """Write a file into a FAT partition of the image file (mtools, no mount)."""
    src = tmp / name
    src.write_bytes(data)
    subprocess.run(
        ["mcopy", "-o", "-i", _mtools(image, part), str(src), f"::/{name}"],
        check=True,
        env={"MTOOLS_SKIP_CHECK": "1", "PATH": "/usr/bin:/bin"},
    )


def read_file(image: Path, part: Partition, name: str) -> str:
    return subprocess.run(
        ["mtype", "-i", _mtools(image, part), f"::/{name}"],
        check=True,
        capture_output=True,
        text=True,
        env={"MTOOLS_SKIP_CHECK": "1", "PATH": "/usr/bin:/bin"},
    ).stdout


def list_files(image: Path, part: Partition) -> list[str]:
    out = subprocess.run(
        ["mdir", "-b", "-i", _mtools(image, part), "::/"],
        check=True,
        capture_output=True,
        text=True,
        env={"MTOOLS_SKIP_CHECK": "1", "PATH": "/usr/bin:/bin"},
    ).stdout
    return sorted(line.removeprefix("::/") for line in out.split())


@dataclass
class Guest:
    proc: subprocess.Popen[bytes]
    serial: Path
    monitor: Path
    started: float = field(default_factory=time.monotonic)

    def log(self) -> str:
        try:
            return self.serial.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def tail(self, lines: int = 60) -> str:
        return "\n".join(self.log().splitlines()[-lines:])

    def running(self) -> bool:
        return self.proc.poll() is None

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def wait_log(self, pattern: str, timeout: float) -> re.Match[str]:
        """Wait for a regular expression in the serial log; fail with its tail."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, re.MULTILINE)
        while True:
            found = regex.search(self.log())
            if found:
                return found
            if not self.running():
                raise AssertionError(
                    f"qemu exited ({self.proc.returncode}) before /{pattern}/:\n{self.tail()}"
                )
            if time.monotonic() > deadline:
                raise AssertionError(f"no /{pattern}/ within {timeout:.0f} s:\n{self.tail()}")
            time.sleep(0.5)

    def _hmp(self, command: str) -> None:
        with socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(5)
            sock.connect(str(self.monitor))
            sock.sendall(command.encode() + b"\n")
            time.sleep(0.2)

    def powerdown(self, timeout: float = 120) -> int:
        """ACPI power button, as a person would press it; kill if it does not stop."""
        if self.running():
            with contextlib.suppress(OSError):
                self._hmp("system_powerdown")
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout)
        self.kill()
        return self.proc.returncode

    def kill(self) -> None:
        if self.running():
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.monitor.parent, ignore_errors=True)


def boot(
    image: Path,
    workdir: Path,
    server_port: int,
    *,
    firmware: str = "bios",
    media: str = "disk",
    mac: str = "52:54:00:0a:00:01",
    memory_mb: int = 1536,
) -> Guest:
    """Power on a q35 PC with ``image`` as its only disk (bootloader included)."""
    workdir.mkdir(parents=True, exist_ok=True)
    serial = workdir / "serial.log"
    serial.unlink(missing_ok=True)
    # a unix socket path must stay under 108 bytes: not in the (long) artifacts folder
    monitor = Path(tempfile.mkdtemp(prefix="oros-qemu-")) / "monitor.sock"
    fwd = f"guestfwd=tcp:{SERVER_ADDR}:{SERVER_PORT}-cmd:socat - TCP:127.0.0.1:{server_port}"
    argv = [
        "qemu-system-x86_64",
        "-accel", "tcg",
        "-machine", "q35",
        "-m", str(memory_mb),
        "-smp", "2",
        "-display", "none",
        "-vga", "std",
        "-serial", f"file:{serial}",
        "-monitor", f"unix:{monitor},server,nowait",
        "-no-reboot",
        "-drive", f"file={image},format=raw,if=none,id=key,cache=writeback",
        "-netdev", f"user,id=net0,restrict=on,{fwd}",
        "-device", f"virtio-net-pci,netdev=net0,mac={mac}",
    ]  # fmt: skip
    if media == "usb":
        argv += ["-device", "qemu-xhci,id=xhci", "-device", "usb-storage,bus=xhci.0,drive=key"]
    elif media == "disk":
        argv += ["-device", "virtio-blk-pci,drive=key"]
    else:
        raise ValueError(media)
    if firmware == "uefi":
        vars_copy = workdir / "OVMF_VARS.fd"
        shutil.copyfile(OVMF_VARS, vars_copy)
        argv += [
            "-drive", f"if=pflash,format=raw,unit=0,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,unit=1,file={vars_copy}",
        ]  # fmt: skip
    elif firmware != "bios":
        raise ValueError(firmware)
    (workdir / "qemu.argv").write_text("\n".join(argv) + "\n")
    with (workdir / "qemu.stderr").open("wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
    return Guest(proc, serial, monitor)
