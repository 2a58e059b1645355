"""Test kit: load the portal's demo data, as ``gateway demo load`` does, and read its report.

Each serving plugin's ``gateway_load_demo_data`` runs in a savepoint of its
own; the report has a line per thing loaded (``<program>: <line>``) or a
``<program>: FAILED: ...`` line::

    from bawaba_sdk.testing.demo import load_demo_data

    def test_the_demo_parks_load_once(make_portal):
        app = make_portal(plugins="parks")
        assert "parks: 3 demo parks added" in load_demo_data(app)
        assert "parks: all demo parks already present" in load_demo_data(app)
"""

from __future__ import annotations

from typing import Any

from .host_kit import host_kit


def load_demo_data(app: Any) -> list[str]:
    """Run every serving plugin's ``gateway_load_demo_data`` on the portal; the report's lines."""
    return host_kit().load_demo_data(app)


__all__ = ["load_demo_data"]
