"""``gateway registry show`` and ``gateway registry list`` through the real ``gateway`` command."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from flask import Flask
from flask.cli import ScriptInfo

from bawaba_sdk.validators import IdType
from gateway.cli import cli
from gateway.registry import RegistryRecord, RegistryUnavailable


class OnePersonRegistry:
    """A stand-in for a real registry: it knows one person and cannot list anyone."""

    def __init__(self, app_config: Mapping[str, Any]) -> None:
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
        raise NotImplementedError


class DownRegistry:
    def __init__(self, app_config: Mapping[str, Any]) -> None:
        pass

    def lookup(self, id_number: str) -> RegistryRecord | None:
        raise RegistryUnavailable("Yakeen answered 503")

    def all_records(self) -> Iterable[RegistryRecord]:
        raise RegistryUnavailable("Yakeen answered 503")


def run(app: Flask, *args: str) -> Result:
    return CliRunner().invoke(cli, ["registry", *args], obj=ScriptInfo(create_app=lambda: app))


def test_show_prints_a_citizen_in_both_languages_and_calendars(app: Flask) -> None:
    result = run(app, "show", "1000000008")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "ID number:           1000000008" in lines
    assert "ID type:             citizen" in lines
    assert "Name (Arabic):       أحمد الزهراني" in lines
    assert "Name (English):      Ahmed Al-Zahrani" in lines
    assert any(line.startswith("Birth date:          1984-03-15 (age ") for line in lines)
    assert "; Hijri 1404-06-13 AH" in result.output
    assert "Nationality:         SA" in lines
    assert "Mobile:              +966501234567" in lines
    assert "Account active:      yes" in lines
    assert "Unpaid violations:   0.00 SAR" in lines
    assert "Monthly income:      18,000.00 SAR" in lines
    assert "Household (4):" in lines
    assert any(line.startswith("  spouse    1000000081  citizen   Noura / نورة, born 1988-07-02") for line in lines)
    assert sum(line.startswith(("  son ", "  daughter ")) for line in lines) == 3


def test_show_accepts_arabic_indic_digits_and_spaces(app: Flask) -> None:
    expected = run(app, "show", "1000000016")
    assert expected.exit_code == 0
    assert "Unpaid violations:   1,250.00 SAR" in expected.output
    for typed in (["١٠٠٠٠٠٠٠١٦"], ["١٠٠٠ ٠٠٠ ٠١٦"], ["1000", "000", "016"], ["۱۰۰۰۰۰۰۰۱۶"]):
        result = run(app, "show", *typed)
        assert result.exit_code == 0, (typed, result.output)
        assert result.output == expected.output


def test_show_a_resident_and_an_inactive_account(app: Flask) -> None:
    result = run(app, "show", "2000000014")
    assert result.exit_code == 0
    assert "ID type:             resident" in result.output
    assert "Name (English):      Maria Santos" in result.output
    assert "Nationality:         PH" in result.output
    assert "Account active:      no" in result.output
    assert "Hijri" not in result.output, "residents' dates are Gregorian"
    assert "Household:           none" in result.output


def test_show_says_when_no_income_is_registered(app: Flask) -> None:
    result = run(app, "show", "2000000048")
    assert result.exit_code == 0, result.output
    assert "Monthly income:      none registered" in result.output.splitlines()


def test_show_an_unknown_id_exits_1(app: Flask) -> None:
    result = run(app, "show", "1000000107")
    assert result.exit_code == 1
    assert "No person with this ID number in the registry" in result.output


def test_show_an_invalid_id_is_a_usage_error(app: Flask) -> None:
    result = run(app, "show", "1000000017")
    assert result.exit_code == 2
    assert "'1000000017' is not a valid ID number (national_id.check_digit)" in result.output
    assert run(app, "show").exit_code == 2


def test_list_prints_one_line_per_person_with_flags(app: Flask) -> None:
    result = run(app, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[-1] == f"{len(lines) - 1} people"
    assert len(lines) - 1 >= 50
    assert lines[0].startswith("1000000008  citizen   SA  Ahmed Al-Zahrani")
    assert lines[0].endswith("[household 4]")
    assert lines[1].endswith("[violations 1,250.00 SAR]")
    assert lines[2].endswith("[inactive]")
    assert lines[7].endswith("[inactive] [violations 6,000.00 SAR]")
    maria = next(line for line in lines if line.startswith("2000000014"))
    assert "resident  PH  Maria Santos" in maria and maria.endswith("[inactive]")
    bilal = next(line for line in lines if line.startswith("2000000030"))
    assert bilal.endswith("Bilal Ahmed"), "no flags, no brackets"


def test_the_commands_follow_the_configured_sandbox_file(make_app: Callable[..., Flask], tmp_path: Path) -> None:
    packaged = json.loads((Path(__file__).parents[2] / "gateway/registry/data/sandbox_people.json").read_text("utf-8"))
    path = tmp_path / "two.json"
    path.write_text(json.dumps({"people": packaged["people"][:2]}, ensure_ascii=False), encoding="utf-8")
    app = make_app(REGISTRY_SANDBOX_FILE=str(path))
    listed = run(app, "list")
    assert listed.output.splitlines()[-1] == "2 people"
    assert run(app, "show", "1000000024").exit_code == 1


def test_a_bad_registry_configuration_is_reported_not_raised(app: Flask, tmp_path: Path) -> None:
    (tmp_path / "bad.json").write_text('{"people": [{"id_number": "1"}]}', encoding="utf-8")
    app.config["GATEWAY_REGISTRY_SANDBOX_FILE"] = str(tmp_path / "bad.json")  # broken after start-up
    result = run(app, "show", "1000000008")
    assert result.exit_code == 1
    assert "is invalid:" in result.output and "person 1: missing" in result.output
    assert "Traceback" not in result.output


def test_a_real_adapter_answers_the_same_commands(make_app: Callable[..., Flask]) -> None:
    app = make_app(REGISTRY_ADAPTER=f"{__name__}:OnePersonRegistry")
    shown = run(app, "show", "1000000107")
    assert shown.exit_code == 0, shown.output
    assert "Name (English):      Salma Al-Haqiqi" in shown.output
    assert run(app, "show", "1000000008").exit_code == 1
    listed = run(app, "list")
    assert listed.exit_code == 1
    assert "This registry cannot list its people" in listed.output


def test_a_registry_outage_is_reported(make_app: Callable[..., Flask]) -> None:
    app = make_app(REGISTRY_ADAPTER=f"{__name__}:DownRegistry")
    for args in (["show", "1000000008"], ["list"]):
        result = run(app, *args)
        assert result.exit_code == 1
        assert "The registry is unavailable: Yakeen answered 503" in result.output
