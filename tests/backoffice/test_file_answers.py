"""A file answer reads as the file the person chose, on the citizen's page and in the back office."""

from __future__ import annotations

import re

from tests.backoffice.conftest import Office, text

EN = {"Accept-Language": "en"}


def _answers_section(html: str) -> str:
    found = re.search(r'<h2 id="answers-title">.*?</section>', html, re.S)
    return found.group(0) if found else html


def test_the_file_answer_shows_its_name_not_the_document_id(office: Office) -> None:
    citizen = office.ahmed()
    reference = office.permits_application(citizen)
    public_id = office.document_of(reference)
    staff = office.signed_in("sara", {"permits": "reviewer"})

    citizen_page = text(citizen.get(f"/applications/{reference}", headers=EN))
    staff_page = text(staff.get(f"/backoffice/permits/applications/{reference}", headers=EN))

    assert "registration.pdf" in _answers_section(citizen_page)
    assert public_id not in _answers_section(citizen_page)
    assert "registration.pdf" in staff_page
    assert f">{public_id}<" not in staff_page
