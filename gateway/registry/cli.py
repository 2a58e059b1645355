"""``gateway registry show ID`` and ``gateway registry list``: look inside the registry.

For developers and operators: which sandbox person to register as in a demo,
and what a (real or sandbox) registry returns for one ID. The output is in
English with the names in both scripts, like the rest of the ``gateway``
command; it is an operator's tool, not a page a citizen sees.
"""

from __future__ import annotations

import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from bawaba_sdk.validators import InvalidValue, format_sar, parse_national_id

from ..settings import ConfigError
from .adapter import RegistryAdapter, RegistryUnavailable, load_registry_adapter
from .records import HouseholdMember, RegistryRecord

NOT_FOUND = "No person with this ID number in the registry"


# AppGroup, not click.Group: its commands run inside the app's context.
# FlaskGroup pushes one only for commands it finds on ``app.cli``, not for
# groups added to it with ``add_command``.
@click.group("registry", cls=AppGroup)
def group() -> None:
    """Look people up in the national registry (the sandbox's fictional people by default)."""


def _adapter() -> RegistryAdapter:
    try:
        return load_registry_adapter(current_app.config)
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


@group.command("show")
@click.argument("id_number", nargs=-1, required=True)
def show(id_number: tuple[str, ...]) -> None:
    """Print the registry's record of ID_NUMBER (Arabic-Indic digits and spaces are fine)."""
    typed = " ".join(id_number)
    try:
        number = parse_national_id(typed).number
    except InvalidValue as exc:
        raise click.BadParameter(f"{typed!r} is not a valid ID number ({exc.code})", param_hint="ID_NUMBER") from exc
    adapter = _adapter()
    try:
        record = adapter.lookup(number)
    except RegistryUnavailable as exc:
        raise click.ClickException(f"The registry is unavailable: {exc}") from exc
    if record is None:
        raise click.ClickException(NOT_FOUND)
    click.echo(describe(record, today=datetime.date.today()))


@group.command("list")
def list_people() -> None:
    """One line per person: ID, type, English name and flags (a sandbox registry only)."""
    adapter = _adapter()
    try:
        records = list(adapter.all_records())
    except NotImplementedError as exc:
        raise click.ClickException("This registry cannot list its people; use 'gateway registry show ID'.") from exc
    except RegistryUnavailable as exc:
        raise click.ClickException(f"The registry is unavailable: {exc}") from exc
    for record in records:
        click.echo(summary_line(record))
    click.echo(f"{len(records)} people")


def summary_line(record: RegistryRecord) -> str:
    """``1000000008  citizen   Ahmed Al-Zahrani  [household 4]`` with flags that matter to programs."""
    flags = []
    if not record.account_active:
        flags.append("inactive")
    if record.has_unpaid_violations:
        flags.append(f"violations {format_sar(record.unpaid_violations, 'en')}")
    if record.household:
        flags.append(f"household {len(record.household)}")
    shown = " ".join(f"[{flag}]" for flag in flags)
    line = f"{record.id_number}  {record.id_type.value:<8}  {record.nationality}  {record.full_name_en:<28} {shown}"
    return line.rstrip()


def describe(record: RegistryRecord, *, today: datetime.date) -> str:
    """Every field of ``record``, one per line, as ``gateway registry show`` prints it."""
    birth = f"{record.birth_date.isoformat()} (age {record.age_on(today)})"
    if record.is_citizen:
        birth += f"; Hijri {record.birth_date_hijri.isoformat()} AH"
    lines = [
        f"ID number:           {record.id_number}",
        f"ID type:             {record.id_type.value}",
        f"Name (Arabic):       {record.full_name_ar}",
        f"Name (English):      {record.full_name_en}",
        f"Birth date:          {birth}",
        f"Nationality:         {record.nationality}",
        f"Mobile:              {record.mobile}",
        f"Account active:      {'yes' if record.account_active else 'no'}",
        f"Unpaid violations:   {format_sar(record.unpaid_violations, 'en')}",
        f"Monthly income:      {_income(record)}",
    ]
    if record.household:
        lines.append(f"Household ({len(record.household)}):")
        lines.extend(f"  {_member_line(member, today)}" for member in record.household)
    else:
        lines.append("Household:           none")
    return "\n".join(lines)


def _income(record: RegistryRecord) -> str:
    if record.monthly_income is None:
        return "none registered"
    return format_sar(record.monthly_income, "en")


def _member_line(member: HouseholdMember, today: datetime.date) -> str:
    return (
        f"{member.relation.value:<8}  {member.id_number}  {member.id_type.value:<8}  "
        f"{member.first_name_en} / {member.first_name_ar}, born {member.birth_date.isoformat()} "
        f"(age {member.age_on(today)})"
    )
