"""The one exception type every SDK validator raises.

Why a dedicated exception: a plugin form, the gateway's JSON API and the
marshmallow fields all need two things from a rejected value — a stable
machine-readable ``code`` (for tests, analytics and API clients) and a
human message *in the user's language*. The message is a flask-babel lazy
string, so it is translated when it is rendered (inside the request, in the
request's locale), not when the module is imported.

``InvalidValue`` subclasses :class:`ValueError` so that generic code which
already catches ``ValueError`` keeps working.
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


class InvalidValue(ValueError):  # noqa: N818 - public name fixed by the SDK API
    """A user-supplied value was rejected.

    :param code: machine-readable reason, ``"<kind>.<reason>"``, e.g.
        ``"national_id.check_digit"``. Stable: tests and API clients rely on it.
    :param message: lazily translated, user-facing explanation.
    :param params: the values substituted into the message, kept for callers
        that want to build their own wording.
    """

    def __init__(self, code: str, message: LazyString | str, **params: Any) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message
        self.params = params

    def __str__(self) -> str:
        # Rendering the lazy string here means ``str(exc)`` is already in the
        # active locale when called inside a request.
        return str(self.message)

    def __repr__(self) -> str:
        return f"InvalidValue(code={self.code!r})"


def wrong_type(kind: str) -> InvalidValue:
    """Build the error for a value that is not even text (e.g. a JSON list).

    Shared so that every validator reports it the same way: ``"<kind>.type"``.
    """
    return InvalidValue(f"{kind}.type", _l("This value is not in a format we can read."))


__all__ = ["InvalidValue", "wrong_type"]
