"""ORM models, one module per domain; importing this package registers them all."""

from openrig.models.accounts import ApiToken, LoginAttempt, User, UserSession, UserToken
from openrig.models.commands import Activity, Command, EnrollAttempt
from openrig.models.config import ConfigHistory, FlightSheet, OcProfile
from openrig.models.farms import Farm, FarmMember, Group
from openrig.models.rigs import Rig, RigTag
from openrig.models.telemetry import RigRollup, RigSample, RigState, RollupCursor

__all__ = [
    "Activity",
    "Command",
    "EnrollAttempt",
    "RigRollup",
    "RigSample",
    "RigState",
    "RollupCursor",
    "ApiToken",
    "ConfigHistory",
    "Farm",
    "FarmMember",
    "FlightSheet",
    "Group",
    "LoginAttempt",
    "OcProfile",
    "Rig",
    "RigTag",
    "User",
    "UserSession",
    "UserToken",
]
