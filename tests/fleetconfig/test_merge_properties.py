"""Properties of the pure merge and effective-document functions (no database)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from openrig.fleetconfig.effective import BUILTIN, Layer, RigInfo, compute, sources
from openrig.fleetconfig.merge import content_version, has_path, leaves, merge_all, merge_patch

KEYS = st.sampled_from(["a", "b", "c", "miner", "pools"])
SCALARS = (
    st.booleans()
    | st.integers(-3, 3)
    | st.floats(-2, 2, allow_nan=False, allow_infinity=False, width=16)
    | st.text(alphabet="x{}", max_size=3)
)
# Values as a patch may hold them (nulls) and as a stored layer does (none).
PATCH_VALUES = st.recursive(
    st.none() | SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)
LAYER_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS, inner, max_size=3),
    max_leaves=12,
)
PATCHES = st.dictionaries(KEYS, PATCH_VALUES, max_size=4)
LAYERS = st.dictionaries(KEYS, LAYER_VALUES, max_size=4)
RIG = RigInfo(id="r", name="rig-1", farm_id="f", group_id=None)


def typed(value: Any) -> Any:
    """JSON equality: true is not 1, but 1 and 1.0 are one number."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", float(value))
    if isinstance(value, list):
        return ("list", tuple(typed(v) for v in value))
    return ("object", tuple(sorted((k, typed(v)) for k, v in value.items())))


def get(doc: Any, path: str) -> Any:
    for part in path.split("."):
        doc = doc[part]
    return doc


@given(PATCHES, PATCHES)
def test_later_patch_wins_for_every_value_it_sets(
    target: dict[str, Any], patch: dict[str, Any]
) -> None:
    merged = merge_patch(target, patch)
    stored = merge_patch({}, patch)  # the patch without its nulls
    for path in leaves(stored):
        if not isinstance(get(stored, path), dict):  # an empty object merges, not replaces
            assert typed(get(merged, path)) == typed(get(stored, path))


@given(PATCHES, PATCHES)
def test_null_removes_and_untouched_keys_stay(
    target: dict[str, Any], patch: dict[str, Any]
) -> None:
    merged = merge_patch(target, patch)
    for key, value in patch.items():
        if value is None:
            assert key not in merged
    for key in set(target) - set(patch):
        assert typed(merged[key]) == typed(target[key])


@given(st.lists(SCALARS, max_size=4), st.lists(SCALARS, max_size=4))
def test_lists_replace_never_merge(old: list[Any], new: list[Any]) -> None:
    assert merge_patch({"pools": old, "a": 1}, {"pools": new}) == {"pools": new, "a": 1}


@given(PATCHES, PATCHES)
def test_applying_a_patch_twice_is_applying_it_once(
    target: dict[str, Any], patch: dict[str, Any]
) -> None:
    once = merge_patch(target, patch)
    assert typed(merge_patch(once, patch)) == typed(once)


@given(PATCHES, PATCHES)
def test_merge_does_not_modify_its_arguments(target: dict[str, Any], patch: dict[str, Any]) -> None:
    before = (typed(target), typed(patch))
    merge_patch(target, patch)
    assert (typed(target), typed(patch)) == before


@given(LAYERS, LAYERS)
def test_equal_documents_have_equal_versions(one: dict[str, Any], two: dict[str, Any]) -> None:
    assert (typed(one) == typed(two)) == (content_version(one) == content_version(two))


@given(st.lists(LAYERS, min_size=1, max_size=4), st.lists(LAYERS, min_size=1, max_size=4))
@settings(max_examples=200)
def test_version_changes_exactly_when_the_effective_document_changes(
    first: list[dict[str, Any]], second: list[dict[str, Any]]
) -> None:
    a = compute([Layer("farm", layer) for layer in first], RIG)
    b = compute([Layer("farm", layer) for layer in second], RIG)
    body_a = {k: v for k, v in a.items() if k != "version"}
    body_b = {k: v for k, v in b.items() if k != "version"}
    assert (typed(body_a) == typed(body_b)) == (a["version"] == b["version"])


@given(st.lists(LAYERS, max_size=4))
def test_every_source_holds_the_value_it_is_credited_with(stack: list[dict[str, Any]]) -> None:
    layers = [Layer("builtin", BUILTIN)] + [Layer(f"group:{i}", d) for i, d in enumerate(stack)]
    merged = merge_all([layer.doc for layer in layers])
    found = sources(layers, {**merged, "rig": {}, "version": ""})
    by_name = {layer.source: layer.doc for layer in layers}
    for path, source in found.items():
        assert has_path(by_name[source], path)
        assert typed(get(by_name[source], path)) == typed(get(merged, path))
    assert set(found) == set(leaves(merged))


def test_rfc7386_examples() -> None:
    cases = [
        ({"a": "b"}, {"a": "c"}, {"a": "c"}),
        ({"a": "b"}, {"b": "c"}, {"a": "b", "b": "c"}),
        ({"a": "b"}, {"a": None}, {}),
        ({"a": "b", "b": "c"}, {"a": None}, {"b": "c"}),
        ({"a": ["b"]}, {"a": "c"}, {"a": "c"}),
        ({"a": "c"}, {"a": ["b"]}, {"a": ["b"]}),
        ({"a": {"b": "c"}}, {"a": {"b": "d", "c": None}}, {"a": {"b": "d"}}),
        ({"a": [{"b": "c"}]}, {"a": [1]}, {"a": [1]}),
        (["a", "b"], ["c", "d"], ["c", "d"]),
        ({"a": "b"}, ["c"], ["c"]),
        ({"a": "foo"}, None, None),
        ({"a": "foo"}, "bar", "bar"),
        ({"e": None}, {"a": 1}, {"e": None, "a": 1}),
        ([1, 2], {"a": "b", "c": None}, {"a": "b"}),
        ({}, {"a": {"bb": {"ccc": None}}}, {"a": {"bb": {}}}),
    ]
    for target, patch, expected in cases:
        assert merge_patch(target, patch) == expected


def test_rig_placeholder_and_fan_tidying() -> None:
    layers = [
        Layer("builtin", BUILTIN),
        Layer(
            "flight_sheet:s",
            {
                "miner": {
                    "name": "trex",
                    "pools": [
                        {"url": "stratum+tcp://h:1", "user": "W.{rig}", "pass": "{rig}{rig}"}
                    ],
                    "extra_args": ["-w", "{rig}"],
                }
            },
        ),
        Layer("oc_profile:p", {"oc": {"nvidia": {"fan": {"mode": "fixed", "pct": 70}}}}),
        Layer("rig", {"oc": {"nvidia": {"fan": {"mode": "target", "target_temp_c": 60}}}}),
    ]
    doc = compute(layers, RIG)
    assert doc["miner"]["pools"][0] == {
        "url": "stratum+tcp://h:1",
        "user": "W.rig-1",
        "pass": "rig-1rig-1",
    }
    assert doc["miner"]["extra_args"] == ["-w", "rig-1"]
    assert doc["oc"]["nvidia"]["fan"] == {"mode": "target", "target_temp_c": 60}
    assert "oc.nvidia.fan.pct" not in sources(layers, doc)
    # The stored layers are untouched by substitution.
    assert layers[1].doc["miner"]["pools"][0]["user"] == "W.{rig}"
