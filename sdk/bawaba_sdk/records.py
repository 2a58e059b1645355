"""Standing records: what a person or household tells a program once and keeps up to date.

An application is made once and then moves through a workflow; a standing
record (a household's unified profile, a business's register entry) stays,
and is changed over the years. A plugin declares one as a
:class:`StandingRecord` whose sections are the forms engine's own
:class:`sdk.FormStep` schemas, returned from ``gateway_register_records``.
The host then gives every owner:

- pages under ``/records/<program>/<name>/`` to edit each section, saved in a
  draft as the person goes (the same widgets, checks and messages as a
  service's form), and a confirm step that checks every section again;
- a version per confirmation (the data as JSON, who confirmed it, when, and
  which fields changed since the last one), never changed afterwards;
- ``current_record``, ``confirmed_version`` and ``freeze`` for the plugin's
  own code: an assessment reads the confirmed version, an application stores
  the id of the version it was made from (``freeze``) so a later change of
  the record never changes what was applied for.

A record may cover other people (a household's members): ``members`` names
their ID numbers, and the host keeps an index of every confirmed record's
owner and members, refusing to list anyone in two records of the same kind
(a person cannot be a member of two households)::

    PROFILE = sdk.StandingRecord(
        name="profile",
        title=_l("Unified profile"),
        sections=(sdk.FormStep("housing", _l("Housing"), HousingSchema), ...),
        members=lambda data: [row["id_number"] for row in data.get("dependents", {}).get("rows", [])],
        validate=check_profile_section,
    )

    @hookimpl
    def gateway_register_records(program):
        return [PROFILE]

    version = sdk.confirmed_version("social_security", "profile")
    if version is not None:
        assess(version.data)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .host import current_host
from .i18n import LocalText
from .program import DeclarationError, FormStep, check_slug

if TYPE_CHECKING:
    from .identity import PersonView

SectionCheck = Callable[[str, Mapping[str, Any], Mapping[str, Any], "PersonView"], Mapping[str, LocalText] | None]
"""``validate(section_slug, data, record_data, person)``: problems by field id (``"rows-0-id_number"``), or none.

Called after the section's schema accepted ``data``, with the record's other
sections as saved so far (``record_data``, section slug -> answers), when a
section is saved and again for every section on confirmation. Ask outside
systems here (``sdk.registry_standing``); raise ``sdk.RegistryUnavailable``
when they cannot answer, and the person is told to try again later.
"""

MembersOf = Callable[[Mapping[str, Any]], Iterable[str]]
"""``members(record_data)``: the ID numbers of the people the record covers besides its owner."""

OWNER_KINDS = frozenset({"person", "household"})
"""Whom a record describes: the person alone, or the household the person heads."""


@dataclass(frozen=True)
class StandingRecord:
    """A record a program keeps per owner, edited section by section and confirmed as a whole."""

    name: str
    """Slug, unique in the program; the pages are ``/records/<program>/<name>/``."""
    title: LocalText
    sections: tuple[FormStep, ...]
    summary: LocalText | None = None
    """One sentence on the record's first page: what it is for."""
    owner: str = "person"
    """``"person"`` or ``"household"`` (owned by its head; ``members`` names the others)."""
    validate: SectionCheck | None = None
    members: MembersOf | None = None

    def __post_init__(self) -> None:
        check_slug(self.name, "standing record")
        if not self.sections:
            raise DeclarationError(f"standing record {self.name!r} needs at least one section")
        if self.owner not in OWNER_KINDS:
            raise DeclarationError(f"standing record {self.name!r}: owner must be one of {sorted(OWNER_KINDS)}")
        slugs = [section.slug for section in self.sections]
        if "confirm" in slugs:
            raise DeclarationError(f"standing record {self.name!r}: 'confirm' is the confirm step, not a section")
        if len(set(slugs)) != len(slugs):
            raise DeclarationError(f"standing record {self.name!r}: a section slug is declared twice")

    def section(self, slug: str) -> FormStep | None:
        """The section called ``slug``, if the record has it."""
        return next((section for section in self.sections if section.slug == slug), None)

    def applicable_sections(self, data: Mapping[str, Mapping[str, Any]]) -> list[FormStep]:
        """The sections that apply given what was answered (a section's ``condition``, as for form steps)."""
        return [section for section in self.sections if section.applies_to(data)]


@dataclass(frozen=True)
class RecordVersion:
    """One confirmed state of a record: never changed once made."""

    id: int
    """What :func:`freeze` returns and an application stores."""
    program: str
    record: str
    owner_id: int
    """The owning person's ``PersonView.id``."""
    number: int
    """1 for the first confirmation, then 2, 3, ..."""
    data: Mapping[str, Any]
    """Section slug -> that section's answers, JSON-safe (dates as ISO text, amounts as text)."""
    author: str
    """Who confirmed it: ``person:<id>``, ``staff:<id>`` or ``system``."""
    created_at: datetime
    changed: tuple[str, ...]
    """The fields that differ from the previous version, as ``section.field`` (all of them for the first)."""


@dataclass(frozen=True)
class RecordState:
    """A record as it is now: the confirmed version and the changes saved but not yet confirmed."""

    program: str
    record: str
    owner_id: int
    draft: Mapping[str, Any] | None
    """Section slug -> answers being edited, or ``None`` when nothing awaits confirmation."""
    confirmed: RecordVersion | None
    versions: tuple[RecordVersion, ...] = field(default_factory=tuple)
    """Every confirmed version, newest first."""

    @property
    def data(self) -> Mapping[str, Any]:
        """What the owner sees on the pages: the draft when there is one, else the confirmed data."""
        if self.draft is not None:
            return self.draft
        return self.confirmed.data if self.confirmed is not None else {}


class RecordNotConfirmed(LookupError):  # noqa: N818 - a state, not a bug
    """There is no confirmed version to freeze: the owner must confirm the record first."""


def _owner(owner_id: int | None) -> int | None:
    if owner_id is not None:
        return owner_id
    person = current_host().current_person()
    return person.id if person is not None else None


def current_record(program_slug: str, name: str, *, owner_id: int | None = None) -> RecordState | None:
    """The record of ``owner_id`` (default: the signed-in person), or ``None`` when they have none yet."""
    owner = _owner(owner_id)
    if owner is None:
        return None
    return current_host().record_state(program_slug, name, owner)


def confirmed_version(
    program_slug: str, name: str, *, owner_id: int | None = None, version_id: int | None = None
) -> RecordVersion | None:
    """The latest confirmed version of the owner's record, or the version ``version_id`` (an application's).

    With ``version_id``, a version of another record or owner is ``None``:
    ids from a form or a URL never reach someone else's data.
    """
    owner = _owner(owner_id)
    if owner is None:
        return None
    state = current_host().record_state(program_slug, name, owner)
    if state is None:
        return None
    if version_id is None:
        return state.confirmed
    return next((version for version in state.versions if version.id == version_id), None)


def confirmed_versions(program_slug: str, name: str, owner_ids: Iterable[int]) -> dict[int, RecordVersion]:
    """The latest confirmed version of each owner's record, by owner id, read at once (for a batch of a cycle).

    Owners without a confirmed version are absent from the answer.
    """
    return current_host().confirmed_versions(program_slug, name, owner_ids)


def freeze(program_slug: str, name: str, *, owner_id: int | None = None) -> int:
    """The id of the owner's latest confirmed version, to store in an application made from it.

    Versions are never changed, so the id keeps what was applied for; read it
    back with ``confirmed_version(..., version_id=...)``. Raises
    :class:`RecordNotConfirmed` when nothing is confirmed yet.
    """
    version = confirmed_version(program_slug, name, owner_id=owner_id)
    if version is None:
        raise RecordNotConfirmed(f"{program_slug}.{name} has no confirmed version")
    return version.id


def record_holder(program_slug: str, name: str, id_number: str) -> int | None:
    """The owner id of the confirmed record that lists ``id_number`` (as owner or member), or ``None``."""
    return current_host().record_holder(program_slug, name, id_number)


def record_url(program_slug: str, name: str) -> str:
    """The first page of the signed-in person's record (link to it from the program's pages)."""
    return current_host().record_url(program_slug, name)


__all__ = [
    "OWNER_KINDS",
    "MembersOf",
    "RecordNotConfirmed",
    "RecordState",
    "RecordVersion",
    "SectionCheck",
    "StandingRecord",
    "confirmed_version",
    "confirmed_versions",
    "current_record",
    "freeze",
    "record_holder",
    "record_url",
]
