"""pytest fixtures for plugin authors: a real portal with your plugin enabled.

Installed with the SDK as a pytest plugin (entry point ``pytest11``), so a
plugin's test suite can ask for ``portal_app`` without importing the host:
the app factory is found through the ``gateway.host`` entry point that the
host distribution declares, exactly as ``gateway`` finds plugins.

Example::

    def test_my_page(make_portal):
        app = make_portal(plugins="my_program", MY_PROGRAM_FEE="100")
        assert app.test_client().get("/my_program/").status_code == 200
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest

HOST_ENTRY_POINT_GROUP = "gateway.host"
"""The host declares its app factory here as ``create_app``."""


def load_app_factory() -> Callable[..., Any]:
    """The host's ``create_app``, found through its entry point."""
    for entry_point in metadata.entry_points(group=HOST_ENTRY_POINT_GROUP):
        if entry_point.name == "create_app":
            factory: Callable[..., Any] = entry_point.load()
            return factory
    raise RuntimeError("no Bawaba host is installed (no 'create_app' entry point in group 'gateway.host')")


@pytest.fixture
def make_portal(tmp_path: Path) -> Callable[..., Any]:
    """Build portals on a fresh SQLite file; ``plugins`` lists the enabled plugin names.

    Other keyword arguments are configuration keys without the ``GATEWAY_``
    prefix (``DEFAULT_LANGUAGE="en"``, ``MY_PROGRAM_FEE="100"``, ...).
    """
    factory = load_app_factory()

    def make(plugins: str = "", **config: Any) -> Any:
        settings: dict[str, Any] = {
            "ENV": "testing",
            "INSTANCE_PATH": str(tmp_path / "instance"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
            "PLUGINS": plugins,
            "PLUGINS_STRICT": True,
            "WTF_CSRF_ENABLED": False,
        }
        settings.update(config)
        return factory(settings)

    return make
