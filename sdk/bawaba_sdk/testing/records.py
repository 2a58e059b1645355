"""Test kit: fill in a standing record's sections and confirm it, as the signed-in person does.

A record's pages are the host's (``/records/<program>/<name>/``); these
helpers post each section the way the browser's form would (a repeating
group's rows as ``<group>-<row>-<cell>`` with ``<group>-rows``, a ticked box
as ``y``) and confirm, so a plugin's tests reach a confirmed version through
the real pages::

    from bawaba_sdk.testing.records import fill_record

    def test_the_eligibility_of_a_confirmed_profile(make_portal, sign_in_as):
        app = make_portal(plugins="social_security")
        client = sign_in_as(app, "1000000032")
        fill_record(client, "social_security", "profile", {"housing": {"kind": "rented", "rent": "1800.00"}, ...})
        assert "460.00" in client.get("/social_security/eligibility").get_data(as_text=True)

Answers are given as the record stores them (section slug -> answers; rows
under the group's name), so a test can post a version read back from data.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask.testing import FlaskClient

from .forms import page_errors


def form_fields(answers: Mapping[str, Any]) -> dict[str, str]:
    """One section's answers as the fields its page posts (``None`` and unticked boxes are left out)."""
    posted: dict[str, str] = {}
    for name, value in answers.items():
        if isinstance(value, list):
            posted[f"{name}-rows"] = str(len(value))
            for index, row in enumerate(value):
                for cell, cell_value in row.items():
                    _put(posted, f"{name}-{index}-{cell}", cell_value)
        else:
            _put(posted, name, value)
    return posted


def _put(posted: dict[str, str], key: str, value: Any) -> None:
    if value is None or value is False:
        return
    posted[key] = "y" if value is True else str(value)


def section_url(program: str, name: str, section: str = "") -> str:
    """The address of a record's section (its overview without ``section``)."""
    return f"/records/{program}/{name}/{section}"


def post_section(
    client: FlaskClient, program: str, name: str, section: str, answers: Mapping[str, Any], *, language: str = "en"
) -> Any:
    """Post one section's answers and return the response as it is (303 when saved, 400 with errors)."""
    return client.post(
        section_url(program, name, section), data=form_fields(answers), headers={"Accept-Language": language}
    )


def fill_section(client: FlaskClient, program: str, name: str, section: str, answers: Mapping[str, Any]) -> None:
    """Post one section and expect it saved; fails showing the page's errors otherwise."""
    response = post_section(client, program, name, section, answers)
    if response.status_code != 303:
        shown = page_errors(response.get_data(as_text=True)) or response.get_data(as_text=True)[:2000]
        raise AssertionError(f"section {section!r} answered {response.status}; errors: {shown}")


def section_errors(
    client: FlaskClient, program: str, name: str, section: str, answers: Mapping[str, Any], *, language: str = "en"
) -> dict[str, str]:
    """Post one section and expect it refused (400); each field id -> the message the page shows."""
    response = post_section(client, program, name, section, answers, language=language)
    if response.status_code != 400:
        raise AssertionError(f"section {section!r} answered {response.status}, expected 400 with errors")
    return page_errors(response.get_data(as_text=True))


def confirm_record(client: FlaskClient, program: str, name: str) -> Any:
    """Press the record's confirm button; the response as it is (303 when a version was made)."""
    return client.post(section_url(program, name, "confirm"))


def fill_record(
    client: FlaskClient, program: str, name: str, sections: Mapping[str, Mapping[str, Any]], *, confirm: bool = True
) -> None:
    """Fill every section of ``sections`` in order and (by default) confirm; fails on any refusal."""
    for section, answers in sections.items():
        fill_section(client, program, name, section, answers)
    if confirm:
        response = confirm_record(client, program, name)
        if response.status_code != 303:
            raise AssertionError(
                f"confirming {program}.{name} answered {response.status}: "
                f"{page_errors(response.get_data(as_text=True))}"
            )


__all__ = [
    "confirm_record",
    "fill_record",
    "fill_section",
    "form_fields",
    "post_section",
    "section_errors",
    "section_url",
]
