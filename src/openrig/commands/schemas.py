"""Command requests and answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, model_validator

from openrig.core.schemas import RequestModel, ResponseModel
from openrig.fleetconfig.schemas import BulkSelector

CommandType = Literal[
    "reboot",
    "shutdown",
    "restart_miner",
    "stop_miner",
    "start_miner",
    "apply_oc",
    "upgrade_agent",
    "exec",
]
CommandStatus = Literal[
    "queued", "delivered", "started", "succeeded", "failed", "expired", "cancelled"
]
# exec runs through the rig's shell by design (it is the "run this" escape hatch), so
# it is admin-only, needs the farm's exec_allowed, and is logged; it may hold anything
# printable but no NUL or other control characters except tab.
ExecLine = Annotated[
    str, StringConstraints(min_length=1, max_length=4096, pattern=r"^[^\x00-\x08\x0a-\x1f\x7f]+$")
]


class ExecArgs(RequestModel):
    command: ExecLine


class CommandCreate(RequestModel):
    type: CommandType
    args: dict[str, Any] = Field(default_factory=dict)
    ttl_s: int = Field(default=600, ge=10, le=86_400)

    @model_validator(mode="after")
    def _args_fit_type(self) -> CommandCreate:
        if self.type == "exec":
            self.args = ExecArgs.model_validate(self.args).model_dump()
        elif self.args:
            raise ValueError(f"{self.type} takes no args")
        return self


class BulkCommandCreate(CommandCreate):
    selector: BulkSelector  # the same selectors as config bulk changes


class CommandPublic(ResponseModel):
    id: str
    rig_id: str
    farm_id: str
    type: str
    args: dict[str, Any]
    status: CommandStatus
    created_by: str | None
    created_at: datetime
    expires_at: datetime
    delivered_at: datetime | None
    deliveries: int
    started_at: datetime | None
    finished_at: datetime | None
    exit_code: int | None
    output: str


class BulkCommandResult(ResponseModel):
    count: int
    commands: list[CommandPublic]
