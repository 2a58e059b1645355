"""Saudi mobile numbers: every common spelling in, E.164 out, non-mobiles refused."""

from __future__ import annotations

from collections.abc import Iterator

import flask
import phonenumbers
import pytest
from flask_babel import Babel

from bawaba_sdk.validators import InvalidValue, is_saudi_mobile, mask_mobile, normalize_saudi_mobile

E164 = "+966501234567"


@pytest.fixture
def app() -> Iterator[flask.Flask]:
    app = flask.Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield app


@pytest.mark.parametrize(
    "value",
    [
        "0501234567",
        "501234567",
        "+966501234567",
        "00966501234567",
        "966501234567",
        "050 123 4567",
        "050-123-4567",
        "+966 50 123 4567",
        "(050) 123-4567",
        "٠٥٠١٢٣٤٥٦٧",  # Arabic-Indic digits
        "+٩٦٦٥٠١٢٣٤٥٦٧",
        "۰۵۰۱۲۳۴۵۶۷",  # Persian digits
        "\u200f0501234567\u200e",  # pasted with bidi marks
        "+966 050 123 4567",  # trunk 0 kept after the country code
    ],
)
def test_accepted_spellings_normalise_to_e164(value: str) -> None:
    assert normalize_saudi_mobile(value) == E164
    assert is_saudi_mobile(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0551234567", "+966551234567"),
        ("0531234567", "+966531234567"),
        ("0591234567", "+966591234567"),
        ("0581234567", "+966581234567"),
    ],
)
def test_other_mobile_prefixes(value: str, expected: str) -> None:
    assert normalize_saudi_mobile(value) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("", "phone.empty"),
        (" - ", "phone.empty"),
        ("050-CALL-NOW", "phone.not_digits"),  # not read as a vanity number
        ("05o1234567", "phone.not_digits"),
        ("0501234567+", "phone.not_digits"),
        ("+971501234567", "phone.foreign"),  # UAE mobile
        ("00971501234567", "phone.foreign"),
        ("+12025550123", "phone.foreign"),
        ("+999123456789", "phone.foreign"),  # no such country code
        ("050123456", "phone.length"),
        ("05012345678", "phone.length"),
        ("05", "phone.length"),
        ("0", "phone.length"),
        ("+966", "phone.length"),
        ("0521234567", "phone.unallocated"),  # 052 is not allocated
        ("0579912345", "phone.unallocated"),  # 0579 is only partly allocated
        ("0114123456", "phone.landline"),  # Riyadh
        ("+966 12 612 3456", "phone.landline"),  # Jeddah
        ("٠١١٤١٢٣٤٥٦", "phone.landline"),
        ("920002866", "phone.not_mobile"),  # Musaned's unified number (shared cost)
        ("8001234567", "phone.not_mobile"),  # toll free
    ],
)
def test_refused_numbers(value: str, code: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        normalize_saudi_mobile(value)
    assert caught.value.code == code
    assert not is_saudi_mobile(value)


@pytest.mark.parametrize("value", [None, 501234567, b"0501234567"])
def test_non_text_is_rejected(value: object) -> None:
    with pytest.raises(InvalidValue) as caught:
        normalize_saudi_mobile(value)  # type: ignore[arg-type]
    assert caught.value.code == "phone.type"


def test_metadata_never_answers_fixed_line_or_mobile() -> None:
    # Why we accept MOBILE only: for SA the metadata separates the two, so
    # FIXED_LINE_OR_MOBILE would never come up. If a metadata update changes
    # that, this test says the rule in phone.py must be revisited.
    supported = phonenumbers.supported_types_for_region("SA")
    assert phonenumbers.PhoneNumberType.MOBILE in supported
    assert phonenumbers.PhoneNumberType.FIXED_LINE in supported
    assert phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE not in supported


def test_messages_are_specific(app: flask.Flask) -> None:
    messages = set()
    for value in ["0114123456", "+971501234567", "0521234567", "920002866", "05"]:
        with pytest.raises(InvalidValue) as caught:
            normalize_saudi_mobile(value)
        messages.add(str(caught.value.message))
    assert len(messages) == 5
    assert "This is a landline number. Enter a mobile number starting with 05." in messages


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("+966501234567", "05••••••67"),
        ("+966559876512", "05••••••12"),
        ("٠٥٥٩٨٧٦٥١٢", "05••••••12"),  # any accepted spelling works
    ],
)
def test_mask_mobile(value: str, masked: str) -> None:
    result = mask_mobile(value)
    assert result == masked
    assert len(result) == 10  # same shape as the national number


def test_mask_mobile_refuses_non_mobile() -> None:
    with pytest.raises(InvalidValue) as caught:
        mask_mobile("+966114123456")
    assert caught.value.code == "phone.landline"
