"""Settings from ``OPENRIG_*`` environment variables, validated at start-up.

Every secret may also be given as ``OPENRIG_<NAME>_FILE`` (a path whose content is
the value), so secrets need not sit in the environment of a process listing.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

_FILE_SECRETS = ("SECRET_KEY", "SMTP_PASSWORD", "DATABASE_URL", "TELEGRAM_BOT_TOKEN")


class SettingsError(Exception):
    """An invalid setting; the message names it."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="ignore")

    data_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    public_url: str = "http://127.0.0.1:8000"
    signup_open: bool = True
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)

    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_from: str = "openrig <openrig@localhost>"
    smtp_timeout_s: float = Field(default=10.0, gt=0, le=120)

    max_body_bytes: int = Field(default=1_048_576, ge=1024, le=64 * 1_048_576)
    session_idle_minutes: int = Field(default=60 * 24 * 3, ge=5)
    session_absolute_days: int = Field(default=30, ge=1, le=365)
    login_max_failures: int = Field(default=10, ge=1, le=1000)
    login_window_minutes: int = Field(default=15, ge=1, le=1440)

    # Background work (command expiry, rollups, retention, alerts) runs inside
    # `openrig serve` unless turned off here and run by `openrig worker` instead.
    worker_in_serve: bool = True
    # FastAPI's OpenTelemetry hooks: off unless asked for (checking for a configured
    # provider on every request cost 5 % of the report path).
    otel: bool = False
    retention_raw_hours: int = Field(default=48, ge=1, le=24 * 90)
    retention_5m_days: int = Field(default=30, ge=1, le=3650)
    retention_1h_days: int = Field(default=365, ge=1, le=3650)
    retention_activity_days: int = Field(default=90, ge=1, le=3650)

    # Alerts (docs/alerts.md). The instance bot is optional: channels may bring their own.
    telegram_api_base: str = "https://api.telegram.org"
    telegram_bot_token: str = ""
    # Webhooks to private, loopback and link-local addresses are refused unless true.
    webhook_allow_private: bool = False
    # Transitions of one farm within this window go out as one message.
    alert_group_wait_s: float = Field(default=30.0, ge=0, le=3600)

    @field_validator("telegram_api_base")
    @classmethod
    def _telegram_api_base(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("must start with http:// or https://")
        return value.rstrip("/")

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if value and not value.startswith(("sqlite", "postgresql")):
            raise ValueError("must be a sqlite:/// or postgresql+psycopg:// URL")
        if value.startswith(("postgresql://", "postgres://")):
            return "postgresql+psycopg://" + value.split("://", 1)[1]
        return value

    @field_validator("secret_key")
    @classmethod
    def _secret_key(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("must be at least 32 characters")
        return value

    @model_validator(mode="after")
    def _defaults_from_data_dir(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{(self.data_dir / 'openrig.sqlite3').resolve()}"
        return self

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def smtp_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _read_file_secrets(environ: dict[str, str]) -> dict[str, str]:
    """Fold ``OPENRIG_X_FILE`` into ``OPENRIG_X`` (the direct variable wins)."""
    merged = dict(environ)
    for name in _FILE_SECRETS:
        path = environ.get(f"OPENRIG_{name}_FILE")
        if path and f"OPENRIG_{name}" not in environ:
            try:
                merged[f"OPENRIG_{name}"] = Path(path).read_text().strip()
            except OSError as exc:
                raise SettingsError(f"OPENRIG_{name}_FILE: cannot read {path}: {exc}") from exc
    return merged


def _ensure_secret_key(settings: Settings) -> None:
    """Generate a secret key on first run and keep it in the data dir."""
    if settings.secret_key:
        return
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    key_file = settings.data_dir / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    settings.secret_key = key_file.read_text().strip()


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    """Read and validate settings; raise SettingsError naming the bad variable."""
    env = _read_file_secrets(dict(os.environ if environ is None else environ))
    values: dict[str, object] = {
        k[len("OPENRIG_") :].lower(): v for k, v in env.items() if k.startswith("OPENRIG_")
    }
    values.update(overrides)
    try:
        settings = Settings.model_validate(values)
    except ValidationError as exc:
        problems = "; ".join(
            f"OPENRIG_{'_'.join(str(p) for p in err['loc']).upper()}: {err['msg']}"
            for err in exc.errors()
        )
        raise SettingsError(f"invalid setting: {problems}") from exc
    _ensure_secret_key(settings)
    return settings
