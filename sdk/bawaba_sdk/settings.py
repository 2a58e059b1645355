"""Configuration keys a plugin declares, checked when the portal starts.

A plugin never reads environment variables itself: it declares each key with
a parser and a default, and the host reads ``GATEWAY_<PROGRAM>_<KEY>`` (or the
same key without the prefix in the mapping given to ``create_app``), parses it
and stops the boot with a message naming the variable when a value is wrong.
Thresholds and fees are configuration, not code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from .program import check_slug


class SettingError(ValueError):
    """A configured value that cannot be used; the message says why."""


@dataclass(frozen=True)
class Setting:
    """One configuration key of a plugin.

    ``parse`` turns the text of an environment variable into the value (it is
    also given non-text values from a mapping, which it should accept when
    they already have the right type) and raises ``ValueError`` when the text
    is unusable.
    """

    name: str
    default: Any
    parse: Callable[[Any], Any]
    help: str
    secret: bool = False
    """A secret (token, password) is never echoed in error messages or listings."""

    def __post_init__(self) -> None:
        check_slug(self.name, "setting")

    def env_var(self, program_slug: str) -> str:
        """The environment variable an operator sets, e.g. ``GATEWAY_MUSANED_VISA_FEE``."""
        return f"GATEWAY_{program_slug.upper()}_{self.name.upper()}"

    def config_key(self, program_slug: str) -> str:
        """The key in the mapping given to ``create_app``, e.g. ``MUSANED_VISA_FEE``."""
        return f"{program_slug.upper()}_{self.name.upper()}"


def parse_int(minimum: int | None = None, maximum: int | None = None) -> Callable[[Any], int]:
    """A parser for whole numbers within bounds."""

    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise SettingError("expected a whole number")
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError as exc:
            raise SettingError(f"{value!r} is not a whole number") from exc
        _within(number, minimum, maximum)
        return number

    return parse


def parse_decimal(minimum: Decimal | None = None, maximum: Decimal | None = None) -> Callable[[Any], Decimal]:
    """A parser for amounts (kept as :class:`~decimal.Decimal`, never float)."""

    def parse(value: Any) -> Decimal:
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation as exc:
            raise SettingError(f"{value!r} is not a number") from exc
        if not number.is_finite():
            raise SettingError(f"{value!r} is not a finite number")
        _within(number, minimum, maximum)
        return number

    return parse


def parse_bool(value: Any) -> bool:
    """``1/true/yes/on`` and ``0/false/no/off``, any case."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise SettingError(f"{value!r} is not a yes/no value (use true or false)")


def parse_text(value: Any) -> str:
    """Any non-empty text."""
    text = str(value).strip()
    if not text:
        raise SettingError("must not be empty")
    return text


def parse_list(value: Any) -> tuple[str, ...]:
    """A comma-separated list of non-empty items."""
    if isinstance(value, list | tuple):
        items = [str(item).strip() for item in value]
    else:
        items = [item.strip() for item in str(value).split(",")]
    return tuple(item for item in items if item)


def _within(number: Any, minimum: Any, maximum: Any) -> None:
    if minimum is not None and number < minimum:
        raise SettingError(f"must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise SettingError(f"must be at most {maximum}")
