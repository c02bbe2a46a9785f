"""Send one email. Without ``OPENRIG_SMTP_HOST`` the message is written to the log
(so password-reset links still reach an operator who reads the server log)."""

from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from openrig.settings import Settings

log = logging.getLogger("openrig.mail")


class MailError(Exception):
    """Sending failed; ``permanent`` says whether a retry could help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


def build_message(
    settings: Settings, to: str, subject: str, text: str, html: str | None = None
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(text)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    return msg


def _connect(settings: Settings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.smtp_security == "tls":
        return smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=settings.smtp_timeout_s,
            context=context,
        )
    client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s)
    if settings.smtp_security == "starttls":
        client.starttls(context=context)
    return client


def send_mail(
    settings: Settings, to: str, subject: str, text: str, html: str | None = None
) -> None:
    message = build_message(settings, to, subject, text, html)
    if not settings.smtp_enabled:
        log.warning("SMTP not configured; mail to %s not sent. Subject: %s\n%s", to, subject, text)
        return
    try:
        with _connect(settings) as client:
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        raise MailError(f"recipient refused: {exc}", permanent=True) from exc
    except smtplib.SMTPAuthenticationError as exc:
        raise MailError(f"SMTP authentication failed: {exc}", permanent=True) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"SMTP error: {exc}", permanent=False) from exc
