"""A configurable HTTP SMS provider, spoken with the standard library only.

Most Saudi SMS gateways take one authenticated POST per message; what varies
is the URL, the token and whether the body is JSON or form-encoded, so those
come from configuration. ``urllib`` keeps the portal free of another HTTP
dependency. Redirects are not followed: following a 302 would turn the POST
into a GET and silently drop the message.
"""

from __future__ import annotations

import http.client
import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from .base import DeliveryError, require_saudi_mobile
from .models import PROVIDER_ID_LENGTH, OutboxMessage

MAX_RESPONSE_BYTES = 64 * 1024
"""A provider's answer is small; never read an unbounded body."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # the 3xx then surfaces as an HTTPError, i.e. a failed attempt


class HttpSmsSender:
    """POSTs ``{"to", "text", "sender", "reference"}`` to the provider with a bearer token.

    A 2xx answer is a delivery (the provider's id is taken from a JSON ``id``
    or ``message_id`` when present); any other status, a timeout or a refused
    connection raises :class:`DeliveryError`, so the outbox retries later.
    """

    def __init__(
        self, *, url: str, token: str | None, sender_name: str, body_format: str = "json", timeout: float = 5.0
    ) -> None:
        if body_format not in ("json", "form"):
            raise ValueError(f"body_format must be json or form, not {body_format!r}")
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError("the SMS provider URL must be http:// or https://")
        self.url = url
        self.token = token
        self.sender_name = sender_name
        self.body_format = body_format
        self.timeout = timeout
        self._opener = urllib.request.build_opener(_NoRedirects())

    def send(self, message: OutboxMessage) -> str | None:
        require_saudi_mobile(message.recipient)
        request = self._request(message)
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                payload = response.read(MAX_RESPONSE_BYTES)
        except urllib.error.HTTPError as exc:
            exc.close()
            raise DeliveryError(f"SMS provider answered HTTP {exc.code}") from exc
        except urllib.error.URLError as exc:
            raise DeliveryError(f"SMS provider unreachable: {_describe(exc.reason)}") from exc
        except TimeoutError as exc:
            raise DeliveryError(f"SMS provider did not answer within {self.timeout:g} s") from exc
        except (OSError, http.client.HTTPException) as exc:
            raise DeliveryError(f"SMS provider connection failed: {type(exc).__name__}") from exc
        if not 200 <= status < 300:
            raise DeliveryError(f"SMS provider answered HTTP {status}")
        return _provider_id(payload)

    def _request(self, message: OutboxMessage) -> urllib.request.Request:
        fields = {
            "to": message.recipient,
            "text": message.body,
            "sender": self.sender_name,
            "reference": str(message.id),
        }
        if self.body_format == "json":
            data = json.dumps(fields, ensure_ascii=False).encode("utf-8")
            content_type = "application/json; charset=utf-8"
        else:
            data = urllib.parse.urlencode(fields).encode("ascii")
            content_type = "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type, "Accept": "application/json", "User-Agent": "Bawaba-SMS/1"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return urllib.request.Request(self.url, data=data, headers=headers, method="POST")  # noqa: S310 (scheme checked)


def _describe(reason: Any) -> str:
    """A short, body-free description of a connection failure."""
    if isinstance(reason, TimeoutError):
        return "timed out"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return type(reason).__name__ if isinstance(reason, BaseException) else str(reason)[:100]


def _provider_id(payload: bytes) -> str | None:
    """The provider's message id from a JSON answer, if it sent one."""
    try:
        answer = json.loads(payload.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(answer, dict):
        return None
    for key in ("id", "message_id"):
        value = answer.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
            return str(value)[:PROVIDER_ID_LENGTH]
    return None
