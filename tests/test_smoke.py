"""The app starts on each database, answers health probes and the one error shape."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support.actors import Actors


def test_healthz_and_readyz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json() == {"status": "ready"}


def test_unknown_route_has_error_shape(client: TestClient) -> None:
    response = client.get("/api/v1/nope")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_oversized_body_is_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/auth/login",
        content=b"x" * (2 * 1024 * 1024),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_actor_sessions_authenticate(actors: Actors) -> None:
    # /auth/me is provided by the accounts domain.
    for name in ("owner", "viewer", "outsider"):
        response = getattr(actors, name).get("/api/v1/auth/me")
        assert response.status_code == 200, response.text
        assert response.json()["user"]["email"] == getattr(actors, name).email
    assert actors.anonymous.get("/api/v1/auth/me").status_code == 401


def test_oversized_chunked_body_is_413(client: TestClient) -> None:
    """No Content-Length (chunked): the limit counts the bytes as they arrive."""

    def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 65536

    response = client.post(
        "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
