"""The social security sandbox households stand on people of the sandbox registry, as its README says.

The plugin's data file is read as data (host tests do not import plugins):
every head is a person of the registry with the same birth date, a Saudi head
is a citizen, and every dependent is in the head's registry household with the
same birth date, or is a person of the registry.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateway.registry import SandboxRegistry
from gateway.registry.adapter import DEFAULT_SANDBOX_FILE

ROOT = Path(__file__).resolve().parents[2]
HOUSEHOLDS = json.loads(
    (ROOT / "plugins/social_security/bawaba_social_security/data/sandbox_households.json").read_text(encoding="utf-8")
)["households"]
README = (Path(DEFAULT_SANDBOX_FILE).parent / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def registry() -> SandboxRegistry:
    return SandboxRegistry(DEFAULT_SANDBOX_FILE)


@pytest.mark.parametrize("household", HOUSEHOLDS, ids=[household["key"] for household in HOUSEHOLDS])
def test_every_household_is_made_of_registry_people(registry: SandboxRegistry, household: dict) -> None:
    head = registry.lookup(household["head"])
    personal = household["profile"]["personal"]

    assert head is not None and personal["id_number"] == head.id_number
    assert personal["birth_date"] == head.birth_date.isoformat()
    assert (personal["nationality"] == "saudi") == (head.nationality == "SA")
    listed = {member.id_number: member for member in head.household}
    for row in household["profile"]["dependents"]["rows"]:
        known = listed.get(row["id_number"]) or registry.lookup(row["id_number"])
        assert known is not None, row["id_number"]
        assert known.birth_date.isoformat() == row["birth_date"], row["id_number"]


def test_the_readme_names_the_people_added_for_social_security(registry: SandboxRegistry) -> None:
    for id_number in ("1070000094", "2070000126", "1070000169", "1070000177", "1070000201"):
        person = registry.lookup(id_number)
        assert person is not None and person.account_active and person.monthly_income is None
        assert f"`{id_number}` | {person.full_name_en} / {person.full_name_ar}" in README
