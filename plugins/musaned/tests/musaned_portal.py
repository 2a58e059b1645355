"""Musaned's end-to-end helpers, on the SDK's test kit only (no ``gateway`` import, as a third party writes them).

Citizens are sandbox people signed in with the kit's ``sign_in_as``; staff
and office users are staff accounts with a role in Musaned (``sign_in_staff``);
forms are walked through the real pages (``submit_form``), bills paid with
the sandbox's "Pay now" and applications read as plugins see them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

import bawaba_sdk as sdk
from bawaba_sdk import ApplicationView
from bawaba_sdk.testing.applications import application
from bawaba_sdk.testing.forms import submit_form
from bawaba_sdk.testing.payments import bills, pay_application
from bawaba_sdk.testing.staff import sign_in_staff

PROGRAM = "musaned"
MINIMAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def text(response: Any) -> str:
    return str(response.get_data(as_text=True))


@dataclass
class Musaned:
    """A portal with Musaned, and ways to act in it as citizens and staff."""

    app: Any
    sign_in_as: Callable[..., FlaskClient]

    @contextmanager
    def db(self) -> Iterator[Session]:
        """The portal's database session as the plugin's code has it (``sdk.db_session()``), to read its tables."""
        with self.app.app_context():
            yield sdk.db_session()

    def citizen(self, id_number: str = "1000000008") -> FlaskClient:
        """A new client signed in as the sandbox person ``id_number``."""
        return self.sign_in_as(self.app, id_number)

    def staff(
        self, username: str, role: str = "reviewer", *, scope: str | None = None, program: str = PROGRAM
    ) -> FlaskClient:
        """A client signed in as a new staff account with ``role`` in ``program`` (``scope``: one office only)."""
        return sign_in_staff(self.app, program, role, username=username, scope=scope)

    def submit(self, client: FlaskClient, service: str, steps: dict[str, dict[str, Any]]) -> str:
        """Fill ``service``'s form step by step through the pages, send it; the new reference."""
        return submit_form(client, PROGRAM, service, steps)

    def application(self, reference: str) -> ApplicationView:
        return application(self.app, reference)

    def bill_number(self, reference: str) -> str:
        [bill] = bills(self.app, reference)
        return bill.number

    def pay(self, client: FlaskClient, reference: str) -> None:
        """The citizen pays the application's bill with the sandbox's "Pay now"."""
        pay_application(client, reference)

    def move(self, staff: FlaskClient, reference: str, target: str, comment: str = "") -> TestResponse:
        """A staff member moves the application to ``target`` from its back-office page (the answer as it is)."""
        return staff.post(
            f"/backoffice/{PROGRAM}/applications/{reference}/transition",
            data={"target": target, "comment": comment},
        )
