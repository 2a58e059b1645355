"""Dated parameters: values in force on a day, their sources, operators' overrides, and bad files."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

from bawaba_sdk import DatedValue, DeclarationError, ParameterSet, parse_override
from bawaba_sdk.parameters import babel_extract

FILE = """
[minimum.head]
label = "Calculated minimum for the head of household"
unit = "SAR/month"
values = [
  { from = 2021-07-01, value = 1100, source = "Royal order, 2021", url = "https://example.gov.sa/ro-2021" },
  { from = 2023-11-01, value = 1320.00, source = "Royal order announced 2023-10" },
]

[minimum.member]
label = "Calculated minimum for each other member"
unit = "SAR/month"
values = [
  { from = 2021-07-01, value = 550, source = "Royal order, 2021" },
  { from = 2023-11-01, value = 660, source = "Royal order announced 2023-10" },
]

[contribution.annuities_worker]
label = "Annuities contribution of the worker"
help = "Part of the contributory wage the worker pays."
unit = "percent"
setting = "p_annuities_worker"
values = [{ from = 2000-01-01, value = 9, source = "Social Insurance Law" }]

[abroad.max_months]
label = "Most months abroad in the last 12"
unit = "months"
values = [{ from = 2021-07-01, value = 3, source = "Programme rules" }]
"""


@pytest.fixture
def parameters() -> ParameterSet:
    return ParameterSet.from_toml(FILE)


def test_the_value_in_force_on_a_day_with_its_date_and_source(parameters: ParameterSet) -> None:
    before = parameters.at(date(2023, 10, 31))["minimum.head"]
    after = parameters.at(date(2026, 12, 1))["minimum.head"]

    assert (before.value, before.effective_from, before.source) == (
        Decimal(1100),
        date(2021, 7, 1),
        "Royal order, 2021",
    )
    assert before.url == "https://example.gov.sa/ro-2021"
    assert (after.value, after.effective_from) == (Decimal("1320.00"), date(2023, 11, 1))
    assert after.as_dict() == {
        "parameter": "minimum.head",
        "value": "1320.00",
        "unit": "SAR/month",
        "effective_from": "2023-11-01",
        "source": "Royal order announced 2023-10",
        "url": "",
    }


def test_units_give_numbers_of_the_right_kind(parameters: ParameterSet) -> None:
    on = parameters.at(date(2026, 1, 1))
    assert on["abroad.max_months"].value == 3 and isinstance(on["abroad.max_months"].value, int)
    assert on["contribution.annuities_worker"].rate == Decimal("0.09")
    with pytest.raises(TypeError):
        _ = on["minimum.head"].rate


def test_before_the_first_value_there_is_none(parameters: ParameterSet) -> None:
    with pytest.raises(LookupError, match=r"minimum\.head.*2020-01-01"):
        _ = parameters.at(date(2020, 1, 1))["minimum.head"]
    assert "minimum.head" not in list(parameters.at(date(2020, 1, 1)))


def test_an_operator_override_applies_from_its_date_and_names_the_setting(parameters: ParameterSet) -> None:
    overridden = parameters.with_overrides(
        {"p_minimum_head": parse_override("1400@2027-01-01"), "p_minimum_member": None},
        setting_prefix="GATEWAY_SOCIAL_SECURITY_",
    )

    assert overridden.at(date(2026, 12, 31))["minimum.head"].value == Decimal(1320)
    new = overridden.at(date(2027, 1, 1))["minimum.head"]
    assert new.value == Decimal(1400)
    assert new.overridden_by == "GATEWAY_SOCIAL_SECURITY_P_MINIMUM_HEAD"
    assert "operator setting" in new.source
    assert overridden.at(date(2027, 1, 1))["minimum.member"].value == Decimal(660)


def test_an_override_without_a_date_replaces_the_whole_history(parameters: ParameterSet) -> None:
    overridden = parameters.with_overrides(
        {"p_annuities_worker": parse_override("10"), "p_minimum_head": parse_override("1500")}
    )
    assert overridden.at(date(2026, 1, 1))["contribution.annuities_worker"].rate == Decimal("0.10")
    head = overridden["minimum.head"]
    assert [value.value for value in head.values] == [Decimal(1500)]  # a later royal order does not undo it
    assert head.values[0].effective_from == date(2021, 7, 1)


def test_an_override_is_checked_against_the_unit(parameters: ParameterSet) -> None:
    with pytest.raises(ValueError, match="whole number"):
        parameters.with_overrides({"p_abroad_max_months": parse_override("2.5")})


@pytest.mark.parametrize("text", ["abc", "12@2027-13-01", "nan", "inf"])
def test_bad_override_texts_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected|YYYY-MM-DD"):
        parse_override(text)


def test_setting_names(parameters: ParameterSet) -> None:
    names = [name for name, _parameter in parameters.setting_names()]
    assert names == ["p_minimum_head", "p_minimum_member", "p_annuities_worker", "p_abroad_max_months"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[a]\nlabel = "A"\nunit = "SAR"\nvalues = []', "non-empty"),
        ('[a]\nunit = "SAR"\nvalues = [{ from = 2020-01-01, value = 1, source = "s" }]', "label"),
        ('[a]\nlabel = "A"\nunit = "furlongs"\nvalues = [{ from = 2020-01-01, value = 1, source = "s" }]', "unit"),
        ('[a]\nlabel = "A"\nunit = "SAR"\nvalues = [{ from = 2020-01-01, value = 1 }]', "source"),
        ('[a]\nlabel = "A"\nunit = "SAR"\nvalues = [{ from = "2020", value = 1, source = "s" }]', "YYYY-MM-DD"),
        ('[a]\nlabel = "A"\nunit = "SAR"\nvalues = [{ from = 2020-01-01, value = -1, source = "s" }]', "negative"),
        (
            '[a]\nlabel = "A"\nunit = "SAR"\nvalues = [{ from = 2021-01-01, value = 1, source = "s" },'
            ' { from = 2020-01-01, value = 2, source = "s" }]',
            "date order",
        ),
        ('[a.b]\nlabel = "A"\nunit = "flag"\nvalues = [{ from = 2020-01-01, value = 1, source = "s" }]', "flag"),
        ("[a", "TOML"),
    ],
)
def test_a_bad_file_is_refused_naming_the_problem(text: str, message: str) -> None:
    with pytest.raises(DeclarationError, match=message):
        ParameterSet.from_toml(text)


def test_labels_and_help_are_extracted_for_the_catalogue() -> None:
    found = [message for _line, _function, message, _comments in babel_extract(io.BytesIO(FILE.encode()), {}, [], {})]
    assert "Calculated minimum for the head of household" in found
    assert "Part of the contributory wage the worker pays." in found
    assert "Royal order announced 2023-10" in found and found.count("Royal order, 2021") == 1


def test_a_dated_value_is_plain_data() -> None:
    value = DatedValue("k", "K", "flag", True, date(2020, 1, 1), "s")
    assert value.as_dict()["value"] == "true"
    with pytest.raises(TypeError):
        _ = value.decimal
