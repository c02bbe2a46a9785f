"""The console's files: served at / with the CSP and hardening headers, API answers
untouched, vendored files matching VERSIONS.txt, and no code that writes HTML."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from fastapi.testclient import TestClient

from openrig.console.router import CONTENT_SECURITY_POLICY, STATIC_DIR

JS_DIR = STATIC_DIR / "js"
VENDOR = STATIC_DIR / "vendor"


def test_index_is_served_with_csp_and_hardening_headers(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    assert client.head("/").status_code == 200


def test_static_files_are_served_with_the_same_headers(client: TestClient) -> None:
    for path, kind in (
        ("/console/js/main.js", "javascript"),
        ("/console/css/console.css", "text/css"),
        ("/console/vendor/preact.module.js", "javascript"),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert kind in response.headers["content-type"]
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
    missing = client.get("/console/js/nope.js")
    assert missing.status_code == 404
    assert "content-security-policy" in missing.headers


def test_api_answers_keep_their_own_headers(client: TestClient) -> None:
    response = client.get("/api/v1/miners")
    assert response.status_code == 200
    assert "content-security-policy" not in response.headers
    assert client.get("/healthz").status_code == 200


def test_index_has_no_inline_script_or_style() -> None:
    index = (STATIC_DIR / "index.html").read_text()
    for tag in re.findall(r"<script\b[^>]*>", index):
        assert "src=" in tag, tag
    assert re.search(r"<script\b[^>]*>\s*[^<\s]", index) is None  # nothing between the tags
    assert "<style" not in index and "style=" not in index
    assert re.search(r"\son[a-z]+=", index) is None
    assert "http://" not in index and "https://" not in index  # nothing from a CDN


def _console_sources() -> list[Path]:
    return sorted(JS_DIR.rglob("*.js"))


def test_console_code_never_writes_html_or_evaluates_strings() -> None:
    forbidden = re.compile(
        r"innerHTML|outerHTML|insertAdjacentHTML|dangerouslySetInnerHTML|document\.write"
        r"|\beval\(|new Function\(|setAttribute\(\s*['\"]on|\bstyle=\$\{|javascript:"
    )
    offenders = [
        f"{path.relative_to(STATIC_DIR)}:{n}: {line.strip()}"
        for path in _console_sources()
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if forbidden.search(line)
    ]
    assert offenders == []


def test_console_modules_stay_small_and_use_no_globals() -> None:
    for path in _console_sources():
        text = path.read_text()
        assert len(text.splitlines()) <= 400, f"{path.name} is over 400 lines"
        assert re.search(r"\bwindow\.[a-zA-Z_]+\s*=[^=]", text) is None, path.name
        assert "globalThis" not in text, path.name


def test_vendored_files_match_versions_txt() -> None:
    lines = (VENDOR / "VERSIONS.txt").read_text().splitlines()
    packages = {line.split()[0]: line.split()[1] for line in lines[2:5]}
    assert set(packages) == {"preact", "htm", "uplot"}
    hashes = [line.split() for line in lines if re.match(r"^[0-9a-f]{64}  ", line)]
    assert len(hashes) >= 5
    for digest, name in hashes:
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    # The hooks import Preact by relative path, so no import map (an inline script) is needed.
    hooks = (VENDOR / "preact-hooks.module.js").read_text()
    assert 'from"./preact.module.js"' in hooks and 'from"preact"' not in hooks


def test_every_console_file_is_package_data() -> None:
    import tomllib

    patterns = tomllib.loads(Path("pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["openrig"]
    package_root = STATIC_DIR.parent.parent
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            relative = path.relative_to(package_root)
            assert any(relative.match(p) for p in patterns), f"{relative} is not package data"
