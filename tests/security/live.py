"""A portal served over real HTTP on loopback, for the tools that test it from outside (Schemathesis).

``tests.live_server`` on the first free port of the attack suite's range
(18100-18199, so parallel suites on the same machine do not collide),
stopped when the ``with`` block ends.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from tests import live_server

PORTS = range(18100, 18200)


def free_port() -> int:
    """The first port of :data:`PORTS` nothing listens on."""
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1, on a port of this suite's range, and yield its base URL."""
    with live_server.serving(app, free_port()) as base_url:
        yield base_url
