"""A relying party's back-channel logout endpoint for tests: a real HTTP server on loopback.

It records every POST body and answers with the statuses the test queues
(200 once the queue is empty), so a test can play an app that is down and
then recovers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs


class LogoutReceiver:
    def __init__(self) -> None:
        self.bodies: list[dict[str, list[str]]] = []
        self.content_types: list[str] = []
        self.statuses: list[int] = []
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/backchannel-logout"

    @property
    def logout_tokens(self) -> list[str]:
        return [body["logout_token"][0] for body in self.bodies if "logout_token" in body]

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                receiver.bodies.append(parse_qs(self.rfile.read(length).decode()))
                receiver.content_types.append(self.headers.get("Content-Type", ""))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Cache-Control", "no-store")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


@contextmanager
def logout_receiver() -> Iterator[LogoutReceiver]:
    receiver = LogoutReceiver()
    receiver.start()
    try:
        yield receiver
    finally:
        receiver.stop()
