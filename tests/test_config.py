"""Configuration: environment variables, the mapping, defaults, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway import ConfigError, create_app
from gateway.settings import load_host_settings


def test_production_without_secret_key_refuses_to_start(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="GATEWAY_SECRET_KEY is not set") as caught:
        create_app({"ENV": "production", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    assert "GATEWAY_ENV=development" in str(caught.value)
    assert not (tmp_path / "secret_key").exists()


def test_production_refuses_a_short_secret_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="too short"):
        create_app({"ENV": "production", "SECRET_KEY": "short", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})


def test_production_accepts_a_long_secret_key(tmp_path: Path) -> None:
    key = "k" * 48
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": key,
            "INSTANCE_PATH": str(tmp_path),
            "PLUGINS": "",
            "STAGING": True,
            "RATE_LIMITS_IN_PROCESS": True,
        }
    )
    assert app.secret_key == key
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_generates_a_key_once_and_keeps_it(tmp_path: Path) -> None:
    first = create_app({"ENV": "development", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    second = create_app({"ENV": "development", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    key_file = tmp_path / "secret_key"
    assert key_file.exists()
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert first.secret_key == second.secret_key == key_file.read_text().strip()
    assert len(first.secret_key) >= 48
    assert first.config["SESSION_COOKIE_SECURE"] is False


def test_environment_variables_are_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ENV", "development")
    monkeypatch.setenv("GATEWAY_INSTANCE_PATH", str(tmp_path))
    monkeypatch.setenv("GATEWAY_DEFAULT_LANGUAGE", "en")
    monkeypatch.setenv("GATEWAY_PLUGINS", "gosi")
    app = create_app()
    assert app.config["GATEWAY_DEFAULT_LANGUAGE"] == "en"
    assert app.extensions["gateway"].plugins.enabled_names == ("gosi",)
    assert Path(app.instance_path) == tmp_path.resolve()


def test_the_mapping_wins_over_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_DEFAULT_LANGUAGE", "en")
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "DEFAULT_LANGUAGE": "ar", "PLUGINS": ""})
    assert app.config["GATEWAY_DEFAULT_LANGUAGE"] == "ar"


def test_every_problem_is_reported_at_once() -> None:
    environ = {"GATEWAY_ENV": "staging", "GATEWAY_DEFAULT_LANGUAGE": "fr", "GATEWAY_PLUGINS_STRICT": "maybe"}
    with pytest.raises(ConfigError) as caught:
        load_host_settings({}, environ)
    message = str(caught.value)
    assert "GATEWAY_ENV='staging': must be one of production, development, testing" in message
    assert "GATEWAY_DEFAULT_LANGUAGE='fr': must be ar or en" in message
    assert "GATEWAY_PLUGINS_STRICT='maybe'" in message


def test_secret_values_are_not_echoed_in_errors() -> None:
    with pytest.raises(ConfigError) as caught:
        load_host_settings({}, {"GATEWAY_PROXY_COUNT": "many", "GATEWAY_SECRET_KEY": "s3cr3t-value"})
    assert "s3cr3t-value" not in str(caught.value)
    assert "GATEWAY_PROXY_COUNT='many'" in str(caught.value)


def test_default_database_is_a_sqlite_file_in_the_instance_folder(tmp_path: Path) -> None:
    app = create_app({"ENV": "testing", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    database = app.extensions["gateway"].database
    assert database.backend == "sqlite"
    assert database.url.endswith(str(tmp_path.resolve() / "bawaba.sqlite3"))


def test_postgres_urls_use_psycopg_3() -> None:
    from gateway.database import normalise_database_url

    assert normalise_database_url("postgresql://u@h:5432/db").startswith("postgresql+psycopg://")
    assert normalise_database_url("postgresql+psycopg2://u@h/db").startswith("postgresql+psycopg://")


PRODUCTION_KEY = "k" * 48
REAL_ADAPTERS = {
    "REGISTRY_ADAPTER": "ministry_registry.adapter:Registry",  # names only: check_production loads nothing
    "PAYMENT_ADAPTER": "bank_gateway.adapter:Payments",
    "SMS_ADAPTER": "http",
    "SMS_HTTP_URL": "https://sms.example/send",
    "EMAIL_ADAPTER": "smtp",
    "SMTP_HOST": "smtp.example",
}


@pytest.mark.parametrize(
    ("setting", "sandbox"),
    [
        ("REGISTRY_ADAPTER", "sandbox"),
        ("PAYMENT_ADAPTER", "sandbox"),
        ("SMS_ADAPTER", "outbox"),
        ("EMAIL_ADAPTER", "outbox"),
    ],
)
def test_production_refuses_each_sandbox_adapter_in_one_line_unless_staging(
    tmp_path: Path, setting: str, sandbox: str
) -> None:
    from gateway.production import check_production

    settings = load_host_settings(
        {"ENV": "production", "SECRET_KEY": PRODUCTION_KEY, "REDIS_URL": "redis://127.0.0.1:6379/0", **REAL_ADAPTERS},
        environ={},
    )
    check_production(settings)  # every real adapter: nothing to refuse
    with pytest.raises(ConfigError) as caught:
        check_production({**settings, setting: sandbox})
    message = str(caught.value)
    assert "\n" not in message
    assert f"GATEWAY_{setting}={sandbox}" in message and "GATEWAY_STAGING=1" in message
    check_production({**settings, setting: sandbox, "STAGING": True})


def test_production_refuses_the_defaults_when_building_the_app(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="production refuses sandbox adapters") as caught:
        create_app({"ENV": "production", "SECRET_KEY": PRODUCTION_KEY, "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    assert "GATEWAY_REGISTRY_ADAPTER=sandbox" in str(caught.value)
    staging = {"ENV": "production", "SECRET_KEY": PRODUCTION_KEY, "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""}
    with pytest.raises(ConfigError, match="production needs GATEWAY_REDIS_URL") as caught:
        create_app({**staging, "STAGING": "1"})
    assert "\n" not in str(caught.value) and "GATEWAY_RATE_LIMITS_IN_PROCESS=1" in str(caught.value)
    app = create_app({**staging, "STAGING": "1", "RATE_LIMITS_IN_PROCESS": "1"})
    assert app.config["GATEWAY_STAGING"] is True


def test_outside_production_sandboxes_and_in_process_limits_are_fine(tmp_path: Path) -> None:
    app = create_app({"ENV": "development", "INSTANCE_PATH": str(tmp_path), "PLUGINS": ""})
    assert app.config["GATEWAY_REGISTRY_ADAPTER"] == "sandbox"
