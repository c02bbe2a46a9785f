"""Telegram: a chat id and a bot token per channel, or the instance bot."""

from __future__ import annotations

import re
from typing import Any, ClassVar

from openrig.alerts.channels.base import Message, Transport, TransportError
from openrig.alerts.channels.telegram.api import call
from openrig.core.errors import Invalid
from openrig.settings import Settings

TOKEN = re.compile(r"^[0-9]{3,15}:[A-Za-z0-9_-]{30,60}$")
# A numeric chat id (groups and channels are negative) or a public @channelname.
CHAT_ID = re.compile(r"^(-?[0-9]{1,20}|@[A-Za-z][A-Za-z0-9_]{4,31})$")


class TelegramTransport(Transport):
    kind: ClassVar[str] = "telegram"
    secret_keys: ClassVar[tuple[str, ...]] = ("bot_token",)

    @classmethod
    def check_config(cls, settings: Settings, config: dict[str, Any]) -> dict[str, Any]:
        unknown = set(config) - {"chat_id", "bot_token"}
        if unknown:
            raise Invalid.at(f"config.{sorted(unknown)[0]}", "unknown setting")
        chat = config.get("chat_id")
        if isinstance(chat, int) and not isinstance(chat, bool):
            chat = str(chat)
        if not isinstance(chat, str) or not CHAT_ID.match(chat):
            raise Invalid.at("config.chat_id", "a numeric chat id or @channelname")
        token = config.get("bot_token")
        if token is not None and (not isinstance(token, str) or not TOKEN.match(token)):
            raise Invalid.at("config.bot_token", "not a bot token (123456:ABC…)")
        if token is None and not settings.telegram_bot_token:
            raise Invalid.at("config.bot_token", "required: this server has no instance bot")
        return {"chat_id": chat, "bot_token": token}

    def send(self, message: Message) -> None:
        token = self.config.get("bot_token") or self.settings.telegram_bot_token
        if not token:
            raise TransportError("no bot token (the instance bot was removed)", permanent=True)
        body = {
            "chat_id": self.config["chat_id"],
            "text": message.telegram,
            "parse_mode": "HTML",
            "disable_web_page_preview": True,
        }
        call(self.settings.telegram_api_base, token, "sendMessage", body)
