"""A portal served over real HTTP on loopback, for the tools that test it from outside (Schemathesis).

``tests.live_server`` on the first free port of the attack suite's range
(18100-18199, so parallel suites on the same machine do not collide),
stopped when the ``with`` block ends. The port is taken by binding the
server itself, trying the next one when another test (another pytest-xdist
worker, another checkout's suite) got there first: probing a port and
binding it afterwards would race them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask

from tests import live_server

PORTS = range(18100, 18200)


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1, on a port of this suite's range, and yield its base URL."""
    with contextlib.ExitStack() as stack:
        for port in PORTS:
            try:
                base_url = stack.enter_context(live_server.serving(app, port))
            except OSError:
                continue
            break
        else:
            raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")
        yield base_url
