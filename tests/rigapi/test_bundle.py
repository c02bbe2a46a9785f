"""The oros agent bundle: served to rigs only, deterministic, verifiable."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from openrig.rigapi import bundle
from tests.support.rigs import RigClient

REPO_OROS = Path(__file__).resolve().parents[2] / "oros"


def members(data: bytes) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {m.name: m for m in tar.getmembers()}


def test_manifest_and_bundle_agree(rig: RigClient) -> None:
    manifest = rig.get("/bundle/manifest")
    assert manifest.status_code == 200, manifest.text
    body = manifest.json()
    assert set(body) == {"version", "sha256", "size"}
    got = rig.get("/bundle")
    assert got.status_code == 200
    assert got.headers["content-type"] == "application/gzip"
    assert hashlib.sha256(got.content).hexdigest() == body["sha256"]
    assert len(got.content) == body["size"]
    assert got.headers["x-bundle-sha256"] == body["sha256"]
    assert got.headers["x-bundle-version"] == body["version"]
    assert got.headers["etag"] == f'"{body["sha256"]}"'
    version = (REPO_OROS / "VERSION").read_text().strip()
    assert body["version"] == f"{version}+{body['sha256'][:12]}"


def test_unchanged_bundle_answers_304(rig: RigClient) -> None:
    etag = rig.get("/bundle").headers["etag"]
    again = rig.get("/bundle", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""


@pytest.mark.parametrize("path", ["/bundle", "/bundle/manifest"])
def test_bundle_needs_a_rig_token(client: TestClient, rig: RigClient, path: str) -> None:
    assert client.get(f"/api/rig/v1{path}").status_code == 401
    wrong = {"Authorization": "Bearer orr_not-a-real-token"}
    answer = client.get(f"/api/rig/v1{path}", headers=wrong)
    assert answer.status_code == 401
    assert answer.json()["error"]["code"] == "invalid_rig_token"


def test_bundle_holds_the_scripts_with_normalised_metadata(rig: RigClient) -> None:
    entries = members(rig.get("/bundle").content)
    agent = entries["bin/oros-agent"]
    assert agent.isfile() and agent.mode == 0o755
    assert entries["bin/oros-boot"].mode == 0o755
    assert entries["lib/conf.sh"].mode == 0o644
    assert entries["miners/trex.sh"].isfile()
    assert entries["lib"].isdir()
    assert {name.split("/")[0] for name in entries} <= set(bundle.INCLUDED)  # no image/…
    for info in entries.values():
        assert (info.uid, info.gid, info.uname, info.gname) == (0, 0, "", "")
        assert info.mtime == bundle.MTIME
        assert not info.name.startswith(("/", "..")) and "/." not in info.name
        assert info.isfile() or info.isdir()


def test_same_files_same_digest_whatever_the_metadata(tmp_path: Path) -> None:
    copy = tmp_path / "oros"
    shutil.copytree(REPO_OROS, copy)
    for path in copy.rglob("*"):
        if path.is_file():
            os.utime(path, (1, 1))
            path.chmod(0o600)
    (copy / ".hidden").write_text("editor swap file")
    (copy / "lib" / "__pycache__").mkdir()
    first = bundle.build_bundle(REPO_OROS)
    assert bundle.build_bundle(copy).sha256 == first.sha256
    assert bundle.build_bundle(REPO_OROS).data == first.data
    (copy / "lib" / "conf.sh").write_text("# changed\n")
    assert bundle.build_bundle(copy).sha256 != first.sha256


def test_dirs_first_and_only_what_a_rig_runs(tmp_path: Path) -> None:
    root = tmp_path / "o"
    (root / "bin").mkdir(parents=True)
    (root / "bin" / "oros-agent").write_text("#!/usr/bin/env bash\n")
    (root / "README.md").write_text("a")
    (root / "VERSION").write_text("9.9\n")
    (root / "image").mkdir()  # not something a rig runs: left out
    (root / "image" / "build.sh").write_text("#!/bin/sh\n")
    built = bundle.build_bundle(root)
    assert list(members(built.data)) == ["bin", "README.md", "VERSION", "bin/oros-agent"]
    assert built.version.startswith("9.9+")


def test_without_scripts_the_bundle_is_unavailable(
    rig: RigClient, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(bundle, "candidate_dirs", lambda: [tmp_path / "nothing"])
    bundle.server_bundle.cache_clear()
    try:
        answer = rig.get("/bundle/manifest")
        assert answer.status_code == 503
        assert answer.json()["error"]["code"] == "bundle_unavailable"
    finally:
        bundle.server_bundle.cache_clear()
