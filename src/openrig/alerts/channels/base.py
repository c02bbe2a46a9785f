"""What every channel transport is: one error type, one ``send``, config checked once.

Retries, back-off and disabling live in one place (``alerts.deliver``); a transport
only says whether a failure is worth retrying (``permanent=False``) or means the
destination is gone for good (``permanent=True``: the channel gets disabled).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, ClassVar

from openrig.settings import Settings


class TransportError(Exception):
    def __init__(
        self, message: str, *, permanent: bool, retry_after_s: float | None = None
    ) -> None:
        super().__init__(message)
        self.message = message[:500]
        self.permanent = permanent
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Message:
    """One rendered notification, in the forms the transports need."""

    id: str  # the notification id: the idempotency key of a webhook
    subject: str
    text: str
    html: str  # a whole HTML body (email)
    telegram: str  # Telegram's HTML subset
    payload: dict[str, Any]  # the structured form (webhook body)


class Transport(ABC):
    kind: ClassVar[str]
    # Config keys never shown back in full (API answers show a masked form).
    secret_keys: ClassVar[tuple[str, ...]] = ()

    def __init__(self, settings: Settings, config: dict[str, Any]) -> None:
        self.settings = settings
        self.config = config

    @classmethod
    @abstractmethod
    def check_config(cls, settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
        """The config, normalised; raises ``Invalid`` naming the bad field."""

    @abstractmethod
    def send(self, message: Message) -> None:
        """Deliver or raise ``TransportError``."""

    @classmethod
    def public_config(cls, config: dict[str, Any]) -> dict[str, Any]:
        shown = dict(config)
        for key in cls.secret_keys:
            if shown.get(key):
                shown[key] = mask(str(shown[key]))
        return shown


def mask(secret: str) -> str:
    return secret[:4] + "…" + secret[-2:] if len(secret) > 10 else "…"
