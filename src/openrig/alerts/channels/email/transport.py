"""Email through the server's SMTP settings, plain text and HTML in one message."""

from __future__ import annotations

from typing import Any, ClassVar

from email_validator import EmailNotValidError, validate_email

from openrig.alerts.channels.base import Message, Transport, TransportError
from openrig.core.errors import Invalid
from openrig.mail.sender import MailError, send_mail
from openrig.settings import Settings

MAX_RECIPIENTS = 20


class EmailTransport(Transport):
    kind: ClassVar[str] = "email"

    @classmethod
    def check_config(cls, settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
        if set(config) - {"to"}:
            raise Invalid.at("config", "email takes only 'to' (a list of addresses)")
        to = config.get("to")
        if not isinstance(to, list) or not 1 <= len(to) <= MAX_RECIPIENTS:
            raise Invalid.at("config.to", f"give 1 to {MAX_RECIPIENTS} email addresses")
        if not settings.smtp_enabled:
            raise Invalid.at("kind", "this server has no SMTP settings (OPENRIG_SMTP_HOST)")
        return {"to": [_address(i, value) for i, value in enumerate(to)]}

    def send(self, message: Message) -> None:
        if not self.settings.smtp_enabled:
            raise TransportError("this server has no SMTP settings", permanent=True)
        to = ", ".join(self.config["to"])
        try:
            send_mail(self.settings, to, message.subject, message.text, message.html)
        except MailError as exc:
            raise TransportError(str(exc), permanent=exc.permanent) from exc


def _address(index: int, value: Any) -> str:
    if not isinstance(value, str) or len(value) > 254:
        raise Invalid.at(f"config.to.{index}", "not an email address")
    try:
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise Invalid.at(f"config.to.{index}", f"not an email address: {exc}") from None
