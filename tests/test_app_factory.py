"""The app factory builds complete, independent apps."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from bawaba_sdk.host import HOST_EXTENSION
from tests.sample_plugins import LIBRARY, entry_points


def test_factory_builds_a_serving_portal_with_the_three_programs(app: Flask) -> None:
    host = app.extensions[HOST_EXTENSION]
    assert [record.name for record in host.plugins.serving()] == ["musaned", "social_security", "gosi"]
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"


def test_two_apps_do_not_share_plugins_or_databases(make_app: Callable[..., Flask]) -> None:
    only_gosi = make_app(PLUGINS="gosi")
    library = make_app(PLUGINS="library", PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY))
    gosi_host = only_gosi.extensions[HOST_EXTENSION]
    library_host = library.extensions[HOST_EXTENSION]
    assert gosi_host.plugins is not library_host.plugins
    assert gosi_host.plugins.pm is not library_host.plugins.pm
    assert [r.name for r in gosi_host.plugins.serving()] == ["gosi"]
    assert [r.name for r in library_host.plugins.serving()] == ["library"]
    assert only_gosi.test_client().get("/library/").status_code == 404
    assert library.test_client().get("/library/").status_code == 200


def test_security_headers_and_request_id_on_every_response(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert len(response.headers["X-Request-ID"]) >= 8
    assert client.get("/", headers={"X-Request-ID": "lb-1234abcd"}).headers["X-Request-ID"] == "lb-1234abcd"
    refused = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert "<" not in refused.headers["X-Request-ID"]
