"""A Flask app over real HTTP on loopback, for the tests that talk to it from outside (browsers, Schemathesis).

Werkzeug's threaded server in a daemon thread, stopped when the ``with``
block ends.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server


@contextmanager
def serving(app: Flask, port: int = 0) -> Iterator[str]:
    """Serve ``app`` on 127.0.0.1 (``port`` 0: one the OS picks) and yield its base URL."""
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
