"""Creating and deleting group and rig layers shows in the farm's history, with who."""

from __future__ import annotations

from tests.support.actors import Actors
from tests.support.rigs import enroll_rig


def _entries(actors: Actors, **params: str) -> list[dict]:
    url = f"/api/v1/farms/{actors.farm_id}/history"
    return actors.viewer.get(url, params=params).json()["items"]


def test_group_and_rig_creation_and_deletion_are_recorded(actors: Actors) -> None:
    api = "/api/v1"
    group = actors.operator.post(f"{api}/farms/{actors.farm_id}/groups", json={"name": "g"}).json()
    rig = actors.operator.post(f"{api}/farms/{actors.farm_id}/rigs", json={"name": "r"}).json()
    assert actors.operator.delete(f"{api}/rigs/{rig['id']}").status_code == 204
    assert actors.operator.delete(f"{api}/groups/{group['id']}").status_code == 204
    rig_entries = _entries(actors, layer_kind="rig", layer_id=rig["id"])
    assert [e["action"] for e in rig_entries] == ["delete", "create"]
    assert rig_entries[1]["before"] is None and rig_entries[1]["after"]["config"] == {}
    assert rig_entries[0]["after"] is None and rig_entries[0]["layer_name"] == "r"
    group_entries = _entries(actors, layer_kind="group", layer_id=group["id"])
    assert [e["action"] for e in group_entries] == ["delete", "create"]
    # A deleted layer cannot be restored.
    url = f"{api}/farms/{actors.farm_id}/history/{group_entries[1]['id']}/restore"
    assert actors.operator.post(url).status_code == 409


def test_enrolled_rig_creation_is_recorded_without_a_user(
    actors: Actors, rig_http: object, enroll_key: str
) -> None:
    enrolled = enroll_rig(rig_http, enroll_key, hostname="auto")  # type: ignore[arg-type]
    [entry] = _entries(actors, layer_kind="rig", layer_id=enrolled.rig_id)
    assert entry["action"] == "create" and entry["layer_name"] == "auto"
