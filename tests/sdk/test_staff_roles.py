"""Staff roles in declarations: a staff move limited to roles, and a program's own roles (SDK 0.6)."""

from __future__ import annotations

from pathlib import Path

import pytest

import bawaba_sdk as sdk

DOMAIN = sdk.TranslationDomain(Path(__file__).parent / "no-translations", "none")


def test_a_staff_move_names_the_roles_that_may_make_it() -> None:
    move = sdk.Transition("home_visit_scheduled", "home_visit_done", "staff", "Record", roles=("field_officer",))

    assert move.roles == ("field_officer",)
    assert sdk.Transition("submitted", "in_review", "staff", "Start").roles == ()


def test_only_a_staff_move_has_roles() -> None:
    with pytest.raises(sdk.DeclarationError, match="only a staff move has roles"):
        sdk.Transition("needs_information", "in_review", "citizen", "Send", roles=("reviewer",))


def test_a_role_is_a_slug() -> None:
    with pytest.raises(sdk.DeclarationError):
        sdk.Transition("submitted", "in_review", "staff", "Start", roles=("Field Officer",))
    with pytest.raises(sdk.DeclarationError):
        sdk.Program(slug="parks", name="Parks", summary="", translations=DOMAIN, staff_roles=(("Ranger!", "x"),))


def test_a_program_declares_its_own_roles_with_labels() -> None:
    program = sdk.Program(
        slug="parks", name="Parks", summary="", translations=DOMAIN, staff_roles=(("ranger", "Ranger"),)
    )

    assert program.staff_roles == (("ranger", "Ranger"),)
