"""The code-hashing key: real HKDF-SHA256, labelled, and never the secret key itself."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from gateway.otp.keys import OTP_KEY_LABEL, derive_otp_key, hash_code, hkdf_sha256


def test_hkdf_matches_rfc_5869() -> None:
    ikm = bytes([0x0B]) * 22
    case_1 = hkdf_sha256(ikm, salt=bytes(range(0x0D)), info=bytes(range(0xF0, 0xFA)), length=42)
    assert case_1.hex() == ("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")
    case_3 = hkdf_sha256(ikm, info=b"", length=42)
    assert case_3.hex() == ("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")


def test_the_key_is_derived_with_the_documented_label() -> None:
    assert OTP_KEY_LABEL == b"bawaba otp v1"
    key = derive_otp_key("a secret key")
    assert key == hkdf_sha256(b"a secret key", info=b"bawaba otp v1")
    assert len(key) == 32
    assert key != b"a secret key"
    assert derive_otp_key(b"a secret key") == key
    assert derive_otp_key("another secret key") != key
    with pytest.raises(ValueError, match="secret key"):
        derive_otp_key("")


def test_the_hash_is_hmac_sha256_of_purpose_flow_and_code() -> None:
    key = derive_otp_key("a secret key")
    expected = hmac.new(key, b"sign_in\nflow-1\n123456", hashlib.sha256).hexdigest()
    assert hash_code(key, purpose="sign_in", flow_id="flow-1", code="123456") == expected
    with pytest.raises(ValueError, match="newline"):
        hash_code(key, purpose="sign_in", flow_id="flow\n1", code="123456")
