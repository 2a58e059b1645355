"""The SDK's ``sign_in_as`` fixture: a sandbox person signed in on a test client, for tests only."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def test_the_client_is_signed_in_as_the_registry_person(
    make_portal: Callable[..., Any], sign_in_as: Callable[..., Any]
) -> None:
    app = make_portal()
    client = sign_in_as(app, "1000000008")
    profile = client.get("/account/", headers={"Accept-Language": "en"})
    assert profile.status_code == 200
    assert "Ahmed" in profile.get_data(as_text=True)
    again = sign_in_as(app, "1000000008", client=app.test_client())  # the same person, not a second one
    assert again.get("/applications/").status_code == 200


def test_an_unknown_id_and_a_portal_not_built_for_tests_are_refused(
    make_portal: Callable[..., Any], sign_in_as: Callable[..., Any]
) -> None:
    with pytest.raises(LookupError):
        sign_in_as(make_portal(), "1999999999")
    with pytest.raises(RuntimeError, match="ENV=testing"):
        sign_in_as(make_portal(ENV="development"), "1000000008")
