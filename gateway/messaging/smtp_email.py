"""Email through an SMTP server (the standard library's ``smtplib``).

Messages are built with :class:`email.message.EmailMessage` and the modern
policy, which encodes Arabic names and subjects properly and refuses CR/LF in
any header, so nothing a person typed can smuggle in a ``Bcc:``. On top of
that the subject is flattened to one line (a stray newline is neutralised,
not fatal) and the recipient must be one plain address.
"""

from __future__ import annotations

import re
import smtplib
import ssl
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from .base import DeliveryError, require_email_address
from .models import PROVIDER_ID_LENGTH, OutboxMessage, utc_now

SECURITY_MODES = ("none", "starttls", "tls")


def one_line(text: str) -> str:
    """``text`` with every run of whitespace (CR and LF included) turned into one space."""
    return re.sub(r"\s+", " ", text).strip()


def parse_mail_from(mail_from: str) -> Address:
    """``GATEWAY_MAIL_FROM`` (``Name <address>`` or a bare address) as a header-safe :class:`Address`."""
    if "\r" in mail_from or "\n" in mail_from:
        raise ValueError("GATEWAY_MAIL_FROM must be one line (it contains CR or LF)")
    name, address = parseaddr(mail_from)
    try:
        require_email_address(address)
        return Address(display_name=name, addr_spec=address)
    except (DeliveryError, ValueError, HeaderParseError) as exc:
        raise ValueError(f"GATEWAY_MAIL_FROM={mail_from!r} is not an address such as 'Bawaba <no-reply@...>'") from exc


class SmtpEmailSender:
    """Sends each message in its own SMTP session (``none``, ``starttls`` or implicit ``tls``).

    A session per message is slower than a pooled connection but can never
    leave a half-broken connection behind between retries; the outbox worker
    sends few emails (codes and notices), so simplicity wins.
    """

    def __init__(
        self,
        *,
        host: str,
        port: int = 587,
        username: str | None = None,
        password: str | None = None,
        security: str = "starttls",
        timeout: float = 10.0,
        mail_from: str,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        if security not in SECURITY_MODES:
            raise ValueError(f"GATEWAY_SMTP_SECURITY must be one of {', '.join(SECURITY_MODES)}, not {security!r}")
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.security = security
        self.timeout = timeout
        self.sender = parse_mail_from(mail_from)
        self.ssl_context = ssl_context
        """Verifies the server's certificate; the system's trust store when ``None``."""

    def build(self, message: OutboxMessage) -> EmailMessage:
        """The email for ``message``: UTF-8 throughout, headers encoded and single-line."""
        require_email_address(message.recipient)
        email = EmailMessage()
        try:
            email["From"] = self.sender
            email["To"] = Address(addr_spec=message.recipient)
        except (ValueError, HeaderParseError) as exc:
            raise DeliveryError("recipient is not a single email address", permanent=True) from exc
        email["Subject"] = one_line(message.subject or "")
        email["Date"] = format_datetime(utc_now())
        email["Message-ID"] = make_msgid(domain=self.sender.domain or None)
        # base64 for non-ASCII bodies: safe even on a server without 8BITMIME.
        email.set_content(message.body, cte="7bit" if message.body.isascii() else "base64")
        return email

    def send(self, message: OutboxMessage) -> str | None:
        email = self.build(message)
        try:
            smtp = self._connect()
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=self._context())
                    smtp.ehlo()
                if self.username:
                    smtp.login(self.username, self.password or "")
                smtp.send_message(email, from_addr=self.sender.addr_spec, to_addrs=[message.recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            codes = sorted({code for code, _text in exc.recipients.values()})
            permanent = bool(codes) and all(code >= 500 for code in codes)
            raise DeliveryError(
                f"mail server refused the recipient ({', '.join(map(str, codes))})", permanent=permanent
            ) from exc
        except smtplib.SMTPResponseException as exc:
            raise DeliveryError(f"mail server answered {exc.smtp_code} ({type(exc).__name__})") from exc
        except smtplib.SMTPException as exc:
            raise DeliveryError(f"mail server session failed: {type(exc).__name__}") from exc
        except ssl.SSLError as exc:
            raise DeliveryError(f"TLS with the mail server failed: {exc.reason or type(exc).__name__}") from exc
        except TimeoutError as exc:
            raise DeliveryError(f"mail server did not answer within {self.timeout:g} s") from exc
        except OSError as exc:
            raise DeliveryError(f"mail server unreachable: {exc.strerror or type(exc).__name__}") from exc
        message_id = str(email["Message-ID"])
        return message_id[:PROVIDER_ID_LENGTH]

    def _context(self) -> ssl.SSLContext:
        return self.ssl_context or ssl.create_default_context()

    def _connect(self) -> smtplib.SMTP:
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=self._context())
        return smtplib.SMTP(self.host, self.port, timeout=self.timeout)
