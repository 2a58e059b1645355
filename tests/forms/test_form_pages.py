"""The step pages: every widget rendered accessibly, server-side validation, prefill and conditions."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.forms.conftest import BOAT, EMAIL, START, STEP, arabic, drafts, english, page
from tests.identity.conftest import Portal


def _input(html: str, field_id: str) -> str:
    match = re.search(rf'<(input|select|textarea)[^>]*\bid="{re.escape(field_id)}"[^>]*>', html)
    assert match, f"no input with id {field_id}"
    return match.group(0)


def test_start_needs_sign_in_and_redirects_to_the_first_step(forms_portal: Portal) -> None:
    anonymous = forms_portal.client()
    response = anonymous.get(START)
    assert response.status_code == 303 and "/account/sign-in" in response.headers["Location"]


def test_unknown_program_service_or_step_is_404(ahmed: FlaskClient) -> None:
    assert ahmed.get("/apply/nothing/fishing_licence/").status_code == 404
    assert ahmed.get("/apply/permits/nothing/").status_code == 404
    assert ahmed.get(STEP + "nothing").status_code == 404
    assert ahmed.post(STEP + "nothing", data={}).status_code == 404


def test_personal_step_shows_prefilled_fields_read_only(ahmed: FlaskClient) -> None:
    response = ahmed.get(START)
    assert response.status_code == 303 and response.headers["Location"].endswith("/personal")
    html = page(english(ahmed).get(STEP + "personal"))
    first_name = _input(html, "first_name_ar")
    assert 'value="أحمد"' in first_name and "readonly" in first_name and "name=" not in first_name
    mobile = _input(html, "mobile")
    assert 'type="tel"' in mobile and 'dir="ltr"' in mobile and "readonly" in mobile
    email = _input(html, "email")
    assert 'type="email"' in email and 'name="email"' in email and 'autocomplete="email"' in email
    assert 'aria-describedby="email-hint"' in email
    assert '<label for="email">Email address</label>' in html
    assert "Step 1 of 2" in html


def test_boat_step_renders_every_widget(ahmed: FlaskClient) -> None:
    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    html = page(ahmed.get(STEP + "boat"))
    assert 'enctype="multipart/form-data"' in html
    length = _input(html, "length")
    assert 'inputmode="decimal"' in length and 'dir="ltr"' in length and 'type="text"' in length
    assert '<select id="region" name="region"' in html and '<option value="makkah">Makkah</option>' in html
    assert re.search(r'<fieldset class="field"[^>]*>\s*<legend>Hull material</legend>', html)
    assert 'type="radio" id="hull" name="hull" value="wood"' in html
    date = _input(html, "registered_on")
    assert 'inputmode="numeric"' in date and 'dir="ltr"' in date
    assert '<textarea id="notes" name="notes"' in html and 'maxlength="500"' in html
    assert re.search(r"<legend>Crew</legend>", html) and 'type="checkbox" id="has_crew" name="has_crew"' in html
    assert 'type="file" id="registration" name="registration"' in html
    assert 'href="/apply/permits/fishing_licence/personal"' in html  # back link


def test_errors_are_summarised_linked_and_tied_to_their_inputs(ahmed: FlaskClient) -> None:
    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    response = ahmed.post(STEP + "boat", data={"length": "long", "registered_on": "31/02/x"})
    assert response.status_code == 400
    html = page(response)
    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#boat_name">Enter a value for “Boat name”.</a>' in html
    assert '<a href="#length">Enter a number, like 12.5.</a>' in html
    assert '<a href="#region">Choose an option for “Home port region”.</a>' in html
    assert '<a href="#hull">Choose an option for “Hull material”.</a>' in html
    assert '<a href="#registered_on">Enter the date as YYYY-MM-DD or DD/MM/YYYY.</a>' in html
    length = _input(html, "length")
    assert 'aria-invalid="true"' in length and 'aria-describedby="length-error"' in length
    assert 'value="long"' in length  # what was typed is kept
    assert "Missing data for required field" not in html
    assert html.count("<title>Error:") == 1


def _in_arabic(portal: Portal, msgid: str) -> str:
    from flask_babel import force_locale, gettext

    with portal.app.test_request_context(), force_locale("ar"):
        translated = gettext(msgid)
    assert translated != msgid, f"no Arabic translation of {msgid!r}"
    return translated


def test_errors_in_arabic(ahmed: FlaskClient, forms_portal: Portal) -> None:
    arabic(ahmed).get(START)
    response = ahmed.post(STEP + "personal", data={"email": "not an email"})
    assert response.status_code == 400
    html = page(response)
    assert 'dir="rtl"' in html
    assert _in_arabic(forms_portal, "Enter an email address like name@example.com.") in html  # the engine's message
    ahmed.post(STEP + "personal", data=EMAIL)
    response = ahmed.post(STEP + "boat", data={**BOAT, "registered_on": "1440"})
    assert response.status_code == 400
    assert _in_arabic(forms_portal, "Enter the date as YYYY-MM-DD or DD/MM/YYYY.") in page(response)  # the SDK's


def test_bad_input_on_every_field_type(ahmed: FlaskClient) -> None:
    english(ahmed).get(START)
    response = ahmed.post(STEP + "personal", data={"email": "not an email"})
    assert response.status_code == 400
    assert "Enter an email address like name@example.com." in page(response)
    ahmed.post(STEP + "personal", data=EMAIL)
    cases = {
        "boat_name": ("x" * 101, "Enter from 2 to 100 characters."),
        "length": ("500", "Enter a number from 1 to 120."),
        "region": ("atlantis", "Choose one of the options offered."),
        "hull": ("paper", "Choose one of the options offered."),
        "registered_on": ("31/02/1440", "Day 31 does not exist in month 2 of 1440 AH; that month has 30 days."),
        "notes": ("y" * 5000, "Enter at most 2000 characters."),
    }
    for name, (bad, message) in cases.items():
        response = ahmed.post(STEP + "boat", data={**BOAT, name: bad})
        assert response.status_code == 400, name
        assert f'<a href="#{name}">{message}</a>' in page(response), name


def test_html_and_script_are_shown_escaped(ahmed: FlaskClient) -> None:
    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    script = '<script>alert("x")</script>'
    response = ahmed.post(STEP + "boat", data={**BOAT, "boat_name": script, "length": "x"})
    html = page(response)
    assert script not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    response = ahmed.post(STEP + "boat", data={**BOAT, "boat_name": script})
    assert response.status_code == 303
    check = page(ahmed.get(response.headers["Location"]))
    assert script not in check and "&lt;script&gt;" in check


def test_arabic_indic_digits_are_accepted(ahmed: FlaskClient, forms_portal: Portal) -> None:
    ahmed.get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    response = ahmed.post(STEP + "boat", data={**BOAT, "length": "١٢", "registered_on": "١٥/٠٧/١٤٤٠"})
    assert response.status_code == 303
    boat = drafts(forms_portal.app)[0].answers["boat"]
    assert boat["length"] == 12.0 and boat["registered_on"] == "1440-07-15"


def test_a_tampered_prefilled_value_is_refused_and_never_stored(ahmed: FlaskClient, forms_portal: Portal) -> None:
    english(ahmed).get(START)
    response = ahmed.post(STEP + "personal", data={**EMAIL, "first_name_ar": "محتال", "mobile": "0555555555"})
    assert response.status_code == 400
    assert "comes from your identity record" in page(response)
    assert "محتال" not in page(response)
    assert all("محتال" not in str(draft.answers) for draft in drafts(forms_portal.app))
    accepted = ahmed.post(STEP + "personal", data={**EMAIL, "first_name_ar": "أحمد"})
    assert accepted.status_code == 303
    personal = drafts(forms_portal.app)[0].answers["personal"]
    assert personal == {"first_name_ar": "أحمد", "mobile": "+966501234567", "email": "ahmed@example.com"}


def test_the_plugin_validation_hook_runs_after_the_schema(ahmed: FlaskClient) -> None:
    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    response = ahmed.post(STEP + "boat", data={**BOAT, "length": "45"})
    assert response.status_code == 400
    assert '<a href="#has_crew">A boat longer than 30 m needs a crew.</a>' in page(response)
    assert ahmed.post(STEP + "boat", data={**BOAT, "length": "45", "has_crew": "y"}).status_code == 303


def test_the_crew_step_appears_only_when_asked_for(ahmed: FlaskClient) -> None:
    ahmed.get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    response = ahmed.post(STEP + "boat", data=BOAT)
    assert response.headers["Location"].endswith("/check")
    skipped = ahmed.get(STEP + "crew")
    assert skipped.status_code == 303 and skipped.headers["Location"].endswith("/check")
    assert 'id="section-crew"' not in page(ahmed.get("/apply/permits/fishing_licence/check"))

    response = ahmed.post(STEP + "boat", data={**BOAT, "has_crew": "y"})
    assert response.headers["Location"].endswith("/crew")
    html = page(english(ahmed).get(STEP + "crew"))
    assert "Step 3 of 3" in html
    assert ahmed.get("/apply/permits/fishing_licence/check").headers["Location"].endswith("/crew")


def test_add_another_row_without_javascript(ahmed: FlaskClient, forms_portal: Portal) -> None:
    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    ahmed.post(STEP + "boat", data={**BOAT, "has_crew": "y"})
    html = page(ahmed.get(STEP + "crew"))
    assert 'name="members-0-national_id"' in html and 'name="members-1-national_id"' not in html
    assert 'name="add_members"' in html
    response = ahmed.post(
        STEP + "crew",
        data={
            "members-rows": "1",
            "members-0-national_id": "1000000008",
            "members-0-name": "Saeed",
            "add_members": "1",
        },
    )
    assert response.status_code == 200
    html = page(response)
    assert 'name="members-1-national_id"' in html and 'name="members-rows" value="2"' in html
    assert 'value="Saeed"' in html  # the first row is kept
    assert "crew" not in drafts(forms_portal.app)[0].answers  # adding a row saves nothing yet

    response = ahmed.post(
        STEP + "crew",
        data={
            "members-rows": "2",
            "members-0-national_id": "١٠٠٠٠٠٠٠٠٨",
            "members-0-name": "Saeed",
            "members-1-national_id": "1000000009",
            "members-1-name": "Omar",
        },
    )
    assert response.status_code == 400
    html = page(response)
    assert '<a href="#members-1-national_id">' in html
    assert 'id="members-1-national_id" name="members-1-national_id" value="1000000009"' in html

    response = ahmed.post(
        STEP + "crew",
        data={"members-rows": "2", "members-0-national_id": "1000000008", "members-0-name": "Saeed"},
    )
    assert response.status_code == 303  # a blank second row is no row
    assert drafts(forms_portal.app)[0].answers["crew"] == {"members": [{"national_id": "1000000008", "name": "Saeed"}]}


def test_an_empty_group_is_refused(ahmed: FlaskClient) -> None:
    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    ahmed.post(STEP + "boat", data={**BOAT, "has_crew": "y"})
    response = ahmed.post(STEP + "crew", data={"members-rows": "1"})
    assert response.status_code == 400
    assert '<a href="#members">' in page(response)
    assert ahmed.post(STEP + "crew", data={"members-rows": "many"}).status_code == 400


def test_a_file_is_stored_and_kept_in_the_draft(ahmed: FlaskClient, forms_portal: Portal) -> None:
    import io

    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = ahmed.post(
        STEP + "boat",
        data={**BOAT, "registration": (io.BytesIO(pdf), "registration.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, page(response)
    kept = drafts(forms_portal.app)[0].answers["boat"]["registration"]
    assert kept and kept != "registration.pdf"  # the document's public id
    # Saving the step again without choosing a file keeps the uploaded one.
    assert ahmed.post(STEP + "boat", data=BOAT, content_type="multipart/form-data").status_code == 303
    assert drafts(forms_portal.app)[0].answers["boat"]["registration"] == kept
    assert "A file is already uploaded" in page(ahmed.get(STEP + "boat"))


def test_a_file_whose_extension_lies_is_refused(ahmed: FlaskClient) -> None:
    import io

    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    response = ahmed.post(
        STEP + "boat",
        data={**BOAT, "registration": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "registration.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert '<a href="#registration">Only PDF, JPEG and PNG files are accepted.' in page(response)


def test_one_language_never_leaks_into_the_next_request(ahmed: FlaskClient, forms_portal: Portal) -> None:
    english(ahmed).get(START)
    assert "Enter an email address" in page(ahmed.post(STEP + "personal", data={"email": "x"}))
    arabic(ahmed)
    html = page(ahmed.post(STEP + "personal", data={"email": "x"}))
    assert "Enter an email address" not in html
    assert _in_arabic(forms_portal, "Enter an email address like name@example.com.") in html
    english(ahmed)
    assert "Enter an email address" in page(ahmed.post(STEP + "personal", data={"email": "x"}))


def test_a_file_chosen_on_a_page_with_errors_is_kept(ahmed: FlaskClient, forms_portal: Portal) -> None:
    import io

    english(ahmed).get(START)
    ahmed.post(STEP + "personal", data=EMAIL)
    pdf = b"%PDF-1.4\n%%EOF\n"
    response = ahmed.post(
        STEP + "boat",
        data={**BOAT, "boat_name": "", "registration": (io.BytesIO(pdf), "registration.pdf")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "A file is already uploaded" in page(response)
    assert ahmed.post(STEP + "boat", data=BOAT, content_type="multipart/form-data").status_code == 303
    answers = drafts(forms_portal.app)[0].answers
    assert answers["boat"]["registration"] and "_files" not in answers
