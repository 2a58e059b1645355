"""Configuration chooses the registry adapter; a real one replaces the sandbox without code changes."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from bawaba_sdk.validators import IdType
from gateway.registry import (
    RegistryAdapter,
    RegistryRecord,
    RegistryUnavailable,
    SandboxDataError,
    SandboxRegistry,
    current_registry,
    load_registry_adapter,
    registry_for,
)
from gateway.registry.adapter import DEFAULT_SANDBOX_FILE
from gateway.settings import ConfigError

HERE = __name__
"""This module's import name, whatever pytest's import mode made it."""


class TinyRegistry:
    """A stand-in for a real registry client: built from the app config, knows one person."""

    def __init__(self, app_config: Mapping[str, Any]) -> None:
        self.config = app_config
        self.person = RegistryRecord(
            id_number="1000000107",
            id_type=IdType.CITIZEN,
            first_name_ar="سلمى",
            family_name_ar="الحقيقي",
            first_name_en="Salma",
            family_name_en="Al-Haqiqi",
            birth_date=datetime.date(1970, 1, 1),
            nationality="SA",
            mobile="+966500000107",
            account_active=True,
            unpaid_violations=Decimal("0.00"),
        )

    def lookup(self, id_number: str) -> RegistryRecord | None:
        return self.person if id_number == self.person.id_number else None

    def all_records(self) -> Iterable[RegistryRecord]:
        raise NotImplementedError("a real registry cannot be listed")


class DownRegistry:
    """A registry in the middle of an outage."""

    def __init__(self, app_config: Mapping[str, Any]) -> None:
        pass

    def lookup(self, id_number: str) -> RegistryRecord | None:
        raise RegistryUnavailable("Yakeen answered 503")

    def all_records(self) -> Iterable[RegistryRecord]:
        raise RegistryUnavailable("Yakeen answered 503")


class NeedsAUrl:
    def __init__(self, app_config: Mapping[str, Any]) -> None:
        raise KeyError("GATEWAY_REGISTRY_URL is not set")


class RefusesItsConfig:
    def __init__(self, app_config: Mapping[str, Any]) -> None:
        raise ConfigError("GATEWAY_YAKEEN_TOKEN is required")


class NotARegistry:
    def __init__(self, app_config: Mapping[str, Any]) -> None:
        pass

    def find(self, id_number: str) -> None:
        return None


NOT_A_CLASS = 42


def test_the_sandbox_is_the_default() -> None:
    for config in ({}, {"GATEWAY_REGISTRY_ADAPTER": "sandbox"}, {"GATEWAY_REGISTRY_ADAPTER": " Sandbox "}):
        adapter = load_registry_adapter(config)
        assert isinstance(adapter, SandboxRegistry)
        assert adapter.path == DEFAULT_SANDBOX_FILE
        assert adapter.lookup("1000000008") is not None


def test_the_sandbox_reads_the_configured_file(tmp_path: Path) -> None:
    person = {
        "id_number": "2000000006",
        "id_type": "resident",
        "first_name_ar": "راجيش",
        "family_name_ar": "كومار",
        "first_name_en": "Rajesh",
        "family_name_en": "Kumar",
        "birth_date": "1986-01-12",
        "nationality": "IN",
        "mobile": "+966561230001",
        "account_active": True,
        "unpaid_violations": "0.00",
        "household": [],
    }
    path = tmp_path / "people.json"
    path.write_text(json.dumps({"people": [person]}), encoding="utf-8")
    adapter = load_registry_adapter({"GATEWAY_REGISTRY_ADAPTER": "sandbox", "GATEWAY_REGISTRY_SANDBOX_FILE": str(path)})
    assert [record.id_number for record in adapter.all_records()] == ["2000000006"]
    assert adapter.lookup("1000000008") is None
    with pytest.raises(SandboxDataError, match="cannot be read"):
        load_registry_adapter({"GATEWAY_REGISTRY_SANDBOX_FILE": str(tmp_path / "missing.json")})


def test_a_real_adapter_is_configured_in_place_of_the_sandbox(make_app: Callable[..., Flask]) -> None:
    app = make_app(REGISTRY_ADAPTER=f"{HERE}:TinyRegistry", REGISTRY_URL="https://yakeen.example")
    adapter = load_registry_adapter(app.config)
    assert isinstance(adapter, TinyRegistry)
    assert isinstance(adapter, RegistryAdapter)
    assert adapter.config["REGISTRY_URL"] == "https://yakeen.example", "built with the app's configuration"
    record = adapter.lookup("1000000107")
    assert record is not None and record.full_name_en == "Salma Al-Haqiqi"
    assert adapter.lookup("1000000008") is None


def test_each_app_has_its_own_registry(make_app: Callable[..., Flask]) -> None:
    sandbox_app = make_app()
    real_app = make_app(REGISTRY_ADAPTER=f"{HERE}:TinyRegistry")
    first = registry_for(real_app)
    assert isinstance(first, TinyRegistry)
    assert registry_for(real_app) is first, "built once per app"
    assert isinstance(registry_for(sandbox_app), SandboxRegistry)
    with real_app.app_context():
        assert current_registry() is first


def test_a_bare_flask_app_gets_a_registry_from_its_config() -> None:
    app = Flask(__name__)
    app.config["GATEWAY_REGISTRY_ADAPTER"] = f"{HERE}:TinyRegistry"
    with app.app_context():
        adapter = current_registry()
        assert isinstance(adapter, TinyRegistry)
        assert current_registry() is adapter
    assert app.extensions["gateway.registry"] is adapter


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("yakeen", "must be 'sandbox' or 'package.module:ClassName'"),
        ("registry.yakeen.Client", "must be 'sandbox' or 'package.module:ClassName'"),
        (":Client", "must be 'sandbox' or 'package.module:ClassName'"),
        ("registry.yakeen:", "must be 'sandbox' or 'package.module:ClassName'"),
        ("no_such_package.yakeen:Client", "cannot import module 'no_such_package.yakeen'"),
        (f"{HERE}:Missing", f"module {HERE!r} has no 'Missing'"),
        (f"{HERE}:NOT_A_CLASS", "'NOT_A_CLASS' is not a class"),
        (f"{HERE}:NotARegistry", "NotARegistry does not implement lookup() and all_records()"),
        (f"{HERE}:NeedsAUrl", "could not be constructed: KeyError: 'GATEWAY_REGISTRY_URL is not set'"),
    ],
)
def test_a_bad_adapter_setting_is_a_config_error(value: str, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_registry_adapter({"GATEWAY_REGISTRY_ADAPTER": value})
    message = str(caught.value)
    assert message.startswith(f"GATEWAY_REGISTRY_ADAPTER={value!r}: ")
    assert expected in message


def test_an_adapter_refusing_its_configuration_says_so_itself() -> None:
    with pytest.raises(ConfigError, match=r"^GATEWAY_YAKEEN_TOKEN is required$"):
        load_registry_adapter({"GATEWAY_REGISTRY_ADAPTER": f"{HERE}:RefusesItsConfig"})


def test_an_outage_is_not_an_unknown_person() -> None:
    adapter = load_registry_adapter({"GATEWAY_REGISTRY_ADAPTER": f"{HERE}:DownRegistry"})
    with pytest.raises(RegistryUnavailable, match="503"):
        adapter.lookup("1000000008")
