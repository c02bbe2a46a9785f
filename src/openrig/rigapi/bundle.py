"""The oros agent bundle: the server's own ``oros/`` scripts as a deterministic tar.gz.

Rigs download it at boot and for ``upgrade_agent`` (``GET /api/rig/v1/bundle``) after
reading its SHA-256 from ``GET /api/rig/v1/bundle/manifest``, and refuse it when the
digest differs. The archive is built once per process and is byte-for-byte the same
for the same files: entries sorted, owner 0/0, fixed mtime and modes, gzip without a
name or time stamp, so every server instance with the same scripts serves the same
digest.

The scripts are found in a source checkout (``<repo>/oros``) or, in an installed
package, under ``<prefix>/share/openrig/oros`` (``[tool.setuptools.data-files]``).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sysconfig
import tarfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request, Response

from openrig.core.errors import AppError
from openrig.rigapi.auth import CurrentRig

MTIME = 1_700_000_000  # fixed, so the digest depends on the content only
EXECUTABLE_DIRS = ("bin",)
EXECUTABLE_FILES = ("install.sh",)
SKIPPED = ("__pycache__",)
# What a rig runs (and install.sh with its unit); the image recipe and the like stay out.
INCLUDED = ("bin", "lib", "miners", "systemd", "VERSION", "install.sh", "README.md")

router = APIRouter()


class BundleUnavailable(AppError):
    status, code = 503, "bundle_unavailable"


@dataclass(frozen=True)
class Bundle:
    data: bytes
    sha256: str
    version: str

    @property
    def size(self) -> int:
        return len(self.data)

    def manifest(self) -> dict[str, Any]:
        return {"version": self.version, "sha256": self.sha256, "size": self.size}


def candidate_dirs() -> list[Path]:
    """Where the oros scripts may be: a source checkout first, then the install."""
    checkout = Path(__file__).resolve().parents[3] / "oros"
    installed = Path(sysconfig.get_path("data")) / "share" / "openrig" / "oros"
    return [checkout, installed]


def find_oros_dir() -> Path | None:
    for path in candidate_dirs():
        if (path / "bin" / "oros-agent").is_file():
            return path
    return None


def _files(root: Path) -> list[Path]:
    found = []
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if rel.parts[0] not in INCLUDED:
            continue
        if any(part.startswith(".") or part in SKIPPED for part in rel.parts):
            continue
        if path.is_file() and not path.is_symlink():
            found.append(rel)
    return sorted(found, key=lambda p: p.as_posix())


def _mode(rel: Path) -> int:
    executable = rel.parts[0] in EXECUTABLE_DIRS or rel.as_posix() in EXECUTABLE_FILES
    return 0o755 if executable else 0o644


def _dirs(files: list[Path]) -> list[Path]:
    dirs = {parent for rel in files for parent in rel.parents if parent != Path(".")}
    return sorted(dirs, key=lambda p: p.as_posix())


def _info(name: str, kind: bytes, mode: int, size: int = 0) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.mode, info.size, info.mtime = kind, mode, size, MTIME
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def build_bundle(root: Path) -> Bundle:
    """A deterministic tar.gz of ``root`` (entries relative to it: ``bin/oros-agent``…)."""
    files = _files(root)
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for rel in _dirs(files):
            tar.addfile(_info(rel.as_posix(), tarfile.DIRTYPE, 0o755))
        for rel in files:
            data = (root / rel).read_bytes()
            tar.addfile(
                _info(rel.as_posix(), tarfile.REGTYPE, _mode(rel), len(data)), io.BytesIO(data)
            )
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    data = packed.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    version_file = root / "VERSION"
    base = version_file.read_text().strip() if version_file.is_file() else "0"
    return Bundle(data=data, sha256=sha, version=f"{base}+{sha[:12]}")


@cache
def server_bundle() -> Bundle:
    """The bundle of this server's scripts, built on first use and kept."""
    root = find_oros_dir()
    if root is None:
        raise BundleUnavailable("the oros scripts are not installed on this server")
    return build_bundle(root)


@router.get("/bundle/manifest", summary="Version, SHA-256 and size of the agent bundle")
def bundle_manifest(rig: CurrentRig) -> dict[str, Any]:
    return server_bundle().manifest()


@router.get(
    "/bundle",
    summary="The oros agent scripts as tar.gz (check the manifest's SHA-256 before use)",
    response_class=Response,
    responses={200: {"content": {"application/gzip": {}}}, 304: {"description": "unchanged"}},
)
def bundle(rig: CurrentRig, request: Request) -> Response:
    found = server_bundle()
    etag = f'"{found.sha256}"'
    headers = {"ETag": etag, "X-Bundle-Version": found.version, "X-Bundle-SHA256": found.sha256}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(found.data, media_type="application/gzip", headers=headers)
