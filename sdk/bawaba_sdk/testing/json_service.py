"""Test kit: a real local JSON service, to test a plugin's HTTP adapter against, outage included.

A plugin's adapter to an outside system (:class:`bawaba_sdk.AdapterChoice`)
must be tested against a real server, not a mock of its HTTP library: the
service listens on ``127.0.0.1``, answers what the test puts in ``routes``,
records every request (to check the token was sent), and plays the outages
the adapter must survive::

    from bawaba_sdk.testing.json_service import JsonService

    def test_outage(make_portal):
        with JsonService({"/contributors/1000000008": {"id_number": "1000000008", ...}}) as service:
            app = make_portal(plugins="gosi", GOSI_RECORDS_ADAPTER="http", GOSI_RECORDS_URL=service.url)
            service.status = 503          # every answer is now a 503 (then: service.delay = 5, or service.stop())
            ...

A path not in ``routes`` answers 404, as a records service does for a
person it does not know.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class ReceivedRequest:
    """One request the service received."""

    method: str
    path: str
    headers: dict[str, str]


@dataclass
class JsonService:
    """A real HTTP server answering JSON; its behaviour can change while a test runs."""

    routes: Mapping[str, Any] = field(default_factory=dict)
    """Path -> the JSON body answered with 200."""
    status: int | None = None
    """When set, every request is answered with this status and no body (503: an outage)."""
    delay: float = 0.0
    """Seconds to wait before answering (more than the adapter's timeout: a hanging service)."""
    requests: list[ReceivedRequest] = field(default_factory=list)
    port: int = 0
    _server: ThreadingHTTPServer | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """The service's base address (``http://127.0.0.1:<port>``)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> JsonService:
        """Listen (again, on the same port once it is known)."""
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                service.requests.append(ReceivedRequest("GET", self.path, dict(self.headers.items())))
                if service.delay:
                    time.sleep(service.delay)
                if service.status is not None:
                    self._send(service.status, b"")
                elif self.path in service.routes:
                    self._send(200, json.dumps(service.routes[self.path]).encode("utf-8"))
                else:
                    self._send(404, b'{"error": "not found"}')

            def _send(self, status: int, body: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Stop listening: connections are then refused (the service is down)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> JsonService:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


__all__ = ["JsonService", "ReceivedRequest"]
