"""The text carrying a code: the code first, the purpose named, in the person's language."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import flask
import pytest

from gateway.otp import code_message, code_subject, webotp_host_from_config


@pytest.fixture
def portal_app(make_app: Callable[..., flask.Flask]) -> Iterator[flask.Flask]:
    """The real portal (host catalogue, default settings: Arabic first, 5-minute codes), in an app context."""
    app = make_app(PLUGINS="", migrate_database=False)
    with app.app_context():
        yield app


@pytest.mark.parametrize(
    ("purpose", "english", "arabic"),
    [
        ("registration", "483920 is your Bawaba registration code.", "483920 هو رمز التسجيل في بوابة."),
        ("sign_in", "483920 is your Bawaba sign-in code.", "483920 هو رمز الدخول إلى بوابة."),
        ("password_reset", "483920 is your Bawaba password reset code.", "483920 هو رمز إعادة تعيين كلمة المرور"),
        ("contact_change", "483920 is your Bawaba code to confirm your new contact details.", "483920 هو رمز تأكيد"),
        ("program_consent", "483920 is your Bawaba verification code.", "483920 هو رمز التحقق في بوابة."),
    ],
)
def test_the_code_comes_first_with_the_purpose_named(
    portal_app: flask.Flask, purpose: str, english: str, arabic: str
) -> None:
    in_english = code_message("483920", purpose, "en")
    assert in_english.startswith(english)
    assert "It expires in 5 minutes." in in_english
    assert "Never share it with anyone" in in_english
    in_arabic = code_message("483920", purpose, "ar")
    assert in_arabic.startswith(arabic)
    assert "تنتهي صلاحيته خلال 5 دقائق." in in_arabic
    assert "لا تشاركه" in in_arabic
    assert "\n" not in in_arabic  # no WebOTP line unless asked for


def test_an_arabic_sms_reads_in_full_from_the_host_catalogue(portal_app: flask.Flask) -> None:
    assert code_message("483920", "sign_in", "ar", webotp_host="portal.example") == (
        "483920 هو رمز الدخول إلى بوابة. تنتهي صلاحيته خلال 5 دقائق. "
        "لا تشاركه مع أي أحد؛ موظفو بوابة لن يطلبوه منك أبدًا. "
        "إن لم تكن أنت من يسجّل الدخول فغيّر كلمة المرور الآن."
        "\n\n@portal.example #483920"
    )
    assert code_message("483920", "password_reset", "ar").endswith(
        "إن لم تطلب إعادة تعيين كلمة المرور فتجاهل هذه الرسالة."
    )
    assert code_message("483920", "contact_change", "ar").endswith("إن لم تطلب هذا التغيير فتجاهل هذه الرسالة.")
    assert code_subject("contact_change", "ar") == "تأكيد بيانات التواصل الجديدة في بوابة"


def test_unexpected_codes_are_warned_about_where_it_matters(portal_app: flask.Flask) -> None:
    assert "change your password now" in code_message("123456", "sign_in", "en")
    assert "ignore this message" in code_message("123456", "password_reset", "en")
    assert "فغيّر كلمة المرور الآن" in code_message("123456", "sign_in", "ar")
    assert "If you" not in code_message("123456", "registration", "en")


@pytest.mark.parametrize(
    ("minutes", "english", "arabic"),
    [
        (1, "It expires in 1 minute.", "خلال دقيقة واحدة."),
        (2, "It expires in 2 minutes.", "خلال دقيقتين."),
        (10, "It expires in 10 minutes.", "خلال 10 دقائق."),
        (15, "It is valid for 15 minutes.", "صالح لمدة 15 دقيقة."),
    ],
)
def test_the_validity_reads_well_for_every_length(
    portal_app: flask.Flask, minutes: int, english: str, arabic: str
) -> None:
    assert english in code_message("123456", "sign_in", "en", valid_minutes=minutes)
    assert arabic in code_message("123456", "sign_in", "ar", valid_minutes=minutes)


def test_the_validity_follows_the_configured_ttl(portal_app: flask.Flask) -> None:
    portal_app.config["GATEWAY_OTP_TTL_SECONDS"] = 150  # rounded down: never promise more than the code has
    assert "It expires in 2 minutes." in code_message("123456", "sign_in", "en")


def test_the_webotp_line_names_only_the_configured_public_host(portal_app: flask.Flask) -> None:
    host = webotp_host_from_config({"GATEWAY_OIDC_ISSUER": "https://Portal.Example/"})
    assert host == "portal.example"
    message = code_message("483920", "sign_in", "ar", webotp_host=host)
    assert message.splitlines()[-1] == "@portal.example #483920"
    assert message.startswith("483920 ")
    assert webotp_host_from_config({"GATEWAY_OIDC_ISSUER": None}) is None
    assert webotp_host_from_config({}) is None
    assert webotp_host_from_config({"GATEWAY_OIDC_ISSUER": "http://portal.example"}) is None
    assert webotp_host_from_config({"GATEWAY_OIDC_ISSUER": "https://portal.example:8443"}) is None
    assert webotp_host_from_config({"GATEWAY_OIDC_ISSUER": "https://portal.example:443/oidc"}) == "portal.example"
    with pytest.raises(ValueError, match="host name"):
        code_message("483920", "sign_in", "en", webotp_host="evil.example/#")


def test_subjects_name_the_purpose_without_the_code(portal_app: flask.Flask) -> None:
    assert code_subject("sign_in", "en") == "Your Bawaba sign-in code"
    assert code_subject("password_reset", "ar") == "رمز إعادة تعيين كلمة المرور في بوابة"
    assert code_subject("something_else", "en") == "Your Bawaba verification code"


def test_an_unknown_language_falls_back_and_a_bad_code_is_refused(portal_app: flask.Flask) -> None:
    assert code_message("123456", "sign_in", "en-GB").startswith("123456 is your")
    assert code_message("123456", "sign_in", "ar_SA").startswith("123456 هو")
    assert code_message("123456", "sign_in", "fr").startswith("123456 هو")  # Arabic first
    portal_app.config["GATEWAY_DEFAULT_LANGUAGE"] = "en"
    assert code_message("123456", "sign_in", "fr").startswith("123456 is your")  # or the portal's default
    with pytest.raises(ValueError, match="ASCII digits"):
        code_message("١٢٣٤٥٦", "sign_in", "ar")


def test_inside_the_portal_the_message_uses_the_portal_config(make_app: Callable[..., flask.Flask]) -> None:
    app = make_app(PLUGINS="", OTP_TTL_SECONDS=180)
    with app.app_context():
        assert code_message("123456", "registration", "en").startswith(
            "123456 is your Bawaba registration code. It expires in 3 minutes."
        )
