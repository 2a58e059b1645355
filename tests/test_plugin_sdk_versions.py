"""A plugin states the SDK range it needs; the host refuses it outside that range, clearly, and serves the others."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path

import pytest
from flask import Flask

import bawaba_sdk
from gateway.plugin_manager import PluginLoadError, PluginStatus
from tests.sample_plugins import LIBRARY, entry_points

FUTURE = "tests.sample_plugins.needs_future_sdk"
CURRENT = "tests.sample_plugins.needs_current_sdk"


def record(app: Flask, name: str):  # type: ignore[no-untyped-def]
    return app.extensions["gateway"].plugins.records[name]


def test_a_plugin_needing_sdk_99_is_refused_and_the_others_serve(make_app: Callable[..., Flask]) -> None:
    app = make_app(
        PLUGINS="future,current,library",
        PLUGIN_ENTRY_POINTS=entry_points(future=FUTURE, current=CURRENT, library=LIBRARY),
    )
    refused = record(app, "future")
    assert refused.status is PluginStatus.FAILED
    assert refused.reason == (
        f"needs bawaba-sdk>=99 (its requires_sdk attribute) but bawaba-sdk {bawaba_sdk.__version__} is installed: "
        f"install a version of the plugin made for SDK {bawaba_sdk.__version__}, or an SDK in its range"
    )
    assert record(app, "current").status is PluginStatus.ENABLED
    assert record(app, "library").status is PluginStatus.ENABLED
    client = app.test_client()
    assert client.get("/future/").status_code == 404
    assert client.get("/current/").status_code == 200
    assert client.get("/library/").status_code == 200


def test_in_strict_mode_the_portal_does_not_start(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(PluginLoadError, match=r"'future'.*needs bawaba-sdk>=99"):
        make_app(PLUGINS="future", PLUGIN_ENTRY_POINTS=entry_points(future=FUTURE), PLUGINS_STRICT=True)


def test_an_unreadable_range_is_refused_too(make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch) -> None:
    import tests.sample_plugins.needs_future_sdk as future

    monkeypatch.setattr(future, "requires_sdk", "about 0.6")
    app = make_app(PLUGINS="future", PLUGIN_ENTRY_POINTS=entry_points(future=FUTURE))
    assert "not a version range" in record(app, "future").reason


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Path]:
    """A folder on sys.path where distributions are installed the way pip does (dist-info folders)."""
    folder = tmp_path / "site"
    folder.mkdir()
    sys.path.insert(0, str(folder))
    yield folder
    sys.path.remove(str(folder))


def installed(site: Path, name: str, module: str, *requires: str) -> list[metadata.EntryPoint]:
    """Install distribution ``bawaba-<name>`` 1.0 with ``requires``; its real entry points (bound to it)."""
    dist_info = site / f"bawaba_{name}-1.0.dist-info"
    dist_info.mkdir()
    lines = "".join(f"Requires-Dist: {line}\n" for line in requires)
    (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: bawaba-{name}\nVersion: 1.0\n{lines}")
    (dist_info / "entry_points.txt").write_text(f"[gateway.plugins]\n{name} = {module}\n")
    return list(metadata.PathDistribution(dist_info).entry_points)


def test_a_distribution_requiring_another_sdk_is_refused_before_its_code_is_imported(
    make_app: Callable[..., Flask], site: Path
) -> None:
    (site / "bawaba_later.py").write_text("raise ImportError('made for an SDK with names this one lacks')\n")
    later = installed(site, "later", "bawaba_later", "bawaba-sdk>=99,<100", 'pytest; extra == "test"')
    app = make_app(PLUGINS="later", PLUGIN_ENTRY_POINTS=later)
    reason = record(app, "later").reason
    assert reason.startswith("needs bawaba-sdk<100,>=99 (Requires-Dist of bawaba-later 1.0) but bawaba-sdk ")
    assert "bawaba_later" not in sys.modules


def test_a_distribution_in_range_serves_and_a_test_extra_is_not_a_requirement(
    make_app: Callable[..., Flask], site: Path
) -> None:
    eps = installed(
        site, "shelf", LIBRARY, f"bawaba-sdk>={bawaba_sdk.__version__},<1", 'bawaba-sdk[testing]>=99; extra == "test"'
    )
    app = make_app(PLUGINS="shelf", PLUGIN_ENTRY_POINTS=eps)
    assert record(app, "shelf").status is PluginStatus.ENABLED, record(app, "shelf").reason
