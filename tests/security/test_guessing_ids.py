"""One person reading or changing another's applications, documents, bills and notifications by guessing ids.

Noura knows (or guesses) every identifier of Ahmed's: his application
references, his document's download id, his bill number. Each page and each
action answers her with a 404 that is byte for byte the answer for an id that
was never issued, so she cannot even learn that it exists, and nothing of
his changes. Ahmed's own requests succeed, so the refusals are not a broken
page. The JSON API, with a token Noura granted through the real OIDC flow,
answers the same way.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from gateway.identity.models import Person
from gateway.notifications.models import Notification
from tests.oidc.oidc_flow import add_client, tokens_for
from tests.security.pages import comparable, unknown_bill_number, unknown_public_id, unknown_reference
from tests.security.portal import EN, Citizen, World, text

Page = Callable[[Citizen], str]

OWN_PAGES: dict[str, Page] = {
    "visa request page": lambda c: f"/applications/{c.visa_request}",
    "contract page": lambda c: f"/applications/{c.contract}",
    "ticket page": lambda c: f"/applications/{c.ticket}",
    "withdrawal page": lambda c: f"/applications/{c.contract}/withdraw",
    "confirmation page": lambda c: f"/apply/musaned/new_visa/done/{c.visa_request}",
    "document download": lambda c: f"/documents/{c.document}",
    "bill page": lambda c: f"/payments/bills/{c.contract_bill}",
}


def never_issued(citizen: Citizen) -> Citizen:
    """The same citizen's ids, each replaced by one of the same shape that was never issued."""
    return Citizen(
        client=citizen.client,
        id_number=citizen.id_number,
        visa_request=unknown_reference(citizen.visa_request),
        visa_number=citizen.visa_number,
        document=unknown_public_id(citizen.document),
        contract=unknown_reference(citizen.contract),
        contract_bill=unknown_bill_number(citizen.contract_bill),
        ticket=unknown_reference(citizen.ticket),
    )


@pytest.mark.parametrize("page", OWN_PAGES.values(), ids=OWN_PAGES.keys())
def test_another_persons_page_is_a_404_exactly_like_an_id_never_issued(world: World, page: Page) -> None:
    ahmed, noura = world.ahmed, world.noura
    # It is there for its owner (the withdrawal page answers 409: a submitted contract is cancelled, not withdrawn).
    assert ahmed.client.get(page(ahmed), headers=EN).status_code in (200, 409)

    his, unknown = page(ahmed), page(never_issued(ahmed))
    theirs = noura.client.get(his, headers=EN)
    nobodys = noura.client.get(unknown, headers=EN)
    assert theirs.status_code == 404
    assert comparable(theirs, his) == comparable(nobodys, unknown)  # the path is echoed in the language form
    assert ahmed.id_number not in text(theirs)


def test_changing_another_persons_application_or_bill_is_a_404_and_changes_nothing(world: World) -> None:
    ahmed, noura = world.ahmed, world.noura
    before = {ref: world.application(ref).state for ref in (ahmed.contract, ahmed.ticket, ahmed.visa_request)}

    attempts = [
        (f"/applications/{ahmed.contract}/withdraw", {"reason": "not mine"}),
        (f"/applications/{ahmed.ticket}/move", {"target": "closed", "comment": "closing it for him"}),
        (f"/applications/{ahmed.visa_request}/answer", {"answer": "an answer in his name"}),
        (f"/payments/bills/{ahmed.contract_bill}/sandbox-pay", {}),
    ]
    for path, form in attempts:
        answer = noura.client.post(path, data=form, headers=EN)
        assert answer.status_code == 404, (path, answer.status_code)

    assert {ref: world.application(ref).state for ref in before} == before
    assert world.bill(ahmed.contract_bill).status == "unpaid"


def test_lookups_by_reference_or_id_number_find_only_the_persons_own(world: World) -> None:
    ahmed, noura = world.ahmed, world.noura
    searches = [
        ("/applications/lookup", "reference", ahmed.contract, unknown_reference(ahmed.contract)),
        ("/musaned/inquiry", "reference", ahmed.visa_request, unknown_reference(ahmed.visa_request)),
        ("/musaned/inquiry", "id_number", ahmed.id_number, "1000000016"),
    ]
    for path, name, his, unknown in searches:
        own = ahmed.client.get(path, query_string={name: his}, headers=EN)
        assert own.status_code in (200, 303), (path, own.status_code)
        theirs = noura.client.get(path, query_string={name: his}, headers=EN)
        nobodys = noura.client.get(path, query_string={name: unknown}, headers=EN)
        assert theirs.status_code == 404, (path, name)
        assert comparable(theirs, his) == comparable(nobodys, unknown), (path, name)


LISTS = ["/applications/", "/musaned/requests", "/musaned/visas", "/musaned/contracts", "/musaned/tickets"]


@pytest.mark.parametrize("path", LISTS)
def test_lists_show_only_the_persons_own(world: World, path: str) -> None:
    ahmed, noura = world.ahmed, world.noura
    html = text(noura.client.get(path, headers=EN))
    assert any(ref in html for ref in (noura.visa_request, noura.visa_number, noura.contract, noura.ticket))
    for ref in (ahmed.visa_request, ahmed.visa_number, ahmed.contract, ahmed.ticket, ahmed.contract_bill):
        assert ref not in html


def test_notifications_are_the_persons_own_and_marking_read_touches_no_one_else(world: World) -> None:
    ahmed, noura = world.ahmed, world.noura
    his_page = text(ahmed.client.get("/notifications/", headers=EN))
    assert ahmed.visa_request in his_page
    assert ahmed.visa_request not in text(noura.client.get("/notifications/", headers=EN))

    unread_before = _unread(world, ahmed)
    assert unread_before > 0
    assert noura.client.post("/notifications/read", headers=EN).status_code == 303
    assert _unread(world, noura) == 0
    assert _unread(world, ahmed) == unread_before


def _unread(world: World, citizen: Citizen) -> int:
    with world.db() as db:
        person_id = db.scalars(select(Person.id).where(Person.id_number == citizen.id_number)).one()
        query = select(func.count(Notification.id)).where(
            Notification.person_id == person_id, Notification.read_at.is_(None)
        )
        return int(db.scalar(query) or 0)


def test_api_answers_another_persons_application_like_one_never_issued(world: World) -> None:
    """Noura's app, with a token she granted through /oidc/authorize and /oidc/token, asks for Ahmed's."""
    app_client = add_client(world.app, scopes=["openid", "profile", "applications"], name="Noura's app")
    # Noura's browser is signed in through the real pages (when the world was built): she consents there.
    token = tokens_for(world.noura.client, app_client, scope="openid applications")["access_token"]
    api = world.app.test_client()
    bearer = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}

    own = api.get(f"/api/v1/applications/{world.noura.contract}", headers=bearer)
    assert own.status_code == 200
    listed = api.get("/api/v1/applications", headers=bearer).get_json()
    references = {item["reference"] for item in listed["applications"]}
    assert world.noura.contract in references
    assert not references & {world.ahmed.contract, world.ahmed.visa_request, world.ahmed.ticket}

    theirs = api.get(f"/api/v1/applications/{world.ahmed.contract}", headers=bearer)
    nobodys = api.get(f"/api/v1/applications/{unknown_reference(world.ahmed.contract)}", headers=bearer)
    assert theirs.status_code == nobodys.status_code == 404
    assert theirs.get_json() == nobodys.get_json()
