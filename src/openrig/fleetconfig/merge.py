"""Pure JSON helpers: RFC 7386 merge patch, leaf paths, canonical form, content version."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterator
from typing import Any

Json = Any
Doc = dict[str, Any]


def merge_patch(target: Json, patch: Json) -> Json:
    """RFC 7386: objects merge, ``null`` removes a key, anything else replaces.

    Neither argument is modified; the result shares no mutable parts with them.
    """
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result: Doc = copy.deepcopy(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = merge_patch(result.get(key), value)
    return result


def merge_all(layers: list[Doc]) -> Doc:
    doc: Doc = {}
    for layer in layers:
        doc = merge_patch(doc, layer)
    return doc


def strip_nulls(value: Json) -> Json:
    """What a merge patch leaves when applied to nothing: object members set to null go."""
    return merge_patch({}, value) if isinstance(value, dict) else value


def leaves(doc: Doc, prefix: str = "") -> Iterator[str]:
    """Dotted paths of the leaves: non-object values, lists and empty objects."""
    for key, value in doc.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            yield from leaves(value, path + ".")
        else:
            yield path


def has_path(doc: Doc, path: str) -> bool:
    node: Json = doc
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            return False
        node = node[part]
    return True


def _numbers_as_json(value: Json) -> Json:
    # JSON has one number type: 100 and 100.0 are the same value, so one spelling.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _numbers_as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_json(v) for v in value]
    return value


def canonical_json(value: Json) -> str:
    """One spelling per value: sorted keys, no spaces; NaN/Infinity are refused."""
    return json.dumps(
        _numbers_as_json(value), sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def content_version(doc: Doc) -> str:
    """16 hex digits of SHA-256 over the canonical document without its ``version``."""
    body = {k: v for k, v in doc.items() if k != "version"}
    return hashlib.sha256(canonical_json(body).encode()).hexdigest()[:16]
