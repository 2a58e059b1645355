"""A program used only by the standing-records tests: a household's record in two sections.

``home`` says how the household lives (a rent is required for a rented home,
checked by the record's ``validate``); ``members`` lists the other members by
ID number, each of whom must be known to the registry and may be in only one
household (the host's members index). ``VALIDATE_RAISES`` makes ``validate``
fail as an unreachable registry would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

import bawaba_sdk as sdk
from bawaba_sdk.forms import NationalIdField, SarAmountField, Schema, field, fields, validate

translations = sdk.TranslationDomain(Path(__file__).parent / "translations", "tenancy")

KINDS = (("owned", "Owned"), ("rented", "Rented"))
RELATIONSHIPS = (("spouse", "Spouse"), ("child", "Child"), ("other", "Other"))


class HomeSchema(Schema):
    full_name = fields.String(metadata=field(label="Your name", prefill="first_name_en"))
    kind = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in KINDS]),
        metadata=field(label="Your home is", widget="radio", choices=KINDS),
    )
    rent = SarAmountField(load_default=None, metadata=field(label="Yearly rent"))


class MemberSchema(Schema):
    id_number = NationalIdField(required=True, metadata=field(label="ID number"))
    relationship = fields.String(
        required=True,
        validate=validate.OneOf([value for value, _label in RELATIONSHIPS]),
        metadata=field(label="Relationship", choices=RELATIONSHIPS),
    )


class MembersSchema(Schema):
    rows = fields.List(
        fields.Nested(MemberSchema), load_default=list, metadata=field(label="Other members", widget="group")
    )


VALIDATE_RAISES: list[Exception] = []
RECORDS_ANSWER: list[Any] = []
"""When not empty, ``gateway_register_records`` answers its first item instead of the household record."""


def member_ids(data: Mapping[str, Any]) -> Iterable[str]:
    return [row["id_number"] for row in (data.get("members") or {}).get("rows", [])]


def check_section(
    section: str, data: Mapping[str, Any], record_data: Mapping[str, Any], person: sdk.PersonView
) -> dict[str, str]:
    if VALIDATE_RAISES:
        raise VALIDATE_RAISES[0]
    problems: dict[str, str] = {}
    if section == "home" and data.get("kind") == "rented" and not data.get("rent"):
        problems["rent"] = "Enter the rent of a rented home."
    if section == "members":
        for index, row in enumerate(data.get("rows", [])):
            if row["id_number"] == person.id_number:
                problems[f"rows-{index}-id_number"] = "You are the head of the household; list the others."
            elif sdk.current_host().registry_standing(row["id_number"]) is None:
                problems[f"rows-{index}-id_number"] = "The registry does not know this ID number."
    return problems


HOUSEHOLD = sdk.StandingRecord(
    name="household",
    title="Household record",
    summary="Who lives in your home and how.",
    owner="household",
    sections=(
        sdk.FormStep("home", "Your home", HomeSchema),
        sdk.FormStep("members", "Members", MembersSchema),
    ),
    validate=check_section,
    members=member_ids,
)

RUNS: list[tuple[datetime, str]] = []
"""Each run of the ``census`` job: its slot and the schedule it read from the plugin's settings."""


def census(slot: datetime) -> None:
    """Note the slot once (a repeated slot is not noted again), reading the settings as real work would."""
    if any(seen == slot for seen, _schedule in RUNS):
        return
    RUNS.append((slot, str(sdk.plugin_settings("tenancy")["census_schedule"])))


JOBS_ANSWER: list[Any] = []
"""When not empty, ``gateway_register_jobs`` answers its first item instead of the census."""

CENSUS = sdk.ScheduledJob(name="census", run=census, setting="census_schedule", description="count households")

PROGRAM = sdk.Program(slug="tenancy", name="Tenancy", summary="Housing support.", translations=translations)


@sdk.hookimpl
def gateway_register_program() -> sdk.Program:
    return PROGRAM


@sdk.hookimpl
def gateway_register_records() -> Any:
    return RECORDS_ANSWER[0] if RECORDS_ANSWER else [HOUSEHOLD]


@sdk.hookimpl
def gateway_register_settings() -> list[sdk.Setting]:
    return [sdk.Setting("census_schedule", "0 4 1 * *", sdk.parse_text, "When the census runs (crontab, UTC).")]


@sdk.hookimpl
def gateway_register_jobs() -> Any:
    return JOBS_ANSWER[0] if JOBS_ANSWER else [CENSUS]
