"""A program's dated parameters in the host: overrides by setting, the boot's checks, the SDK accessor."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from flask import Flask

import bawaba_sdk as sdk
from gateway import ConfigError
from gateway.plugin_manager import PluginStatus
from tests.sample_plugins.allowance import plugin as allowance

Build = Callable[..., Flask]


def parameters_of(app: Flask) -> sdk.ParameterSet:
    with app.test_request_context("/"):
        return sdk.plugin_parameters("allowance")


def test_a_plugin_reads_its_published_parameters_through_the_sdk(allowance_app: Build) -> None:
    parameters = parameters_of(allowance_app())

    assert parameters.at(date(2023, 6, 1))["allowance.base"].value == Decimal(800)
    in_force = parameters.at(date(2026, 12, 1))["allowance.base"]
    assert (in_force.value, in_force.effective_from, in_force.source) == (
        Decimal(1000),
        date(2024, 1, 1),
        "Ministerial decision 2023/45",
    )
    assert in_force.overridden_by == ""


def test_an_operator_overrides_a_value_from_a_day_and_the_history_stays(allowance_app: Build) -> None:
    app = allowance_app(ALLOWANCE_P_ALLOWANCE_BASE="1200@2025-07-01", ALLOWANCE_P_PAID="false")
    parameters = parameters_of(app)

    assert parameters.at(date(2025, 6, 30))["allowance.base"].value == Decimal(1000)
    overridden = parameters.at(date(2025, 7, 1))["allowance.base"]
    assert (overridden.value, overridden.effective_from) == (Decimal(1200), date(2025, 7, 1))
    assert overridden.overridden_by == "GATEWAY_ALLOWANCE_P_ALLOWANCE_BASE"
    assert parameters.at(date(2022, 1, 1))["allowance.base"].value == Decimal(800)
    assert parameters.at(date(2026, 1, 1))["allowance.paid"].value is False  # its own setting name, p_paid


def test_an_override_is_read_from_the_environment_too(allowance_app: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_ALLOWANCE_P_ABROAD_MAX_MONTHS", "4")
    assert parameters_of(allowance_app()).at(date(2026, 1, 1))["abroad.max_months"].value == 4


def test_an_empty_override_means_not_set(allowance_app: Build) -> None:
    parameters = parameters_of(allowance_app(ALLOWANCE_P_ALLOWANCE_CAP=""))
    assert parameters.at(date(2026, 1, 1))["allowance.cap"].value == Decimal(2500)


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("ALLOWANCE_P_ALLOWANCE_BASE", "a lot", "expected a number"),
        ("ALLOWANCE_P_ALLOWANCE_BASE", "1200@2025-13-01", "YYYY-MM-DD"),
        ("ALLOWANCE_P_ALLOWANCE_CAP", "-5", "negative"),
        ("ALLOWANCE_P_ABROAD_MAX_MONTHS", "2.5", "whole number"),
        ("ALLOWANCE_P_PAID", "1", "flag"),
        ("ALLOWANCE_P_ALLOWANCE_PER_CHILD", "true", "needs a number"),
    ],
)
def test_a_bad_override_stops_the_boot_naming_the_variable(
    allowance_app: Build, key: str, value: str, message: str
) -> None:
    with pytest.raises(ConfigError) as refused:
        allowance_app(**{key: value})
    assert f"GATEWAY_{key}" in str(refused.value)
    assert message in str(refused.value)


def test_bad_overrides_and_bad_settings_are_reported_together(allowance_app: Build) -> None:
    with pytest.raises(ConfigError) as refused:
        allowance_app(ALLOWANCE_P_ALLOWANCE_CAP="x", ALLOWANCE_P_PAID="2", MUSANED_VISA_FEE="free")
    text = str(refused.value)
    assert "GATEWAY_ALLOWANCE_P_ALLOWANCE_CAP" in text and "GATEWAY_ALLOWANCE_P_PAID" in text
    assert "GATEWAY_MUSANED_VISA_FEE" in text


def test_a_plugin_answering_something_else_is_disabled_and_the_others_serve(allowance_app: Build) -> None:
    allowance.PARAMETERS_ANSWER.append({"allowance.base": 800})
    app = allowance_app()
    manager = app.extensions["gateway"].plugins

    assert manager.records["allowance"].status is PluginStatus.FAILED
    assert "gateway_register_parameters must return an sdk.ParameterSet" in manager.records["allowance"].reason
    assert manager.records["musaned"].serving
    assert app.test_client().get("/allowance/").status_code == 503
    assert app.test_client().get("/musaned/").status_code == 200


def test_a_plugin_raising_while_declaring_is_disabled(allowance_app: Build) -> None:
    allowance.PARAMETERS_ANSWER.append(sdk.DeclarationError("parameters.toml: 'allowance.base' needs a label"))
    manager = allowance_app().extensions["gateway"].plugins
    assert manager.records["allowance"].status is PluginStatus.FAILED
    assert "raised in gateway_register_parameters: DeclarationError" in manager.records["allowance"].reason


def test_a_program_without_parameters_has_an_empty_set(allowance_app: Build) -> None:
    app = allowance_app()
    with app.test_request_context("/"):
        assert len(sdk.plugin_parameters("musaned")) == 0
        with pytest.raises(KeyError):
            sdk.plugin_parameters("nobody")
