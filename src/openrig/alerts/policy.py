"""A channel's policy: which severities, resolve notices, reminders, quiet hours."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AfterValidator, Field, field_validator

from openrig.core.schemas import RequestModel

Severity = Literal["critical", "warning", "info"]
_HHMM = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _hhmm(value: str) -> str:
    if not _HHMM.match(value):
        raise ValueError("a time of day as HH:MM (00:00 to 23:59)")
    return value


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError("an IANA time zone such as Europe/Berlin or UTC") from None
    return value


class QuietHours(RequestModel):
    start: Annotated[str, AfterValidator(_hhmm)]
    end: Annotated[str, AfterValidator(_hhmm)]
    timezone: Annotated[str, Field(max_length=64), AfterValidator(_zone)] = "UTC"
    # Critical alerts (a rig offline, a fan dead) still go out during quiet hours.
    allow_critical: bool = True


def _default_severities() -> list[Severity]:
    return ["critical", "warning"]


class ChannelPolicy(RequestModel):
    severities: list[Severity] = Field(
        default_factory=_default_severities, min_length=1, max_length=3
    )
    notify_resolved: bool = True
    # 0 turns reminders off; otherwise at least every 5 minutes, at most daily.
    remind_every_s: int = Field(default=4 * 3600, ge=0, le=7 * 86400)
    quiet_hours: QuietHours | None = None

    @field_validator("remind_every_s")
    @classmethod
    def _remind(cls, value: int) -> int:
        if 0 < value < 300:
            raise ValueError("0 (off) or at least 300 seconds")
        return value


def _clock(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def quiet_until(policy: ChannelPolicy, severity: str, now: datetime) -> datetime | None:
    """When quiet hours end, if ``now`` is inside them and the severity must wait."""
    quiet = policy.quiet_hours
    if quiet is None or (severity == "critical" and quiet.allow_critical):
        return None
    zone = ZoneInfo(quiet.timezone)
    local = now.astimezone(zone)
    start, end = _clock(quiet.start), _clock(quiet.end)
    moment = local.time().replace(second=0, microsecond=0, tzinfo=None)
    inside = start <= moment < end if start <= end else (moment >= start or moment < end)
    if not inside or start == end:
        return None
    ends = datetime.combine(local.date(), end, tzinfo=zone)
    if ends <= local:
        ends = datetime.combine(local.date() + timedelta(days=1), end, tzinfo=zone)
    return ends.astimezone(now.tzinfo)
