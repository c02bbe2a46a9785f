"""Helpers shared by the farms, groups and rigs tests: access expectations, snapshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from openrig.core.db import Database
from openrig.farms.enroll import new_key_id
from openrig.models import Farm, FarmMember, Group, Rig, RigTag
from tests.support.actors import Actor

RANK = {"viewer": 1, "operator": 2, "admin": 3, "owner": 4}
ACTOR_NAMES = ("owner", "admin", "operator", "viewer", "outsider", "anonymous")
BAD_STRINGS = [
    "x" * 100_000,
    "tab\tinside",
    "new\nline",
    "nul\x00byte",
    "",
    "   ",
]
FREE_TEXT_BAD = ["x" * 100_000, "nul\x00byte", "esc\x1b[2J", "del\x7f"]
SQLISH = "'; DROP TABLE rigs; --"


def expected_status(actor: str, need: str, ok: int) -> int:
    """What an actor gets from an endpoint needing role ``need`` in the shared farm."""
    if actor == "anonymous":
        return 401
    if actor == "outsider":
        return 404
    return ok if RANK[actor] >= RANK[need] else 403


@dataclass
class Call:
    """One endpoint call of an access matrix; ``{farm}`` etc. are filled from ids."""

    method: str
    path: str
    need: str
    ok: int = 200
    body: dict[str, Any] | None = None
    params: dict[str, str] = field(default_factory=dict)

    def send(self, actor: Actor, ids: dict[str, str]) -> Any:
        url = "/api/v1" + self.path.format(**ids)
        body = _fill(self.body, ids)
        params = {k: v.format(**ids) for k, v in self.params.items()}
        return actor.client.request(self.method, url, json=body, params=params)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def check_access(
    actor: Actor, actor_name: str, call: Call, ids: dict[str, str], database: Database
) -> None:
    """One cell of an access matrix: the right status, the error shape on refusals,
    and a refused call changes nothing."""
    before = snapshot(database)
    response = call.send(actor, ids)
    want = expected_status(actor_name, call.need, call.ok)
    assert response.status_code == want, response.text
    if want >= 400:
        assert set(response.json()["error"]) >= {"code", "message", "details"}
        assert snapshot(database) == before


def _fill(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, dict):
        return {k: _fill(v, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, ids) for v in value]
    return value


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The one error shape, with the expected status (and code when given)."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert {"code", "message", "details"} <= set(error), error
    assert isinstance(error["details"], list)
    if code is not None:
        assert error["code"] == code, error
    return dict(error)


def give_enroll_key(database: Database, farm_id: str) -> None:
    """Farms made by the ``actors`` fixture bypass the API, so they start without a key."""
    with database.transaction() as db:
        farm = db.get(Farm, farm_id)
        assert farm is not None
        farm.enroll_key_id = new_key_id()


def snapshot(database: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the farms/groups/rigs tables, to prove a refused call changed nothing."""
    tables: dict[str, Any] = {
        "farms": (Farm.id, Farm.name, Farm.enroll_key_id, Farm.updated_at),
        "farm_members": (FarmMember.farm_id, FarmMember.user_id, FarmMember.role),
        "groups": (Group.id, Group.farm_id, Group.name, Group.updated_at),
        "rigs": (Rig.id, Rig.farm_id, Rig.group_id, Rig.name, Rig.notes, Rig.token_hash),
        "rig_tags": (RigTag.rig_id, RigTag.tag),
    }
    with database.session(write=False) as db:
        return {
            name: sorted((tuple(row) for row in db.execute(select(*cols)).all()), key=repr)
            for name, cols in tables.items()
        }


def make_group(database: Database, farm_id: str, name: str) -> str:
    with database.transaction() as db:
        group = Group(farm_id=farm_id, name=name, config={})
        db.add(group)
        db.flush()
        return group.id


def make_rig(
    database: Database,
    farm_id: str,
    name: str,
    group_id: str | None = None,
    tags: tuple[str, ...] = (),
    **fields: Any,
) -> str:
    """A rig inserted directly (no config refresh): fast set-up for list and access tests."""
    with database.transaction() as db:
        rig = Rig(farm_id=farm_id, name=name, group_id=group_id, config={}, **fields)
        db.add(rig)
        db.flush()
        db.add_all(RigTag(rig_id=rig.id, tag=tag) for tag in tags)
        return rig.id


def bad_bodies(
    valid: dict[str, Any], sql_ok: tuple[str, ...] = (), free_text: tuple[str, ...] = ()
) -> list[tuple[str, Any]]:
    """Invalid variants of a valid JSON body: wrong types, unknown fields, huge and
    control-character strings, numbers where text belongs, SQL-looking text in fields
    that are not free text (fields in ``sql_ok`` accept it as plain text). Fields in
    ``free_text`` (notes) accept blanks, tabs and newlines, so only huge text and
    other control characters are bad there."""
    cases: list[tuple[str, Any]] = [
        ("empty", {}),
        ("array", [valid]),
        ("string", "name"),
        ("null", None),
        ("unknown field", {**valid, "is_admin": True}),
    ]
    for key in valid:
        cases += [
            (f"{key}=int", {**valid, key: 123}),
            (f"{key}=negative", {**valid, key: -1}),
            (f"{key}=huge", {**valid, key: 10**40}),
            (f"{key}=list", {**valid, key: ["a"]}),
            (f"{key}=object", {**valid, key: {"$ne": 1}}),
            (f"{key}=bool", {**valid, key: True}),
        ]
        if isinstance(valid[key], str):
            bad = FREE_TEXT_BAD if key in free_text else BAD_STRINGS
            cases += [(f"{key}={s[:12]!r}", {**valid, key: s}) for s in bad]
            if key not in sql_ok:
                cases.append((f"{key}=sql", {**valid, key: SQLISH}))
    return cases


def table_counts(database: Database) -> dict[str, int]:
    """Row counts, proving SQL-looking input did not drop or empty anything."""
    return {name: len(rows) for name, rows in snapshot(database).items()}
