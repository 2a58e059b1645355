"""SMS and email behind adapters, through a persisted outbox with retries.

Other parts of the portal use only what is exported here: queue a message
with :func:`queue_message` in your transaction; once it commits, the message
is handed to ``gateway worker`` (``dispatch.py``), which sends it and retries
what a provider refused.
"""

from __future__ import annotations

from .base import DeliveryError, Sender
from .channels import OutboxEmailSender, OutboxSmsSender, senders_from_config
from .extension import init_messaging
from .http_sms import HttpSmsSender
from .models import OutboxMessage
from .outbox import (
    MESSENGER_EXTENSION,
    DeliveryReport,
    Messenger,
    deliver,
    deliver_due,
    get_messenger,
    latest_messages,
    queue_message,
    retry_delay,
)
from .smtp_email import SmtpEmailSender

__all__ = [
    "MESSENGER_EXTENSION",
    "DeliveryError",
    "DeliveryReport",
    "HttpSmsSender",
    "Messenger",
    "OutboxEmailSender",
    "OutboxMessage",
    "OutboxSmsSender",
    "Sender",
    "SmtpEmailSender",
    "deliver",
    "deliver_due",
    "get_messenger",
    "init_messaging",
    "latest_messages",
    "queue_message",
    "retry_delay",
    "senders_from_config",
]
