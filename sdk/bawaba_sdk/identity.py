"""The signed-in person, as a plugin sees them: read-only and never copied.

Programs keep no copy of names, dates or contact details; they ask for the
current person on each request and key their own rows by ``person.subject``
(an opaque identifier) or ``person.id``. When a person's data changes, the
host calls ``gateway_person_changed`` so programs can react, and the next
request already sees the new values.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, TypeVar, cast

from flask import redirect, request

from .host import current_host

View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class PersonView:
    """A read-only snapshot of the shared identity of one person."""

    id: int
    subject: str
    id_number: str
    id_type: str
    """``citizen`` or ``resident``."""
    first_name_ar: str
    family_name_ar: str
    first_name_en: str
    family_name_en: str
    birth_date: date
    """Gregorian; show it in Hijri for citizens with ``sdk.validators.gregorian_to_hijri``."""
    nationality: str
    mobile: str
    email: str | None

    def full_name(self, language: str) -> str:
        """The person's name in ``language`` (``ar`` or ``en``)."""
        if language == "ar":
            return f"{self.first_name_ar} {self.family_name_ar}"
        return f"{self.first_name_en} {self.family_name_en}"


def current_person() -> PersonView | None:
    """The person signed in on this request, or ``None``."""
    return current_host().current_person()


def login_required(view: View) -> View:
    """Send anyone not signed in to the portal's sign-in page, and back here afterwards."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_person() is None:
            return redirect(current_host().sign_in_url(request.full_path if request.query_string else request.path))
        return view(*args, **kwargs)

    return cast(View, guarded)
