"""Staff of one program reaching another's, and an office user reaching another office's contracts.

A GOSI supervisor knows Musaned's addresses and Ahmed's references; the user
of recruitment office ML-1002 knows the reference of Ahmed's contract with
ML-1001. Every page, download and action answers them with the 404 of an
application that does not exist, and nothing changes. The staff who may see
each thing do see it (positive controls), and neither kind of account opens
the other's pages: a citizen's session is no staff session and the reverse.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask.testing import FlaskClient

from tests.security.pages import comparable, unknown_public_id, unknown_reference
from tests.security.portal import EN, World, text

Target = Callable[[World], str]

MUSANED_PAGES: dict[str, Target] = {
    "queue": lambda w: "/backoffice/musaned/queue",
    "visa request": lambda w: f"/backoffice/musaned/applications/{w.ahmed.visa_request}",
    "contract": lambda w: f"/backoffice/musaned/applications/{w.ahmed.contract}",
    "ticket": lambda w: f"/backoffice/musaned/applications/{w.ahmed.ticket}",
    "document": lambda w: f"/backoffice/musaned/documents/{w.ahmed.document}",
    "same reference under GOSI": lambda w: f"/backoffice/gosi/applications/{w.ahmed.visa_request}",
    "same document under GOSI": lambda w: f"/backoffice/gosi/documents/{w.ahmed.document}",
}


@pytest.mark.parametrize("target", MUSANED_PAGES.values(), ids=MUSANED_PAGES.keys())
def test_staff_of_another_program_get_the_404_of_a_page_that_does_not_exist(world: World, target: Target) -> None:
    path = target(world)
    if "/gosi/" not in path:
        assert world.reviewer.get(path, headers=EN).status_code == 200  # Musaned's own staff see it
    refused = world.gosi_staff.get(path, headers=EN)
    assert refused.status_code == 404
    nothing = world.gosi_staff.get(_never_issued(world, path), headers=EN)
    assert comparable(refused, path) == comparable(nothing, _never_issued(world, path))


def _never_issued(world: World, path: str) -> str:
    """``path`` with Ahmed's ids swapped for ones never issued (a program that does not exist for the queue)."""
    if path.endswith("/queue"):
        return path.replace("/musaned/", "/nosuchprogram/")
    for reference in (world.ahmed.visa_request, world.ahmed.contract, world.ahmed.ticket):
        path = path.replace(reference, unknown_reference(reference))
    return path.replace(world.ahmed.document, unknown_public_id(world.ahmed.document))


def test_gosi_staff_have_their_own_queue_and_nothing_of_musaned_in_it(world: World) -> None:
    queue = world.gosi_staff.get("/backoffice/gosi/queue", headers=EN)
    assert queue.status_code == 200
    for reference in (world.ahmed.visa_request, world.noura.contract, world.ahmed.ticket):
        assert reference not in text(queue)


def test_staff_of_another_program_cannot_act_on_an_application(world: World) -> None:
    contract = world.ahmed.contract
    base = f"/backoffice/musaned/applications/{contract}"
    bill = world.ahmed.contract_bill
    actions = [
        (f"{base}/transition", {"target": "cancelled", "comment": "declined by GOSI"}),
        (f"{base}/assign", {"staff_id": "1"}),
        (f"{base}/bills/{bill}/mark-paid", {}),
        (f"/backoffice/gosi/applications/{contract}/transition", {"target": "cancelled", "comment": "x"}),
    ]
    for path, form in actions:
        assert world.gosi_staff.post(path, data=form, headers=EN).status_code == 404, path
    assert world.application(contract).state == "submitted"
    assert world.bill(bill).status == "unpaid"


OFFICE_PAGES: dict[str, Target] = {
    "another office's contract": lambda w: f"/backoffice/musaned/applications/{w.ahmed.contract}",
    "a visa request (no office)": lambda w: f"/backoffice/musaned/applications/{w.ahmed.visa_request}",
    "a ticket (no office)": lambda w: f"/backoffice/musaned/applications/{w.ahmed.ticket}",
    "a visa request's document": lambda w: f"/backoffice/musaned/documents/{w.ahmed.document}",
}


@pytest.mark.parametrize("target", OFFICE_PAGES.values(), ids=OFFICE_PAGES.keys())
def test_an_office_user_gets_a_404_for_what_is_not_its_offices(world: World, target: Target) -> None:
    path = target(world)
    refused = world.office_b.get(path, headers=EN)
    assert refused.status_code == 404
    nothing = world.office_b.get(_never_issued(world, path), headers=EN)
    assert comparable(refused, path) == comparable(nothing, _never_issued(world, path))


def test_each_office_sees_its_own_contract_and_only_that_in_its_queue(world: World) -> None:
    assert world.office_a.get(f"/backoffice/musaned/applications/{world.ahmed.contract}").status_code == 200
    assert world.office_b.get(f"/backoffice/musaned/applications/{world.noura.contract}").status_code == 200
    queue = text(world.office_b.get("/backoffice/musaned/queue", headers=EN))
    assert world.noura.contract in queue
    for reference in (world.ahmed.contract, world.ahmed.visa_request, world.ahmed.ticket, world.noura.visa_request):
        assert reference not in queue


def test_an_office_user_cannot_accept_or_cancel_another_offices_contract(world: World) -> None:
    path = f"/backoffice/musaned/applications/{world.ahmed.contract}/transition"
    for form in ({"target": "accepted"}, {"target": "cancelled", "comment": "declined by the wrong office"}):
        assert world.office_b.post(path, data=form, headers=EN).status_code == 404
    assert world.application(world.ahmed.contract).state == "submitted"


def test_only_administrators_reach_staff_management(world: World) -> None:
    for client in (world.reviewer, world.gosi_staff, world.office_a):
        assert client.get("/backoffice/admin/staff", headers=EN).status_code == 404
        assert client.get("/backoffice/admin/staff/1", headers=EN).status_code == 404
        created = client.post(
            "/backoffice/admin/staff/new",
            data={"username": "intruder", "full_name": "Intruder", "mobile": "0551230000", "password": "x" * 20},
            headers=EN,
        )
        assert created.status_code == 404


def test_a_citizen_session_is_not_a_staff_session_nor_the_reverse(world: World) -> None:
    citizen: FlaskClient = world.ahmed.client
    for path in ("/backoffice/", "/backoffice/musaned/queue", f"/backoffice/musaned/documents/{world.ahmed.document}"):
        answer = citizen.get(path, headers=EN)
        assert answer.status_code == 303
        assert answer.headers["Location"].startswith("/backoffice/sign-in")
    for path in ("/account/", "/applications/", f"/documents/{world.ahmed.document}"):
        answer = world.reviewer.get(path, headers=EN)
        assert answer.status_code in (302, 303)
        assert answer.headers["Location"].startswith("/account/sign-in")
