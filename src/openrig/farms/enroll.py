"""Farm enrollment keys: derived from the instance secret, never stored.

``Farm.enroll_key_id`` holds a random id; the key handed out is
``ore_<id>_<HMAC(secret, "enroll", farm id, id)[:40]>``. Rotating draws a new id (the
old key stops matching); revoking sets the id to null. A database dump alone does not
reveal a usable key, and changing the instance secret invalidates every key.
"""

from __future__ import annotations

import re
import secrets

from sqlalchemy.orm import Session

from openrig.core.security import constant_time_equals, derive
from openrig.farms import repository
from openrig.models import Farm
from openrig.settings import Settings

PREFIX = "ore"
_MAC_LEN = 40  # 160 bits of HMAC-SHA256, hex
_KEY_RE = re.compile(r"^ore_([0-9a-f]{32})_([0-9a-f]{40})$")


def new_key_id() -> str:
    return secrets.token_hex(16)


def _mac(settings: Settings, farm_id: str, key_id: str) -> str:
    return derive(settings.secret_key, "enroll", farm_id, key_id)[:_MAC_LEN]


def enroll_key(settings: Settings, farm: Farm) -> str | None:
    """The farm's current key, or None when revoked."""
    if farm.enroll_key_id is None:
        return None
    return f"{PREFIX}_{farm.enroll_key_id}_{_mac(settings, farm.id, farm.enroll_key_id)}"


def rotate(settings: Settings, farm: Farm) -> str:
    farm.enroll_key_id = new_key_id()
    key = enroll_key(settings, farm)
    assert key is not None
    return key


def revoke(farm: Farm) -> None:
    farm.enroll_key_id = None


def verify_enroll_key(db: Session, settings: Settings, key: str) -> Farm | None:
    """The farm whose current enrollment key is ``key``, else None.

    Looked up by the embedded id, then the HMAC part is compared in constant time.
    """
    match = _KEY_RE.fullmatch(key) if len(key) < 100 else None
    if match is None:
        return None
    key_id, mac = match.groups()
    farm = repository.farm_by_enroll_key_id(db, key_id)
    if farm is None:
        return None
    if not constant_time_equals(mac, _mac(settings, farm.id, key_id)):
        return None
    return farm
