"""Check your answers, then submit once: idempotent, transactional, with the prefill checked again."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select, update

from gateway.forms import Draft
from tests.forms.conftest import CHECK, START, STEP, answer_everything, drafts, english, page
from tests.identity.conftest import RAJESH, Portal


def _all_applications(portal: Portal) -> list:  # type: ignore[type-arg]
    from gateway.applications import Application

    with portal.app.extensions["gateway"].database.session_factory() as db:
        return list(db.scalars(select(Application)).all())


def _key(html: str) -> str:
    match = re.search(r'name="submission_key" value="([^"]+)"', html)
    assert match
    return match.group(1)


def test_check_page_lists_answers_with_change_links(ahmed: FlaskClient) -> None:
    english(ahmed)
    answer_everything(ahmed, crew=True)
    html = page(ahmed.get(CHECK))
    for step in ("personal", "boat", "crew"):
        assert f'<a id="change-{step}" href="/apply/permits/fishing_licence/{step}">Change' in html
    assert "Makkah" in html and "Wood" in html and "Al Bahr" in html and "Saeed" in html
    assert "ahmed@example.com" in html and "+966501234567" in html
    assert "Not given" in html  # the optional file
    assert _key(html)


def test_check_page_sends_back_to_the_first_unanswered_step(ahmed: FlaskClient) -> None:
    ahmed.get(START)
    assert ahmed.get(CHECK).headers["Location"].endswith("/personal")


def test_changing_an_answer_returns_to_the_check_page(ahmed: FlaskClient) -> None:
    answer_everything(ahmed)
    from tests.forms.conftest import BOAT

    response = ahmed.post(STEP + "boat", data={**BOAT, "boat_name": "Renamed"})
    assert response.headers["Location"].endswith("/check")
    assert "Renamed" in page(ahmed.get(CHECK))


def test_submit_creates_one_application_however_often_it_is_posted(ahmed: FlaskClient, forms_portal: Portal) -> None:
    english(ahmed)
    answer_everything(ahmed, crew=True)
    key = _key(page(ahmed.get(CHECK)))
    assert _key(page(ahmed.get(CHECK))) == key  # the same key while the answers do not change
    first = ahmed.post(CHECK, data={"submission_key": key})
    assert first.status_code == 303
    second = ahmed.post(CHECK, data={"submission_key": key})
    assert second.status_code == 303 and second.headers["Location"] == first.headers["Location"]
    (application,) = _all_applications(forms_portal)
    assert re.fullmatch(r"PRM-[0-9A-HJKMNP-TV-Z]{8}", application.reference)
    assert first.headers["Location"].endswith(f"/apply/permits/fishing_licence/done/{application.reference}")
    assert application.state == "submitted" and application.submission_key == key
    assert application.answers["crew"] == {"members": [{"national_id": "1000000008", "name": "Saeed"}]}
    assert application.answers["boat"]["registered_on"] == "1440-07-15"
    assert drafts(forms_portal.app) == []  # the draft went with the same commit

    done = ahmed.get(first.headers["Location"])
    assert done.status_code == 200 and application.reference in page(done)


def test_answers_of_a_skipped_step_are_not_submitted(ahmed: FlaskClient, forms_portal: Portal) -> None:
    from tests.forms.conftest import BOAT

    answer_everything(ahmed, crew=True)
    ahmed.post(STEP + "boat", data=BOAT)  # no crew after all
    html = page(ahmed.get(CHECK))
    assert 'id="section-crew"' not in html
    assert ahmed.post(CHECK, data={"submission_key": _key(html)}).status_code == 303
    (application,) = _all_applications(forms_portal)
    assert set(application.answers) == {"personal", "boat"}


def test_a_stale_or_forged_key_submits_nothing(ahmed: FlaskClient, forms_portal: Portal) -> None:
    answer_everything(ahmed)
    ahmed.get(CHECK)
    assert ahmed.post(CHECK, data={"submission_key": "forged"}).headers["Location"].endswith("/check")
    assert ahmed.post(CHECK, data={}).headers["Location"].endswith("/check")
    assert _all_applications(forms_portal) == []
    assert len(drafts(forms_portal.app)) == 1


def test_a_prefilled_value_tampered_in_the_draft_is_replaced_on_submit(
    ahmed: FlaskClient, forms_portal: Portal
) -> None:
    answer_everything(ahmed)
    key = _key(page(ahmed.get(CHECK)))
    with forms_portal.app.extensions["gateway"].database.session_factory() as db:
        draft = db.scalars(select(Draft)).one()
        answers = dict(draft.answers)
        answers["personal"] = {**answers["personal"], "mobile": "+966555555555", "first_name_ar": "محتال"}
        db.execute(update(Draft).values(answers=answers))
        db.commit()
    assert ahmed.post(CHECK, data={"submission_key": key}).status_code == 303
    (application,) = _all_applications(forms_portal)
    assert application.answers["personal"]["mobile"] == "+966501234567"
    assert application.answers["personal"]["first_name_ar"] == "أحمد"


def test_a_draft_broken_behind_the_forms_back_is_refused_on_submit(ahmed: FlaskClient, forms_portal: Portal) -> None:
    english(ahmed)
    answer_everything(ahmed)
    key = _key(page(ahmed.get(CHECK)))
    with forms_portal.app.extensions["gateway"].database.session_factory() as db:
        draft = db.scalars(select(Draft)).one()
        answers = dict(draft.answers)
        answers["boat"] = {**answers["boat"], "length": 45}  # over 30 m without a crew: the plugin refuses
        db.execute(update(Draft).values(answers=answers))
        db.commit()
    response = ahmed.post(CHECK, data={"submission_key": key})
    assert response.status_code == 400
    assert '<a href="#change-boat">' in page(response) and "needs a crew" in page(response)
    assert _all_applications(forms_portal) == []


def test_the_done_page_is_only_for_the_applicant(ahmed: FlaskClient, forms_portal: Portal) -> None:
    answer_everything(ahmed)
    done_url = ahmed.post(CHECK, data={"submission_key": _key(page(ahmed.get(CHECK)))}).headers["Location"]
    rajesh = forms_portal.client()
    forms_portal.register(rajesh, RAJESH, mobile="+966561230001", username="rajesh", email="rajesh@example.com")
    assert rajesh.get(done_url).status_code == 404
    assert ahmed.get("/apply/permits/fishing_licence/done/PRM-00000000").status_code == 404


def test_submitting_with_a_document_attaches_it(ahmed: FlaskClient, forms_portal: Portal) -> None:
    import io

    import gateway.documents as documents
    from tests.forms.conftest import BOAT, EMAIL

    ahmed.get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    ahmed.post(
        STEP + "boat",
        data={**BOAT, "registration": (io.BytesIO(pdf), "registration.pdf")},
        content_type="multipart/form-data",
    )
    assert ahmed.post(CHECK, data={"submission_key": _key(page(ahmed.get(CHECK)))}).status_code == 303
    (application,) = _all_applications(forms_portal)
    with forms_portal.app.extensions["gateway"].database.session_factory() as db:
        document = documents.document_by_public_id(db, application.answers["boat"]["registration"])
        assert document is not None and document.application_id == application.id
