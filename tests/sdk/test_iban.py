"""Saudi IBANs: SA and 22 digits, the check digits verified, a message per mistake in both languages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_babel import Babel
from marshmallow import Schema, ValidationError

from bawaba_sdk.forms import SaudiIbanField
from bawaba_sdk.validators import InvalidValue, is_valid_saudi_iban, make_saudi_iban, parse_saudi_iban

GOOD = "SA0380000000608010167519"  # the published example of a Saudi IBAN


@pytest.mark.parametrize(
    "typed",
    [GOOD, "sa03 8000 0000 6080 1016 7519", "SA03-8000-0000-6080-1016-7519", "SA٠٣٨٠٠٠٠٠٠٠٦٠٨٠١٠١٦٧٥١٩"],
)
def test_a_valid_iban_in_any_common_form_is_normalised(typed: str) -> None:
    assert parse_saudi_iban(typed) == GOOD


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("", "iban.empty"),
        ("GB29NWBK60161331926819", "iban.country"),  # a valid British IBAN
        ("SA038000000060801016751", "iban.length"),
        ("SA03800000006080101675199", "iban.length"),
        ("SA03800000006080101675AB", "iban.characters"),
        ("SA0480000000608010167519", "iban.check_digits"),  # wrong check digits
        ("SA0380000000608010167591", "iban.check_digits"),  # two digits swapped
    ],
)
def test_each_mistake_has_its_own_code(typed: str, code: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        parse_saudi_iban(typed)

    assert refused.value.code == code
    assert not is_valid_saudi_iban(typed)


def test_make_gives_ibans_that_pass() -> None:
    for account in ("80000000608010167519", "10000000000000000001", "05000068201234567890"):
        assert parse_saudi_iban(make_saudi_iban(account)) == make_saudi_iban(account)
    with pytest.raises(ValueError, match="20 digits"):
        make_saudi_iban("123")


def test_the_field_loads_and_names_the_mistake() -> None:
    class Payment(Schema):
        iban = SaudiIbanField(required=True)

    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        assert Payment().load({"iban": "sa03 8000 0000 6080 1016 7519"}) == {"iban": GOOD}
        with pytest.raises(ValidationError) as refused:
            Payment().load({"iban": "GB29NWBK60161331926819"})
        assert "starts with SA" in refused.value.messages["iban"][0]
