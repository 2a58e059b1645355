"""Dated parameters: the rules' thresholds and amounts, as data with their dates and sources.

A program's figures (a minimum income, a contribution rate, a cap) change by
royal order or ministerial decision on a given date, and a citizen affected by
a calculation is owed the figure, the date it took effect and where it was
published. So a plugin never writes them in code: it ships a TOML file of
parameters (OpenFisca's ``parameters/*.yaml`` is the model), each with a label,
a unit and a history of values, every value with the date it took effect and
its public source::

    [minimum.head]
    label = "Calculated minimum for the head of household"
    unit = "SAR/month"
    values = [
      { from = 2021-07-01, value = 1100, source = "Royal order, 2021", url = "https://…" },
      { from = 2023-11-01, value = 1320, source = "Royal order, 2023-10", url = "https://…" },
    ]

``ParameterSet.at(day)`` gives the values in force on that day. Labels are
English msgids of the plugin's own gettext domain: the babel extractor
:func:`babel_extract` (declared in the plugin's ``babel.cfg``, see there) puts them in the
catalogue like any other string.

An operator can replace the value in force without a release: the host turns
every parameter into a setting ``GATEWAY_<SLUG>_P_<KEY>`` (dots become
underscores, or the parameter's own ``setting`` name) whose text is ``VALUE`` or
``VALUE@YYYY-MM-DD``; the override applies from that date (from the earliest
day otherwise) and names the setting as its source.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import IO, Any

from .program import DeclarationError

UNITS = frozenset(
    {"SAR", "SAR/month", "SAR/year", "SAR/day", "percent", "months", "years", "days", "count", "people", "flag"}
)
"""What a parameter's value measures; the formatting layer shows each unit in the reader's language.

``percent`` values are written as percentages (``9`` means 9 %); ``flag`` values are booleans;
``months``, ``years``, ``days``, ``count`` and ``people`` are whole numbers; the ``SAR`` units are
amounts in riyals (decimals, exact: the file is read with ``Decimal``).
"""

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$")
SETTING_PREFIX = "p_"
"""Parameter settings are named ``p_<key>`` so they never collide with a plugin's other settings."""

ParameterValue = Decimal | int | bool


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One value of a parameter: what it was from a date on, and where that was published."""

    key: str
    """The parameter's dotted key (``minimum.head``)."""
    label: str
    """The English msgid of the parameter's label, in the plugin's gettext domain."""
    unit: str
    value: ParameterValue
    effective_from: date
    source: str
    """The public source: a title a citizen can look up (a royal order, a published rule).

    An English msgid of the plugin's domain (extracted by :func:`babel_extract`), shown translated."""
    url: str = ""
    """Where the source can be read, when it is online."""
    overridden_by: str = ""
    """The setting (``GATEWAY_…``) that replaced the published value, if an operator set one."""

    @property
    def decimal(self) -> Decimal:
        """The value as a ``Decimal`` (for amounts and percentages)."""
        if isinstance(self.value, bool):
            raise TypeError(f"parameter {self.key!r} is a flag, not a number")
        return Decimal(self.value)

    @property
    def rate(self) -> Decimal:
        """A ``percent`` value as a fraction (9 -> 0.09)."""
        if self.unit != "percent":
            raise TypeError(f"parameter {self.key!r} is in {self.unit}, not percent")
        return self.decimal / 100

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready description (value as text so amounts keep their exact digits)."""
        return {
            "parameter": self.key,
            "value": _value_text(self.value),
            "unit": self.unit,
            "effective_from": self.effective_from.isoformat(),
            "source": self.source,
            "url": self.url,
        }


@dataclass(frozen=True, slots=True)
class Parameter:
    """A parameter and the whole history of its values, oldest first."""

    key: str
    label: str
    unit: str
    values: tuple[DatedValue, ...]
    setting: str
    """The name of the setting that overrides its current value (without the program prefix)."""
    help: str = ""

    def at(self, day: date) -> DatedValue | None:
        """The value in force on ``day`` (``None`` before the first one took effect)."""
        found = None
        for value in self.values:
            if value.effective_from <= day:
                found = value
            else:
                break
        return found


class ParameterSet(Mapping[str, Parameter]):
    """A program's parameters, by key; read-only, shared by every request."""

    def __init__(self, parameters: Iterable[Parameter]) -> None:
        self._parameters: dict[str, Parameter] = {}
        for parameter in parameters:
            if parameter.key in self._parameters:
                raise DeclarationError(f"parameter {parameter.key!r} is declared twice")
            self._parameters[parameter.key] = parameter
        settings = [parameter.setting for parameter in self._parameters.values()]
        duplicates = {name for name in settings if settings.count(name) > 1}
        if duplicates:
            raise DeclarationError(f"parameters share the setting name(s) {sorted(duplicates)}")

    # -- loading ------------------------------------------------------------------------

    @classmethod
    def from_toml(cls, text: str, *, origin: str = "<parameters>") -> ParameterSet:
        """Parse a parameters file; a mistake raises :class:`DeclarationError` naming the key."""
        try:
            data = tomllib.loads(text, parse_float=Decimal)
        except tomllib.TOMLDecodeError as exc:
            raise DeclarationError(f"{origin}: not valid TOML: {exc}") from exc
        return cls(_parameters_from(data, origin))

    @classmethod
    def from_file(cls, path: Path | str) -> ParameterSet:
        path = Path(path)
        return cls.from_toml(path.read_text(encoding="utf-8"), origin=str(path))

    @classmethod
    def for_package(cls, package: str, filename: str = "parameters.toml", subdir: str = "parameters") -> ParameterSet:
        """The file ``<package>/<subdir>/<filename>``, shipped as the plugin's package data."""
        resource = resources.files(package).joinpath(subdir).joinpath(filename)
        return cls.from_toml(resource.read_text(encoding="utf-8"), origin=f"{package}/{subdir}/{filename}")

    # -- mapping --------------------------------------------------------------------------

    def __getitem__(self, key: str) -> Parameter:
        return self._parameters[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parameters)

    def __len__(self) -> int:
        return len(self._parameters)

    # -- values in force --------------------------------------------------------------------

    def at(self, day: date) -> ParametersOn:
        """The values in force on ``day``."""
        return ParametersOn(self, day)

    def with_overrides(self, overrides: Mapping[str, Override | None], *, setting_prefix: str = "") -> ParameterSet:
        """A copy where each parameter whose setting name is in ``overrides`` has the operator's value.

        ``overrides`` maps setting names (``p_minimum_head``) to parsed
        :class:`Override` values (``None``: not set). An override with a date
        becomes the value from that date; published values after that date are
        kept (a later royal order still applies). One without a date replaces
        the whole history. ``setting_prefix`` (``GATEWAY_SOCIAL_SECURITY_``)
        completes the name shown as the value's source.
        """
        changed = []
        for parameter in self._parameters.values():
            override = overrides.get(parameter.setting)
            if override is None:
                changed.append(parameter)
                continue
            value = _checked_value(parameter.key, parameter.unit, override.value)
            start = override.effective_from or (parameter.values[0].effective_from if parameter.values else date.min)
            name = f"{setting_prefix}{parameter.setting.upper()}"
            replaced = DatedValue(
                key=parameter.key,
                label=parameter.label,
                unit=parameter.unit,
                value=value,
                effective_from=start,
                source=f"{name} (operator setting)",
                overridden_by=name,
            )
            # Without a day, the operator's value is the value, whatever was published: it replaces the
            # whole history. With a day, it replaces the value published for that day only: earlier values
            # stay in the history, and a later published value (a new royal order) still takes over on its day.
            kept = [v for v in parameter.values if override.effective_from and v.effective_from != start]
            history = sorted([*kept, replaced], key=lambda v: v.effective_from)
            changed.append(replace(parameter, values=tuple(history)))
        return ParameterSet(changed)

    def setting_names(self) -> list[tuple[str, Parameter]]:
        """``(setting name, parameter)`` for every parameter, for the host to declare as settings."""
        return [(parameter.setting, parameter) for parameter in self._parameters.values()]


class ParametersOn(Mapping[str, DatedValue]):
    """The values of a parameter set in force on one day: ``on["minimum.head"].value``."""

    __slots__ = ("_cache", "day", "parameters")

    def __init__(self, parameters: ParameterSet, day: date) -> None:
        self.parameters = parameters
        self.day = day
        self._cache: dict[str, DatedValue] = {}

    def __getitem__(self, key: str) -> DatedValue:
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        value = self.parameters[key].at(self.day)
        if value is None:
            raise LookupError(f"parameter {key!r} has no value in force on {self.day.isoformat()}")
        self._cache[key] = value
        return value

    def __iter__(self) -> Iterator[str]:
        return (key for key, parameter in self.parameters.items() if parameter.at(self.day) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@dataclass(frozen=True, slots=True)
class Override:
    """An operator's value for a parameter, from a date (``None``: from the start of its history)."""

    value: ParameterValue
    effective_from: date | None = None


def parse_override(text: Any) -> Override | None:
    """Parse a parameter setting: ``""`` (not set), ``VALUE`` or ``VALUE@YYYY-MM-DD``.

    ``VALUE`` is a number (``1320``, ``0.75``) or ``true``/``false``; the unit
    is checked against the parameter when the override is applied.
    """
    if text is None or isinstance(text, Override):
        return text
    raw = str(text).strip()
    if not raw:
        return None
    value_text, _at, day_text = raw.partition("@")
    effective_from = None
    if day_text:
        try:
            effective_from = date.fromisoformat(day_text.strip())
        except ValueError as exc:
            raise ValueError(f"the date after @ must be YYYY-MM-DD, not {day_text.strip()!r}") from exc
    value_text = value_text.strip().lower()
    value: ParameterValue
    if value_text in {"true", "false"}:
        value = value_text == "true"
    else:
        try:
            value = Decimal(value_text)
        except InvalidOperation as exc:
            raise ValueError(f"expected a number, true or false, optionally @YYYY-MM-DD; got {raw!r}") from exc
        if not value.is_finite():
            raise ValueError(f"expected a finite number, got {raw!r}")
    return Override(value, effective_from)


def babel_extract(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extraction method for parameter files: every ``label``, ``help`` and ``source`` is a msgid.

    Sources are titles a citizen reads beside the figure (a royal order, the
    programme's published rules), so they are translated like labels: the
    English title is the msgid, the official Arabic title its translation.
    Use it in the plugin's ``babel.cfg`` (Babel names a method ``module:function`` only through an
    ``[extractors]`` alias)::

        [extractors]
        parameters = bawaba_sdk.parameters:babel_extract

        [parameters: **/parameters/*.toml]
    """
    text = fileobj.read().decode("utf-8")
    data = tomllib.loads(text, parse_float=Decimal)
    lines = text.splitlines()
    seen: set[str] = set()
    for parameter in _parameters_from(data, "<extract>"):
        sources = [value.source for value in parameter.values]
        for msgid in (parameter.label, parameter.help, *sources):
            if msgid and msgid not in seen:
                seen.add(msgid)
                yield _line_of(lines, msgid), "gettext", msgid, []


# -- reading the file -------------------------------------------------------------------------


def _parameters_from(data: Mapping[str, Any], origin: str, prefix: str = "") -> Iterator[Parameter]:
    for name, node in data.items():
        key = f"{prefix}{name}"
        if not isinstance(node, Mapping):
            raise DeclarationError(f"{origin}: {key!r} must be a table")
        if "values" in node:
            yield _parameter(key, node, origin)
        else:
            yield from _parameters_from(node, origin, f"{key}.")


def _parameter(key: str, node: Mapping[str, Any], origin: str) -> Parameter:
    where = f"{origin}: parameter {key!r}"
    if not KEY_PATTERN.match(key):
        raise DeclarationError(f"{where}: keys are lowercase words joined by dots")
    label = node.get("label")
    if not isinstance(label, str) or not label.strip():
        raise DeclarationError(f"{where}: needs a label (an English msgid)")
    unit = node.get("unit")
    if unit not in UNITS:
        raise DeclarationError(f"{where}: unit must be one of {sorted(UNITS)}, not {unit!r}")
    raw_values = node["values"]
    if not isinstance(raw_values, list) or not raw_values:
        raise DeclarationError(f"{where}: values must be a non-empty list")
    values = []
    for index, item in enumerate(raw_values):
        if not isinstance(item, Mapping):
            raise DeclarationError(f"{where}: value {index + 1} must be a table")
        start = item.get("from")
        if not isinstance(start, date):
            raise DeclarationError(f"{where}: value {index + 1} needs from = YYYY-MM-DD (a TOML date)")
        source = item.get("source")
        if not isinstance(source, str) or not source.strip():
            raise DeclarationError(f"{where}: value {index + 1} needs its public source")
        try:
            value = _checked_value(key, unit, item.get("value"))
        except ValueError as exc:
            raise DeclarationError(f"{where}: value {index + 1}: {exc}") from exc
        values.append(DatedValue(key, label, unit, value, start, source.strip(), str(item.get("url", "")).strip()))
    dates = [value.effective_from for value in values]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise DeclarationError(f"{where}: values must be in date order, one per date")
    setting = str(node.get("setting") or SETTING_PREFIX + key.replace(".", "_"))
    if not re.match(r"^[a-z][a-z0-9_]{1,31}$", setting):
        raise DeclarationError(
            f'{where}: its setting name {setting!r} is too long or not a slug; give it setting = "p_short_name"'
        )
    return Parameter(key, label.strip(), unit, tuple(values), setting, str(node.get("help", "")).strip())


def _checked_value(key: str, unit: str, value: Any) -> ParameterValue:
    if unit == "flag":
        if not isinstance(value, bool):
            raise ValueError(f"parameter {key!r} is a flag: true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"parameter {key!r} needs a number, not {value!r}")
    if unit in {"months", "years", "days", "count", "people"}:
        if Decimal(value) != Decimal(int(value)):
            raise ValueError(f"parameter {key!r} is in {unit}: a whole number")
        value = int(value)
        if value < 0:
            raise ValueError(f"parameter {key!r} cannot be negative")
        return value
    number = Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"parameter {key!r} must be a finite number, not negative")
    return number


def _value_text(value: ParameterValue) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _line_of(lines: list[str], msgid: str) -> int:
    for number, line in enumerate(lines, start=1):
        if msgid in line:
            return number
    return 1
