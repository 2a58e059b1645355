"""The citizen's pages: dashboard, application page, answering, withdrawing, lookup; only one's own."""

from __future__ import annotations

import io

from sqlalchemy import select

from bawaba_sdk import Program, Service
from bawaba_sdk.applications import IN_REVIEW, NEEDS_INFORMATION, SUBMITTED, WITHDRAWN
from gateway.applications import Application, ApplicationEvent, add_message, submit_application, transition
from gateway.identity.models import Person
from tests.applications.conftest import Citizens
from tests.identity.conftest import AHMED, RAJESH
from tests.sample_plugins import workflow_probe as probe

EN = {"Accept-Language": "en"}
AR = {"Accept-Language": "ar"}


def apply(
    citizens: Citizens,
    program: Program,
    service: Service,
    key: str,
    id_number: str = AHMED["id_number"],
    answers: dict | None = None,
) -> str:
    """Submit an application directly through the store, as the forms engine will; return its reference."""
    with citizens.app.app_context():
        db = citizens.app.extensions["gateway"].db_session()
        person = db.scalars(select(Person).where(Person.id_number == id_number)).one()
        application = submit_application(
            db,
            person=person,
            program=program,
            service=service,
            answers=answers or {"about": {"note": "hello"}},
            submission_key=key,
        )
        db.commit()
        return application.reference


def ask_for_information(citizens: Citizens, reference: str, question: str) -> None:
    """What the back office will do: start the review, then ask a question."""
    with citizens.app.app_context():
        db = citizens.app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        transition(db, application, IN_REVIEW, actor="staff:1", actor_kind="staff")
        add_message(db, application, author="staff", body=question)
        transition(db, application, NEEDS_INFORMATION, actor="staff:1", actor_kind="staff", comment=question)
        db.commit()


def stored(citizens: Citizens, reference: str) -> Application:
    with citizens.db() as db:
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        _ = (application.events, application.messages)
        return application


def test_the_dashboard_asks_for_sign_in(citizens: Citizens) -> None:
    response = citizens.app.test_client().get("/applications/")
    assert response.status_code == 303
    assert "/account/sign-in" in response.headers["Location"]


def test_an_empty_dashboard_says_so(citizens: Citizens) -> None:
    page = citizens.ahmed().get("/applications/", headers=EN).get_data(as_text=True)
    assert "You have no applications yet" in page


def test_the_dashboard_lists_every_program_s_applications_newest_first(citizens: Citizens) -> None:
    client = citizens.ahmed()
    musaned, gosi = citizens.program("musaned"), citizens.program("gosi")
    visa = apply(citizens, musaned, musaned.services[0], "k-musaned")
    # GOSI works the pension out at submission from the record of the ID number in the answers (prefilled
    # from the applicant on the pages); Ahmed has no GOSI record, so these answers name a sandbox contributor.
    naming_a_contributor = {"payment": {"id_number": "1000000016", "birth_date": "1964-03-02"}}
    pension = apply(citizens, gosi, gosi.services[0], "k-gosi", answers=naming_a_contributor)
    permit = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-probe")
    ask_for_information(citizens, permit, "Which lake?")
    response = client.get("/applications/", headers=EN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.index(permit) < page.index(pension) < page.index(visa)
    for text in (
        str(musaned.name),
        str(gosi.name),
        "Probe",
        "Permit",
        "Needs information from you",
        "Submitted",
        "Answer the request for information",
        "Nothing to do: we are reviewing your application",
    ):
        assert text in page, text
    assert visa.startswith("MUS-") or visa.split("-")[0] == (musaned.services[0].reference_prefix or "MUS")


def test_names_and_states_follow_the_language(citizens: Citizens) -> None:
    client = citizens.ahmed()
    musaned = citizens.program("musaned")
    apply(citizens, musaned, musaned.services[0], "k-1")
    with citizens.app.test_request_context(headers=AR):
        arabic_name = str(musaned.name)
    page = client.get("/applications/", headers=AR).get_data(as_text=True)
    assert arabic_name in page
    assert 'lang="ar"' in page and 'dir="rtl"' in page


def test_the_application_page_shows_answers_history_and_messages(citizens: Citizens) -> None:
    client = citizens.ahmed()
    answers = {"about": {"lake": "asir", "note": "<b>Bring a boat</b>"}, "extra_step": {"x": [1, True]}}
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1", answers=answers)
    ask_for_information(citizens, reference, "Which lake, exactly?")
    response = client.get(f"/applications/{reference}", headers=EN)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for text in (
        reference,
        "Permit",
        "Probe",
        "Which lake, exactly?",
        "&lt;b&gt;Bring a boat&lt;/b&gt;",
        "About your trip",
        "Which lake",
        "Lake Asir",
        "Anything else",
        "extra_step",
        "1; Yes",
        "In review",
        "Needs information from you",
        "Answer the request for information",
        "Program staff",
    ):
        assert text in page, text
    assert "<b>Bring" not in page


def test_a_reference_in_lower_case_leads_to_the_same_page(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    response = client.get(f"/applications/{reference.lower()}")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/applications/{reference}")


def test_another_person_s_application_is_not_found_anywhere(citizens: Citizens) -> None:
    citizens.ahmed()
    rajesh = citizens.rajesh()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-ahmed")
    ask_for_information(citizens, reference, "Which lake?")
    for response in (
        rajesh.get(f"/applications/{reference}"),
        rajesh.get(f"/applications/{reference}/withdraw"),
        rajesh.post(f"/applications/{reference}/answer", data={"answer": "mine now"}),
        rajesh.post(f"/applications/{reference}/withdraw", data={}),
        rajesh.get("/applications/PRB-00000000"),
    ):
        assert response.status_code == 404
    assert rajesh.get("/applications/lookup", query_string={"reference": reference}).status_code == 404
    assert rajesh.get("/applications/lookup", query_string={"reference": "PRB-00000000"}).status_code == 404
    assert reference not in rajesh.get("/applications/").get_data(as_text=True)
    application = stored(citizens, reference)
    assert application.state == NEEDS_INFORMATION and len(application.messages) == 1


def test_lookup_finds_one_s_own_application_however_it_is_typed(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    arabic_digits = reference.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    for typed in (reference, reference.lower(), f"  {arabic_digits} "):
        response = client.get("/applications/lookup", query_string={"reference": typed})
        assert response.status_code == 303, typed
        assert response.headers["Location"].endswith(f"/applications/{reference}")


def test_lookup_explains_a_malformed_reference(citizens: Citizens) -> None:
    client = citizens.ahmed()
    assert client.get("/applications/lookup").status_code == 200
    response = client.get("/applications/lookup", query_string={"reference": "<script>alert(1)</script>"}, headers=EN)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "There is a problem" in page and "Enter a reference number" in page
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert client.get("/applications/lookup", query_string={"reference": "x" * 10000}).status_code == 400


def test_answering_a_request_for_information(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    ask_for_information(citizens, reference, "Which lake?")
    response = client.post(f"/applications/{reference}/answer", data={"answer": "Lake Asir, near Abha."}, headers=EN)
    assert response.status_code == 303
    page = client.get(response.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Your answer has been sent" in page and "Lake Asir, near Abha." in page
    application = stored(citizens, reference)
    assert application.state == IN_REVIEW
    assert [(message.author, message.body) for message in application.messages] == [
        ("staff", "Which lake?"),
        ("citizen", "Lake Asir, near Abha."),
    ]
    last = application.events[-1]
    assert (last.source, last.target, last.actor_kind) == (NEEDS_INFORMATION, IN_REVIEW, "citizen")
    assert probe.CALLS[-1]["target"] == IN_REVIEW
    again = client.post(f"/applications/{reference}/answer", data={"answer": "more"}, headers=EN)
    assert again.status_code == 409
    assert "not waiting for information" in again.get_data(as_text=True)


def test_a_bad_answer_is_refused_and_what_was_typed_is_kept(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    ask_for_information(citizens, reference, "Which lake?")
    empty = client.post(f"/applications/{reference}/answer", data={"answer": "  \u200f "}, headers=EN)
    assert empty.status_code == 400
    assert "Write your answer" in empty.get_data(as_text=True)
    long_answer = "<script>alert('x')</script>" + "a" * 2000
    too_long = client.post(f"/applications/{reference}/answer", data={"answer": long_answer}, headers=EN)
    assert too_long.status_code == 400
    page = too_long.get_data(as_text=True)
    assert "Use at most 2000 characters" in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" + "a" * 2000 in page
    assert "<script>alert" not in page
    assert client.post(f"/applications/{reference}/answer", data={}).status_code == 400
    application = stored(citizens, reference)
    assert application.state == NEEDS_INFORMATION and len(application.messages) == 1


def test_an_answer_with_markup_is_shown_as_text(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    ask_for_information(citizens, reference, "Which lake?")
    client.post(f"/applications/{reference}/answer", data={"answer": "<img src=x onerror=alert(1)>"})
    page = client.get(f"/applications/{reference}").get_data(as_text=True)
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page


def test_a_plugin_that_fails_while_answering_changes_nothing(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    ask_for_information(citizens, reference, "Which lake?")
    probe.RAISE_ON.add(IN_REVIEW)
    response = client.post(f"/applications/{reference}/answer", data={"answer": "Lake Asir"}, headers=EN)
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    assert "Nothing was saved" in page and "Lake Asir" in page
    application = stored(citizens, reference)
    assert application.state == NEEDS_INFORMATION and len(application.messages) == 1


def test_withdrawing_after_confirmation(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    page = client.get(f"/applications/{reference}", headers=EN).get_data(as_text=True)
    assert f"/applications/{reference}/withdraw" in page
    confirm = client.get(f"/applications/{reference}/withdraw", headers=EN)
    assert confirm.status_code == 200 and "Yes, withdraw my application" in confirm.get_data(as_text=True)
    assert stored(citizens, reference).state == SUBMITTED, "asking to confirm changes nothing"
    too_long = client.post(f"/applications/{reference}/withdraw", data={"reason": "r" * 501}, headers=EN)
    assert too_long.status_code == 400 and "Use at most 500 characters" in too_long.get_data(as_text=True)
    done = client.post(f"/applications/{reference}/withdraw", data={"reason": "Plans changed"}, headers=EN)
    assert done.status_code == 303
    page = client.get(done.headers["Location"], headers=EN).get_data(as_text=True)
    assert "Your application has been withdrawn" in page and "Plans changed" in page
    assert f"/applications/{reference}/withdraw" not in page
    application = stored(citizens, reference)
    assert application.state == WITHDRAWN
    assert (application.events[-1].actor_kind, application.events[-1].comment) == ("citizen", "Plans changed")
    assert client.post(f"/applications/{reference}/withdraw", data={}).status_code == 409
    assert client.get(f"/applications/{reference}/withdraw").status_code == 409


def test_an_approved_application_cannot_be_withdrawn(citizens: Citizens) -> None:
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    with citizens.app.app_context():
        db = citizens.app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        transition(db, application, IN_REVIEW, actor="staff:1", actor_kind="staff")
        transition(db, application, "approved", actor="staff:1", actor_kind="staff")
        db.commit()
    page = client.get(f"/applications/{reference}", headers=EN).get_data(as_text=True)
    assert "Withdraw this application" not in page and probe.PERMIT_NUMBER in page
    assert client.post(f"/applications/{reference}/withdraw", data={}).status_code == 409
    with citizens.db() as db:
        events = db.scalars(select(ApplicationEvent).order_by(ApplicationEvent.id)).all()
        assert [event.target for event in events][-1] == "approved"


def test_changes_need_the_csrf_token(citizens: Citizens) -> None:
    citizens.app.config["WTF_CSRF_ENABLED"] = True
    client = citizens.app.test_client()
    citizens.app.config["WTF_CSRF_ENABLED"] = False
    citizens.portal.register(client)
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    citizens.app.config["WTF_CSRF_ENABLED"] = True
    assert client.post(f"/applications/{reference}/withdraw", data={}).status_code == 400
    assert stored(citizens, reference).state == SUBMITTED


def test_rajesh_sees_only_his_own(citizens: Citizens) -> None:
    ahmed = citizens.ahmed()
    rajesh = citizens.rajesh()
    mine = apply(citizens, probe.PROGRAM, probe.NOTE, "k-r", id_number=RAJESH["id_number"])
    theirs = apply(citizens, probe.PROGRAM, probe.NOTE, "k-a")
    rajesh_page = rajesh.get("/applications/").get_data(as_text=True)
    assert mine in rajesh_page and theirs not in rajesh_page
    ahmed_page = ahmed.get("/applications/").get_data(as_text=True)
    assert theirs in ahmed_page and mine not in ahmed_page


def test_the_application_page_lists_its_documents(citizens: Citizens) -> None:
    from werkzeug.datastructures import FileStorage

    from gateway import documents

    if documents.EXTENSION_KEY not in citizens.app.extensions:
        documents.init_documents(citizens.app)
    client = citizens.ahmed()
    reference = apply(citizens, probe.PROGRAM, probe.PERMIT, "k-1")
    with citizens.app.app_context():
        db = citizens.app.extensions["gateway"].db_session()
        application = db.scalars(select(Application).where(Application.reference == reference)).one()
        upload = FileStorage(io.BytesIO(b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"), filename="licence <1>.pdf")
        document = documents.store_upload(db, person_id=application.person_id, file_storage=upload, purpose="licence")
        documents.attach(db, document, application.id)
        db.commit()
        public_id = document.public_id
    page = client.get(f"/applications/{reference}", headers=EN).get_data(as_text=True)
    assert "Documents" in page and f"/documents/{public_id}" in page
    assert "<1>" not in page


def test_the_dashboard_offers_to_continue_a_draft(citizens: Citizens) -> None:
    from gateway import forms
    from gateway.forms.drafts import draft_for

    if forms.EXTENSION_KEY not in citizens.app.extensions:
        forms.init_forms(citizens.app)
    client = citizens.ahmed()
    with citizens.app.app_context():
        db = citizens.app.extensions["gateway"].db_session()
        person = db.scalars(select(Person).where(Person.id_number == AHMED["id_number"])).one()
        draft_for(db, person.id, "probe", "permit")
        db.commit()
    page = client.get("/applications/", headers=EN).get_data(as_text=True)
    assert "Applications you have not sent yet" in page and "Permit" in page
    assert 'href="/apply/probe/permit/"' in page
    assert "You have not sent any application yet." in page
