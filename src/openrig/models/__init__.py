"""ORM models, one module per domain; importing this package registers them all."""

from openrig.models.accounts import ApiToken, LoginAttempt, User, UserSession, UserToken
from openrig.models.alerts import (
    Alert,
    AlertAttempt,
    AlertBaseline,
    AlertChannel,
    AlertCursor,
    AlertNotification,
    AlertRuleLayer,
    AlertSilence,
    AlertTransition,
    TelegramLink,
)
from openrig.models.commands import Activity, Command, EnrollAttempt
from openrig.models.config import ConfigHistory, FlightSheet, OcProfile
from openrig.models.farms import Farm, FarmMember, Group
from openrig.models.rigs import Rig, RigTag
from openrig.models.telemetry import RigRollup, RigSample, RigState, RollupCursor

__all__ = [
    "Activity",
    "Alert",
    "AlertAttempt",
    "AlertBaseline",
    "AlertChannel",
    "AlertCursor",
    "AlertNotification",
    "AlertRuleLayer",
    "AlertSilence",
    "AlertTransition",
    "ApiToken",
    "Command",
    "ConfigHistory",
    "EnrollAttempt",
    "Farm",
    "FarmMember",
    "FlightSheet",
    "Group",
    "LoginAttempt",
    "OcProfile",
    "Rig",
    "RigRollup",
    "RigSample",
    "RigState",
    "RigTag",
    "RollupCursor",
    "TelegramLink",
    "User",
    "UserSession",
    "UserToken",
]
