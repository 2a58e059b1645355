"""The ``gateway`` command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from gateway.cli import cli
from tests.conftest import HOST_HEAD
from tests.sample_plugins import LIBRARY, RAISING_STARTUP, entry_points


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), obj=ScriptInfo(create_app=lambda: app), catch_exceptions=False)


def test_plugins_list_shows_name_version_program_hooks_routes_and_status(app: Flask) -> None:
    result = run(app, "plugins", "list")
    assert result.exit_code == 0, result.output
    for name in ("musaned", "social_security", "gosi"):
        assert f"\n{name} 0.1.0\n" in f"\n{result.output}"
    assert "status:   enabled" in result.output
    assert "program:  musaned: Musaned / مساند" in result.output
    hooks_lines = [line for line in result.output.splitlines() if line.startswith("  hooks:    ")]
    assert len(hooks_lines) == 3 and all("gateway_register_blueprint" in line for line in hooks_lines)
    assert "routes:   /musaned/" in result.output


def test_plugins_list_says_why_a_plugin_is_disabled(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="fragile", PLUGIN_ENTRY_POINTS=entry_points(fragile=RAISING_STARTUP, library=LIBRARY))
    result = run(app, "plugins", "list", "--json")
    listing = {item["name"]: item for item in json.loads(result.output)}
    assert listing["fragile"]["status"] == "failed"
    assert "raised in gateway_startup: ConnectionError" in listing["fragile"]["reason"]
    assert listing["library"]["status"] == "disabled"
    assert "not enabled" in listing["library"]["reason"]


def test_db_upgrade_current_and_demo_load(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="library", PLUGIN_ENTRY_POINTS=entry_points(library=LIBRARY), migrate_database=False)
    refused = CliRunner().invoke(cli, ["demo", "load"], obj=ScriptInfo(create_app=lambda: app))
    assert refused.exit_code == 1
    assert "run 'gateway db upgrade' first" in refused.output
    upgraded = run(app, "db", "upgrade")
    assert upgraded.output.splitlines() == [f"gateway: (empty) -> {HOST_HEAD}", "library: (empty) -> library_0001"]
    assert "library: library_0001 current" in run(app, "db", "current").output
    assert run(app, "demo", "load").output.splitlines() == ["library: 2 books added"]


def test_the_console_script_runs_from_a_fresh_environment(tmp_path: Path) -> None:
    executable = shutil.which("gateway", path=str(Path(sys.executable).parent))
    assert executable, "the gateway console script is installed beside the interpreter"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    environment.update(GATEWAY_ENV="development", GATEWAY_INSTANCE_PATH=str(tmp_path))
    listed = subprocess.run(
        [executable, "plugins", "list", "--json"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    statuses = {item["name"]: item["status"] for item in json.loads(listed.stdout)}
    assert statuses == {"gosi": "enabled", "musaned": "enabled", "social_security": "enabled"}
    upgraded = subprocess.run(
        [executable, "db", "upgrade"], env=environment, capture_output=True, text=True, check=True, timeout=120
    )
    assert f"gateway: (empty) -> {HOST_HEAD}" in upgraded.stdout
    assert (tmp_path / "bawaba.sqlite3").exists()


def _fresh_shell(tmp_path: Path, **settings: str) -> tuple[str, dict[str, str]]:
    """The console script and the environment of a new shell: no GATEWAY_* but ``settings``."""
    executable = shutil.which("gateway", path=str(Path(sys.executable).parent))
    assert executable, "the gateway console script is installed beside the interpreter"
    environment = {key: value for key, value in os.environ.items() if not key.startswith("GATEWAY_")}
    environment.update(GATEWAY_INSTANCE_PATH=str(tmp_path), **settings)
    return executable, environment


def test_help_and_read_only_commands_work_in_production_without_a_secret_key(tmp_path: Path) -> None:
    executable, environment = _fresh_shell(tmp_path, GATEWAY_ENV="production")
    helped = subprocess.run([executable, "--help"], env=environment, capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0, helped.stderr
    assert helped.stderr == ""
    for command in ("plugins", "outbox", "staff", "worker", "run", "db"):
        assert f"\n  {command} " in helped.stdout
    listed = subprocess.run(
        [executable, "plugins", "list", "--json"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 0, listed.stderr
    assert {item["name"] for item in json.loads(listed.stdout)} == {"gosi", "musaned", "social_security"}
    current = subprocess.run(
        [executable, "db", "current"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert current.returncode == 0, current.stderr
    assert "gateway: (empty) pending" in current.stdout
    assert not (tmp_path / "secret_key").exists(), "the throwaway key is never written down"


def test_serving_without_a_secret_key_is_refused_in_one_line(tmp_path: Path) -> None:
    executable, environment = _fresh_shell(tmp_path, GATEWAY_ENV="production")
    for command in ("run", "worker"):
        result = subprocess.run([executable, command], env=environment, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert result.stderr.startswith("gateway: cannot start: GATEWAY_SECRET_KEY is not set")
        assert result.stderr.count("\n") == 1, result.stderr
        assert "Traceback" not in result.stderr


def test_help_with_a_bad_configuration_says_so_in_one_line(tmp_path: Path) -> None:
    executable, environment = _fresh_shell(tmp_path, GATEWAY_ENV="development", GATEWAY_OTP_LENGTH="many")
    helped = subprocess.run([executable, "--help"], env=environment, capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0
    assert "Traceback" not in helped.stderr
    assert helped.stderr.startswith("gateway: the portal's own commands are not listed: ")
    assert "GATEWAY_OTP_LENGTH" in helped.stderr
    assert "\n  run " in helped.stdout
    listed = subprocess.run(
        [executable, "plugins", "list"], env=environment, capture_output=True, text=True, timeout=120
    )
    assert listed.returncode == 2
    assert listed.stderr.startswith("gateway: cannot start: ") and "Traceback" not in listed.stderr
