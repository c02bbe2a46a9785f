"""The effective config as a rig receives it."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from openrig.fleetconfig.service import effective_config
from openrig.models import Rig


def effective_for_rig(db: Session, rig: Rig) -> dict[str, Any]:
    doc, _sources = effective_config(db, rig)
    return doc
