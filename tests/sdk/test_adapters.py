"""``sdk.AdapterChoice``: a plugin's outside system chosen by a setting, as the host chooses its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

import pytest

import bawaba_sdk as sdk
from bawaba_sdk.testing.adapters import adapter_problems


class Greeter(Protocol):
    def greet(self, name: str) -> str: ...


class Sandbox:
    def __init__(self, settings: Mapping[str, Any]) -> None:
        self.prefix = settings.get("prefix", "Hello")

    def greet(self, name: str) -> str:
        return f"{self.prefix} {name}"


class Silent:
    """Lacks the protocol's method."""

    def __init__(self, settings: Mapping[str, Any]) -> None:
        pass


class Misnamed:
    def __init__(self, settings: Mapping[str, Any]) -> None:
        pass

    def greet(self, person: str) -> str:
        return person


class Broken:
    def __init__(self, settings: Mapping[str, Any]) -> None:
        raise sdk.SettingError("greeter_url must be set")


def choice(**implementations: Any) -> sdk.AdapterChoice[Greeter]:
    return sdk.AdapterChoice(
        name="greeter",
        protocol=Greeter,
        implementations={"sandbox": Sandbox, **implementations},
        default="sandbox",
        help="Who greets.",
    )


def test_the_setting_defaults_to_the_sandbox_and_builds_it_with_the_settings() -> None:
    greeter = choice()
    setting = greeter.setting()

    assert (setting.name, setting.default) == ("greeter_adapter", "sandbox")
    assert greeter.build({"prefix": "Marhaba"}).greet("Noura") == "Marhaba Noura"


def test_a_class_is_named_by_its_import_path() -> None:
    built = choice().build({"greeter_adapter": "tests.sdk.test_adapters:Sandbox"})

    assert type(built).__name__ == "Sandbox" and built.greet("Ali") == "Hello Ali"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("live", "must be one of sandbox or 'package.module:ClassName'"),
        ("no_such_module:Thing", "cannot import module 'no_such_module'"),
        ("tests.sdk.test_adapters:Nothing", "has no class 'Nothing'"),
    ],
)
def test_a_wrong_choice_is_refused_saying_why(value: str, message: str) -> None:
    with pytest.raises(sdk.SettingError) as refused:
        choice().setting().parse(value)

    assert message in str(refused.value) and "greeter_adapter" in str(refused.value)


def test_an_implementation_lacking_a_method_or_failing_to_build_is_refused() -> None:
    greeter = choice(silent=Silent, broken=Broken)

    with pytest.raises(sdk.SettingError, match="lacks greet"):
        greeter.build({"greeter_adapter": "silent"})
    with pytest.raises(sdk.SettingError, match="greeter_url must be set"):
        greeter.build({"greeter_adapter": "broken"})


def test_the_default_must_be_an_implementation() -> None:
    with pytest.raises(sdk.SettingError, match="default"):
        sdk.AdapterChoice(name="x", protocol=Greeter, implementations={"a": Sandbox}, default="b", help="")


def test_current_is_built_once_per_portal(make_portal: Callable[..., Any]) -> None:
    greeter = choice()
    first, second = make_portal(plugins="gosi"), make_portal(plugins="gosi")

    with first.test_request_context("/"):
        one = greeter.current("gosi")
        assert greeter.current("gosi") is one
    with second.test_request_context("/"):
        assert greeter.current("gosi") is not one


def test_the_kit_finds_implementations_that_break_the_protocol() -> None:
    problems = adapter_problems(choice(silent=Silent, misnamed=Misnamed))

    assert problems == [
        "greeter/silent: greeter_adapter='silent': lacks greet",
        "greeter/misnamed.greet: takes ['person'], the protocol says ['name']",
    ]
    assert adapter_problems(choice()) == []
