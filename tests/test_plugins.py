"""Plugin discovery, enabling, disabling and isolation of a failing plugin."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask

from gateway.plugin_manager import PluginLoadError, PluginStatus
from tests.sample_plugins import (
    BROKEN_IMPORT,
    LIBRARY,
    NOT_A_PROGRAM,
    RAISING_STARTUP,
    UNKNOWN_HOOK,
    UNPREFIXED_TABLES,
    entry_points,
)

FIRST_PARTY = ("musaned", "social_security", "gosi")


def records(app: Flask):  # type: ignore[no-untyped-def]
    return app.extensions["gateway"].plugins.records


def test_first_party_plugins_are_discovered_through_their_entry_points(app: Flask) -> None:
    for name in FIRST_PARTY:
        record = records(app)[name]
        assert record.status is PluginStatus.ENABLED, record.reason
        assert record.distribution == "bawaba-" + name.replace("_", "-")  # each its own distribution
        assert record.entry_point == f"bawaba_{name}.plugin"
        assert record.version
        assert "gateway_register_program" in record.hooks
        assert record.program is not None and record.program.slug == name
        assert f"/{name}/" in record.routes


@pytest.fixture
def installed_distribution(tmp_path: Path) -> Iterator[Callable[[str, str], None]]:
    """Install a distribution the way pip would: a dist-info folder on sys.path."""
    site = tmp_path / "site"
    site.mkdir()
    sys.path.insert(0, str(site))

    def install(name: str, module: str) -> None:
        dist_info = site / f"bawaba_{name}-1.2.3.dist-info"
        dist_info.mkdir()
        (dist_info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: bawaba-{name}\nVersion: 1.2.3\n")
        (dist_info / "entry_points.txt").write_text(f"[gateway.plugins]\n{name} = {module}\n")

    yield install
    sys.path.remove(str(site))


def test_an_installed_third_party_distribution_is_discovered_but_not_enabled(
    make_app: Callable[..., Flask], installed_distribution: Callable[[str, str], None]
) -> None:
    installed_distribution("library", LIBRARY)
    app = make_app()
    record = records(app)["library"]
    assert record.status is PluginStatus.DISABLED
    assert "not enabled" in record.reason
    assert record.distribution == "bawaba-library"
    assert record.version == "1.2.3"
    assert app.test_client().get("/library/").status_code == 404


def test_an_installed_third_party_distribution_serves_once_enabled(
    make_app: Callable[..., Flask], installed_distribution: Callable[[str, str], None]
) -> None:
    installed_distribution("library", LIBRARY)
    app = make_app(PLUGINS="musaned,library")
    assert records(app)["library"].status is PluginStatus.ENABLED
    assert records(app)["gosi"].status is PluginStatus.DISABLED
    page = app.test_client().get("/library/", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert b"Borrow a book" in page.data


def test_only_enabled_plugins_are_loaded(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="gosi")
    assert records(app)["gosi"].status is PluginStatus.ENABLED
    for name in ("musaned", "social_security"):
        assert records(app)[name].status is PluginStatus.DISABLED
        assert records(app)[name].module is None
        assert app.extensions["gateway"].plugins.pm.get_plugin(name) is None
    client = app.test_client()
    assert client.get("/gosi/").status_code == 200
    assert client.get("/musaned/").status_code == 404


def test_an_enabled_plugin_that_is_not_installed_is_reported(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="gosi,nonexistent")
    assert records(app)["nonexistent"].status is PluginStatus.FAILED
    assert "no installed distribution" in records(app)["nonexistent"].reason


@pytest.mark.parametrize(
    ("module", "reason"),
    [
        (BROKEN_IMPORT, "failed to import tests.sample_plugins.broken_import: ImportError"),
        (RAISING_STARTUP, "raised in gateway_startup: ConnectionError"),
        (UNKNOWN_HOOK, "hooks that do not exist (misspelt?): gateway_register_progam"),
        (NOT_A_PROGRAM, "must return an sdk.Program"),
        (UNPREFIXED_TABLES, "tables must be prefixed with 'sloppy_': people"),
    ],
)
def test_a_failing_plugin_is_isolated_while_the_others_serve(
    make_app: Callable[..., Flask], module: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(
        PLUGINS="musaned,faulty,gosi",
        PLUGIN_ENTRY_POINTS=entry_points(musaned="bawaba_musaned.plugin", faulty=module, gosi="bawaba_gosi.plugin"),
    )
    faulty = records(app)["faulty"]
    assert faulty.status is PluginStatus.FAILED
    assert reason in faulty.reason
    assert any("plugin faulty disabled" in message for message in caplog.messages)
    assert app.extensions["gateway"].plugins.pm.get_plugin("faulty") is None
    client = app.test_client()
    assert client.get("/musaned/").status_code == 200
    assert client.get("/gosi/").status_code == 200
    assert client.get("/").status_code == 200


def test_a_program_that_failed_at_startup_is_shown_as_unavailable(make_app: Callable[..., Flask]) -> None:
    app = make_app(
        PLUGINS="gosi,fragile",
        PLUGIN_ENTRY_POINTS=entry_points(gosi="bawaba_gosi.plugin", fragile=RAISING_STARTUP),
    )
    client = app.test_client()
    page = client.get("/", headers={"Accept-Language": "en"})
    assert b"Temporarily unavailable" in page.data
    assert b"Fragile" in page.data
    own_page = client.get("/fragile/", headers={"Accept-Language": "en"})
    assert own_page.status_code == 503
    assert b"should never be served" not in own_page.data
    assert client.get("/fragile/anything").status_code == 503
    listing = client.get("/-/plugins.json").get_json()
    assert [plugin["name"] for plugin in listing["plugins"]] == ["gosi"]
    assert listing["unavailable"] == ["Fragile"]
    assert "ConnectionError" not in page.get_data(as_text=True)


def test_strict_mode_makes_a_failing_plugin_fatal(make_app: Callable[..., Flask]) -> None:
    with pytest.raises(PluginLoadError, match="faulty"):
        make_app(PLUGINS="faulty", PLUGINS_STRICT="true", PLUGIN_ENTRY_POINTS=entry_points(faulty=RAISING_STARTUP))


def test_an_exception_inside_a_plugin_view_is_a_500_page_and_the_portal_keeps_serving(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(PLUGINS="library,gosi", PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY, gosi="bawaba_gosi.plugin"))
    client = app.test_client()
    broken = client.get("/library/explode", headers={"Accept-Language": "en"})
    assert broken.status_code == 500
    assert b"a bug inside a plugin view" not in broken.data
    assert b"Something went wrong on our side" in broken.data
    assert client.get("/gosi/").status_code == 200


def test_plugin_settings_are_parsed_and_bad_values_stop_the_boot(make_app: Callable[..., Flask]) -> None:
    from gateway import ConfigError

    app = make_app(PLUGINS="library", PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY), LIBRARY_LOAN_DAYS="21")
    assert app.extensions["gateway"].settings_for("library") == {"loan_days": 21}
    with pytest.raises(ConfigError, match="GATEWAY_LIBRARY_LOAN_DAYS") as caught:
        make_app(PLUGINS="library", PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY), LIBRARY_LOAN_DAYS="365")
    assert "must be at most 90" in str(caught.value)


def test_hooks_are_checked_at_startup(app: Flask) -> None:
    # check_pending() ran during create_app; every registered implementation has a spec.
    pm = app.extensions["gateway"].plugins.pm
    pm.check_pending()
    for name in FIRST_PARTY:
        for caller in pm.get_hookcallers(pm.get_plugin(name)):
            assert caller.has_spec()


def test_the_sdk_fixture_builds_a_portal_through_the_host_entry_point(make_portal: Callable[..., Flask]) -> None:
    app = make_portal(plugins="gosi")
    assert [record.name for record in app.extensions["gateway"].plugins.serving()] == ["gosi"]
    assert app.test_client().get("/gosi/").status_code == 200


def test_a_secret_plugin_setting_is_not_echoed_when_rejected() -> None:
    from bawaba_sdk import Program, Setting, TranslationDomain, hookimpl, parse_int
    from gateway import ConfigError
    from gateway.plugin_boot import boot_plugins
    from gateway.plugin_manager import GatewayPluginManager

    class TokenPlugin:
        @hookimpl
        def gateway_register_program(self) -> Program:
            return Program(
                slug="tokens", name="Tokens", summary="-", translations=TranslationDomain("/nonexistent", "t")
            )

        @hookimpl
        def gateway_register_settings(self) -> list[Setting]:
            return [Setting("api_token", 0, parse_int(minimum=1), "Token.", secret=True)]

    manager = GatewayPluginManager(["tokens"])
    manager.register_object("tokens", TokenPlugin())
    with pytest.raises(ConfigError) as caught:
        boot_plugins(manager, {"TOKENS_API_TOKEN": "-12345678"}, environ={})
    assert "GATEWAY_TOKENS_API_TOKEN (config['TOKENS_API_TOKEN']=(hidden))" in str(caught.value)
    assert "-12345678" not in str(caught.value).replace("(hidden)", "")
