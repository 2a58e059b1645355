"""Test kit: walk a declared form through its pages, as a signed-in person does.

A :class:`FormWalk` fills each step (``fill``), sees a step's errors as the
page shows them (``errors``), reads the check-your-answers page (``check``)
and sends it (``submit``), which gives the application's reference::

    from bawaba_sdk.testing.forms import FormWalk

    def test_a_booking(make_portal, sign_in_as):
        app = make_portal(plugins="parks")
        walk = FormWalk(sign_in_as(app, "1000000008"), "parks", "booking")
        walk.start()
        assert walk.errors("party", {"adults": "0"}) == {"adults": "At least one adult."}
        walk.fill("party", {"adults": "2"})
        walk.fill("contact", {"email": "a@example.com"})
        assert "a@example.com" in walk.check()
        reference = walk.submit()

``submit_form(client, program, service, steps)`` does all of it in one call.
A file is given as ``(BytesIO(content), "name.pdf")`` in a step's data.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

_ERROR_SUMMARY = re.compile(r'<div class="error-summary".*?</div>', re.DOTALL)
_ERROR_ITEM = re.compile(r'<li><a href="#([^"]*)">(.*?)</a></li>', re.DOTALL)
_SUBMISSION_KEY = re.compile(r'name="submission_key" value="([^"]+)"')


def page_errors(page: str) -> dict[str, str]:
    """The error summary of a page: each field's id -> its message as shown (empty: no errors)."""
    summary = _ERROR_SUMMARY.search(page)
    if summary is None:
        return {}
    return {field: html.unescape(message).strip() for field, message in _ERROR_ITEM.findall(summary.group(0))}


def _text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


@dataclass
class FormWalk:
    """One person's way through one service's form (``/apply/<program>/<service>/``)."""

    client: FlaskClient
    program: str
    service: str
    language: str | None = None
    """Ask for the pages in this language (``Accept-Language``); ``None``: the portal's default."""

    @property
    def base(self) -> str:
        return f"/apply/{self.program}/{self.service}/"

    def _headers(self) -> dict[str, str]:
        return {"Accept-Language": self.language} if self.language else {}

    def start(self) -> str:
        """Open the service (making or resuming the draft); the address of the page it sends the person to.

        Fails when the person is not let in (not eligible, not signed in).
        """
        response = self.client.get(self.base, headers=self._headers())
        if response.status_code != 303:
            raise AssertionError(f"starting {self.base} answered {response.status}:\n{_text(response)[:2000]}")
        return response.headers["Location"]

    def post_step(self, step: str, data: Mapping[str, Any]) -> TestResponse:
        """Send ``data`` on step ``step``, as the browser's form would, and return the answer as it is."""
        return self.client.post(
            self.base + step, data=dict(data), content_type="multipart/form-data", headers=self._headers()
        )

    def fill(self, step: str, data: Mapping[str, Any]) -> str:
        """Send ``step`` with ``data`` and expect it accepted; the address of the next page (a step or the check).

        Fails, showing the page's errors, when the step refuses the data.
        """
        response = self.post_step(step, data)
        if response.status_code != 303:
            shown = page_errors(_text(response)) or _text(response)[:2000]
            raise AssertionError(f"step {step!r} answered {response.status}; errors: {shown}")
        return response.headers["Location"]

    def errors(self, step: str, data: Mapping[str, Any]) -> dict[str, str]:
        """Send ``step`` with ``data`` and expect it refused (400); each field -> the message the page shows."""
        response = self.post_step(step, data)
        if response.status_code != 400:
            raise AssertionError(f"step {step!r} answered {response.status}, expected 400 with errors")
        return page_errors(_text(response))

    def check(self) -> str:
        """The check-your-answers page's HTML (fails if the form is not complete: it redirects then)."""
        response = self.client.get(self.base + "check", headers=self._headers())
        if response.status_code != 200:
            raise AssertionError(f"the check page answered {response.status} ({response.headers.get('Location')})")
        return _text(response)

    def submit(self) -> str:
        """Send the checked answers (with the page's submission key); the new application's reference."""
        key = _SUBMISSION_KEY.search(self.check())
        if key is None:
            raise AssertionError("the check page has no submission key")
        response = self.client.post(self.base + "check", data={"submission_key": key.group(1)}, headers=self._headers())
        if response.status_code != 303:
            raise AssertionError(
                f"sending {self.base} answered {response.status}; errors: {page_errors(_text(response))}"
            )
        return response.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def submit_form(client: FlaskClient, program: str, service: str, steps: Mapping[str, Mapping[str, Any]]) -> str:
    """Start, fill every step of ``steps`` (step slug -> data) in order, send; the new application's reference."""
    walk = FormWalk(client, program, service)
    walk.start()
    for step, data in steps.items():
        walk.fill(step, data)
    return walk.submit()


__all__ = ["FormWalk", "page_errors", "submit_form"]
