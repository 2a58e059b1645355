"""Reference numbers: readable, unambiguous, and found however a person types them."""

from __future__ import annotations

import re

from bawaba_sdk import Program, Service, TranslationDomain
from gateway.applications import ALPHABET, new_reference, normalise_reference, reference_prefix
from tests.sample_plugins import workflow_probe as probe


def test_the_alphabet_is_crockford_base32_without_ambiguous_letters() -> None:
    assert len(ALPHABET) == len(set(ALPHABET)) == 32
    assert not set("ILOU") & set(ALPHABET)
    assert ALPHABET == "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def test_a_reference_is_the_prefix_a_dash_and_eight_random_characters() -> None:
    references = {new_reference("PRB") for _ in range(500)}
    assert len(references) == 500
    for reference in references:
        assert re.fullmatch(r"PRB-[0-9A-HJKMNP-TV-Z]{8}", reference), reference
    used = set("".join(reference[4:] for reference in references))
    assert used <= set(ALPHABET) and len(used) > 25


def test_the_prefix_comes_from_the_service_or_the_program_slug() -> None:
    assert reference_prefix(probe.PROGRAM, probe.PERMIT) == "PRB"
    assert reference_prefix(probe.PROGRAM, probe.NOTE) == "PRO"
    odd = Program(slug="x_1", name="X", summary=".", translations=TranslationDomain(".", "x"))
    assert reference_prefix(odd, Service(slug="s1", name="S", summary=".")) == "APP"


def test_typed_references_are_normalised() -> None:
    assert normalise_reference("MSN-7KQ2X9PB") == "MSN-7KQ2X9PB"
    assert normalise_reference("  msn-7kq2x9pb ") == "MSN-7KQ2X9PB"
    assert normalise_reference("MSN-٧KQ٢X٩PB") == "MSN-7KQ2X9PB"
    assert normalise_reference("MSN\u2013\u200f7KQ2X9PB") == "MSN-7KQ2X9PB"
    assert normalise_reference("GOS-OOIL0000") == "GOS-00110000", "O, I and L in the code are read as digits"


def test_things_that_are_not_references_are_refused() -> None:
    for typed in (
        "",
        "MSN",
        "MSN-",
        "MSN-7KQ2X9P",
        "MSN-7KQ2X9PBB",
        "M-7KQ2X9PB",
        "MSN-7KQ2X9P!",
        "MSN-7KQ2X9PU",
        "<script>-7KQ2X9PB",
        "MSN-7KQ2X9PB" * 10,
        "123-7KQ2X9PB",
    ):
        assert normalise_reference(typed) is None, typed
