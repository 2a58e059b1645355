"""Channel adapters: how a queued message actually leaves the portal.

Every outside messaging service sits behind the small :class:`Sender`
protocol, so configuration (``GATEWAY_SMS_ADAPTER``, ``GATEWAY_EMAIL_ADAPTER``)
swaps the sandbox for a real provider without a code change. The sandboxes
need no network: for them the persisted outbox *is* the delivery, and
developers read the messages with ``gateway outbox`` or on ``/dev/outbox``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..settings import HOST_SETTINGS, ConfigError
from .base import DeliveryError, Sender, require_email_address, require_saudi_mobile
from .http_sms import HttpSmsSender
from .models import EMAIL, SMS, OutboxMessage
from .smtp_email import SmtpEmailSender


class OutboxSmsSender:
    """The SMS sandbox: the stored message is the delivery, so it always succeeds."""

    keeps_messages = True
    """The outbox is where developers read the message, so its text is kept."""
    delivers_inline = True
    """Nothing leaves the machine, so it cannot stall: delivered in the request, not by the worker."""

    def send(self, message: OutboxMessage) -> str | None:
        require_saudi_mobile(message.recipient)
        return None


class OutboxEmailSender:
    """The email sandbox: the stored message is the delivery, so it always succeeds."""

    keeps_messages = True
    delivers_inline = True

    def send(self, message: OutboxMessage) -> str | None:
        require_email_address(message.recipient)
        return None


_DEFAULTS = {setting.name: setting.default for setting in HOST_SETTINGS}


def config_value(config: Mapping[str, Any], name: str) -> Any:
    """``GATEWAY_<name>`` from a Flask config (or any mapping), else the declared default."""
    return config.get(f"GATEWAY_{name}", _DEFAULTS[name])


def senders_from_config(config: Mapping[str, Any]) -> dict[str, Sender]:
    """The sender of each channel, as ``GATEWAY_SMS_ADAPTER`` / ``GATEWAY_EMAIL_ADAPTER`` choose.

    Raises :class:`ConfigError` naming every missing key, so a deployment that
    asks for a real provider without saying where it is stops at start-up
    instead of failing every message later.
    """
    problems: list[str] = []
    senders: dict[str, Sender] = {}

    sms_adapter = config_value(config, "SMS_ADAPTER")
    if sms_adapter == "outbox":
        senders[SMS] = OutboxSmsSender()
    elif sms_adapter == "http":
        url = config_value(config, "SMS_HTTP_URL")
        if not url:
            problems.append("GATEWAY_SMS_ADAPTER=http needs GATEWAY_SMS_HTTP_URL (the provider's send endpoint)")
        elif not str(url).lower().startswith(("http://", "https://")):
            problems.append("GATEWAY_SMS_HTTP_URL must be an http:// or https:// URL")
        else:
            try:
                senders[SMS] = HttpSmsSender(
                    url=url,
                    token=config_value(config, "SMS_HTTP_TOKEN"),
                    sender_name=config_value(config, "SMS_SENDER_NAME"),
                    body_format=config_value(config, "SMS_HTTP_FORMAT"),
                    timeout=float(config_value(config, "SMS_HTTP_TIMEOUT_SECONDS")),
                )
            except ValueError as exc:
                problems.append(str(exc))
    else:
        problems.append(f"GATEWAY_SMS_ADAPTER={sms_adapter!r}: must be outbox or http")

    email_adapter = config_value(config, "EMAIL_ADAPTER")
    if email_adapter == "outbox":
        senders[EMAIL] = OutboxEmailSender()
    elif email_adapter == "smtp":
        host = config_value(config, "SMTP_HOST")
        if not host:
            problems.append("GATEWAY_EMAIL_ADAPTER=smtp needs GATEWAY_SMTP_HOST (the mail server)")
        else:
            try:
                senders[EMAIL] = SmtpEmailSender(
                    host=host,
                    port=int(config_value(config, "SMTP_PORT")),
                    username=config_value(config, "SMTP_USERNAME"),
                    password=config_value(config, "SMTP_PASSWORD"),
                    security=config_value(config, "SMTP_SECURITY"),
                    timeout=float(config_value(config, "SMTP_TIMEOUT_SECONDS")),
                    mail_from=config_value(config, "MAIL_FROM"),
                )
            except ValueError as exc:
                problems.append(str(exc))
    else:
        problems.append(f"GATEWAY_EMAIL_ADAPTER={email_adapter!r}: must be outbox or smtp")

    if problems:
        raise ConfigError("Invalid messaging configuration:\n  " + "\n  ".join(problems))
    return senders


__all__ = [
    "DeliveryError",
    "OutboxEmailSender",
    "OutboxSmsSender",
    "Sender",
    "require_email_address",
    "require_saudi_mobile",
    "senders_from_config",
]
