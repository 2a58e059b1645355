"""The reference: a bare Flask application answering "hello", served by gunicorn exactly like the portal.

Its throughput is what this machine, this gunicorn configuration and this
load generator can do at best with Flask; each scenario's throughput is given
as a fraction of it, so the figures say how much the portal itself costs.
"""

from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "hello"
