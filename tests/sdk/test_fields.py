"""Marshmallow fields: normalised values in, translated field errors out."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import flask
import pytest
from flask_babel import Babel, force_locale
from marshmallow import Schema, ValidationError

from bawaba_sdk.fields import (
    GregorianDateField,
    HijriDateField,
    NationalIdField,
    SarAmountField,
    SaudiMobileField,
)
from bawaba_sdk.validators import HijriDate, IdType, NationalId

HOST_TRANSLATIONS = Path(__file__).resolve().parents[2] / "gateway" / "translations"
"""The host's real catalogue folder: the SDK's messages are translated there (domain "messages").

Read by path, never imported: the SDK itself must not depend on the host.
"""


class ApplicationSchema(Schema):
    national_id = NationalIdField(required=True)
    mobile = SaudiMobileField(required=True)
    birth_date_hijri = HijriDateField()
    visa_date = GregorianDateField()
    fee = SarAmountField(maximum=Decimal("10000"))


class CitizenOnlySchema(Schema):
    national_id = NationalIdField(id_type=IdType.CITIZEN, required=True)


@pytest.fixture
def app() -> Iterator[flask.Flask]:
    """A bare Flask app translating with the host's real, compiled Arabic catalogue."""
    assert (HOST_TRANSLATIONS / "ar" / "LC_MESSAGES" / "messages.mo").is_file()
    app = flask.Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(HOST_TRANSLATIONS)
    Babel(app, default_locale="en")
    with app.test_request_context():
        yield app


def test_valid_payload_is_normalised(app: flask.Flask) -> None:
    loaded = ApplicationSchema().load(
        {
            "national_id": "١٠١٢ ٣٤٥ ٦٧٢",
            "mobile": "٠٥٠-١٢٣-٤٥٦٧",
            "birth_date_hijri": "٠١/٠٩/١٤٤٥",
            "visa_date": "11/03/2024",
            "fee": "٢٬٠٠٠ ر.س",
        }
    )
    assert loaded == {
        "national_id": "1012345672",
        "mobile": "+966501234567",
        "birth_date_hijri": HijriDate(1445, 9, 1),
        "visa_date": datetime.date(2024, 3, 11),
        "fee": Decimal("2000.00"),
    }


def test_every_bad_value_is_a_field_error_not_an_exception(app: flask.Flask) -> None:
    payload = {
        "national_id": "1012345673",
        "mobile": "0114123456",
        "birth_date_hijri": "30/09/1444",
        "visa_date": "31/04/2024",
        "fee": "20000",
    }
    with pytest.raises(ValidationError) as caught:
        ApplicationSchema().load(payload)
    errors = caught.value.messages_dict
    assert set(errors) == set(payload)
    assert errors["national_id"] == ["This ID number is not valid. Please check that every digit is correct."]
    assert errors["mobile"] == ["This is a landline number. Enter a mobile number starting with 05."]
    assert errors["birth_date_hijri"] == ["Day 30 does not exist in month 9 of 1444 AH; that month has 29 days."]
    assert errors["visa_date"] == ["Day 31 does not exist in month 4 of 2024; that month has 30 days."]
    assert errors["fee"] == ["The amount cannot be more than 10,000.00 SAR."]
    # Plain strings, so the error dict can go straight into a JSON response.
    assert all(type(message) is str for messages in errors.values() for message in messages)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("national_id", ["1012345672"]),
        ("national_id", {"id": 1}),
        ("mobile", 501234567),
        ("birth_date_hijri", 14450901),
        ("visa_date", 3.5),
        ("fee", {"amount": 1}),
    ],
)
def test_wrong_json_types_are_field_errors(app: flask.Flask, field: str, value: object) -> None:
    payload: dict[str, object] = {"national_id": "1012345672", "mobile": "0501234567", field: value}
    with pytest.raises(ValidationError) as caught:
        ApplicationSchema().load(payload)
    assert list(caught.value.messages_dict) == [field]


def test_national_id_may_arrive_as_json_number(app: flask.Flask) -> None:
    loaded = ApplicationSchema().load({"national_id": 1012345672, "mobile": "0501234567"})
    assert loaded["national_id"] == "1012345672"


def test_error_carries_machine_readable_code(app: flask.Flask) -> None:
    with pytest.raises(ValidationError) as caught:
        NationalIdField().deserialize("3012345672")
    assert caught.value.kwargs == {"code": "national_id.first_digit"}


def test_id_type_restriction(app: flask.Flask) -> None:
    assert CitizenOnlySchema().load({"national_id": "1012345672"}) == {"national_id": "1012345672"}
    with pytest.raises(ValidationError) as caught:
        CitizenOnlySchema().load({"national_id": "2123456788"})
    assert caught.value.messages == {
        "national_id": ["Enter a national ID number (it starts with 1); iqama numbers are not accepted here."]
    }
    with pytest.raises(ValueError, match="nobody"):
        NationalIdField(id_type="nobody")


def test_messages_can_be_overridden_by_code(app: flask.Flask) -> None:
    field = NationalIdField(error_messages={"national_id.check_digit": "Custom wording."})
    with pytest.raises(ValidationError) as caught:
        field.deserialize("1012345673")
    assert caught.value.messages == ["Custom wording."]


def test_marshmallow_none_and_required_still_apply(app: flask.Flask) -> None:
    with pytest.raises(ValidationError) as caught:
        ApplicationSchema().load({"mobile": "0501234567"})
    assert "national_id" in caught.value.messages_dict
    assert SarAmountField(allow_none=True).deserialize(None) is None


def test_messages_are_translated_in_the_request_locale(app: flask.Flask) -> None:
    # The same field instance answers in whichever language is active when
    # load() runs: messages are resolved at raise time, not at import time.
    schema = ApplicationSchema()
    payload = {"national_id": "1012345673", "mobile": "+971501234567", "fee": "-1"}
    with force_locale("ar"), pytest.raises(ValidationError) as arabic:
        schema.load(payload)
    with force_locale("en"), pytest.raises(ValidationError) as english:
        schema.load(payload)
    assert arabic.value.messages == {
        "national_id": ["رقم الهوية غير صحيح. يرجى التأكد من إدخال جميع الأرقام بشكل صحيح."],
        "mobile": ["أدخل رقم جوال سعودي (يبدأ بـ 05 أو \u200e+966 5)."],
        "fee": ["لا يمكن أن يكون المبلغ سالبًا."],
    }
    assert english.value.messages_dict["fee"] == ["The amount cannot be negative."]


def test_every_field_error_comes_out_in_arabic(app: flask.Flask) -> None:
    payload = {
        "national_id": "1012345673",
        "mobile": "0114123456",
        "birth_date_hijri": "30/09/1444",
        "visa_date": "31/04/2024",
        "fee": "20000",
    }
    with force_locale("ar"), pytest.raises(ValidationError) as caught:
        ApplicationSchema().load(payload)
    assert caught.value.messages_dict == {
        "national_id": ["رقم الهوية غير صحيح. يرجى التأكد من إدخال جميع الأرقام بشكل صحيح."],
        "mobile": ["هذا رقم هاتف ثابت. أدخل رقم جوال يبدأ بـ 05."],
        "birth_date_hijri": ["اليوم 30 غير موجود في الشهر 9 من عام 1444 هـ؛ عدد أيام هذا الشهر 29 يومًا."],
        "visa_date": ["اليوم 31 غير موجود في الشهر 4 من عام 2024 م؛ عدد أيام هذا الشهر 30 يومًا."],
        "fee": ["لا يمكن أن يتجاوز المبلغ 10,000.00 ريال سعودي."],
    }
    with force_locale("ar"), pytest.raises(ValidationError) as citizen_only:
        CitizenOnlySchema().load({"national_id": "2123456788"})
    assert citizen_only.value.messages == {
        "national_id": ["أدخل رقم الهوية الوطنية (يبدأ بالرقم 1)؛ لا يُقبل رقم الإقامة هنا."]
    }


def test_placeholders_are_filled_in_arabic(app: flask.Flask) -> None:
    with force_locale("ar"), pytest.raises(ValidationError) as caught:
        HijriDateField().deserialize("١٤٤٤-٠٩-٣٠")
    assert caught.value.messages == ["اليوم 30 غير موجود في الشهر 9 من عام 1444 هـ؛ عدد أيام هذا الشهر 29 يومًا."]


def test_serialisation() -> None:
    class DumpSchema(Schema):
        national_id = NationalIdField()
        mobile = SaudiMobileField()
        birth_hijri = HijriDateField()
        birth_from_gregorian = HijriDateField()
        visa_date = GregorianDateField()
        fee = SarAmountField()

    dumped = DumpSchema().dump(
        {
            "national_id": NationalId("1012345672", IdType.CITIZEN),
            "mobile": "+966501234567",
            "birth_hijri": HijriDate(1445, 9, 1),
            "birth_from_gregorian": datetime.date(2024, 7, 7),
            "visa_date": datetime.datetime(2024, 3, 11, 10, 30),
            "fee": Decimal("2000"),
        }
    )
    assert dumped == {
        "national_id": "1012345672",
        "mobile": "+966501234567",
        "birth_hijri": "1445-09-01",
        "birth_from_gregorian": "1446-01-01",
        "visa_date": "2024-03-11",
        "fee": "2000.00",
    }


def test_round_trip_through_schema(app: flask.Flask) -> None:
    schema = ApplicationSchema()
    data = {
        "national_id": "2123456788",
        "mobile": "+966551234567",
        "birth_date_hijri": "1400-05-12",
        "visa_date": "2025-01-31",
        "fee": "2000.50",
    }
    assert schema.dump(schema.load(data)) == data
