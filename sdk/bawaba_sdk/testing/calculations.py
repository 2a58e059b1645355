"""Test kit: a program's calculation, worked out or asked of the API, in a portal built for tests.

Situation tests as data read well with it: a file of situations and the
amounts expected, each checked through the same code the API runs::

    from bawaba_sdk.testing.calculations import calculation_answer, explain

    def test_a_family_of_six(make_portal):
        app = make_portal(plugins="social_security")
        explained = explain(app, "social_security", "entitlement", {"on": "2026-12-01", "members": [...]})
        assert explained.amount == Decimal("3120.00")
        assert calculation_answer(app, "social_security", "entitlement", {...}, language="ar")["amount"] == "3120.00"

Both use the portal's own parameters, with the operators' overrides the
portal was built with (``make_portal(..., SOCIAL_SECURITY_P_MINIMUM_HEAD="1400")``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..calculations import Explanation
from ..host import current_host


def explain(app: Any, program: str, calculation: str, situation: Mapping[str, Any]) -> Explanation:
    """The calculation's :class:`Explanation` for ``situation`` (as the API takes it: dates and amounts as text).

    A situation its schema refuses raises ``marshmallow.ValidationError``
    with the messages by field, so a test of bad input can assert on them.
    """
    with app.test_request_context("/"):
        host = current_host()
        declared = host.calculations_for(program)
        if calculation not in declared:
            raise LookupError(
                f"program {program!r} declares no calculation {calculation!r} (it has {sorted(declared)})"
            )
        return declared[calculation].explain(situation, host.parameters_for(program))


def calculation_answer(
    app: Any, program: str, calculation: str, situation: Any, *, language: str = "en", status: int = 200
) -> Any:
    """The JSON the API answers for ``situation`` in ``language``; fails unless the status is ``status``.

    For a calculation that is not public, call the API with an access token instead.
    """
    response = app.test_client().post(
        f"/api/v1/programs/{program}/calculations/{calculation}",
        json=situation,
        headers={"Accept-Language": language},
    )
    assert response.status_code == status, f"{response.status_code}: {response.get_data(as_text=True)}"
    return response.get_json()


__all__ = ["calculation_answer", "explain"]
