"""Who may request a visa: the registry as it is now, the rules from configuration, every path refused.

The checks are shown on Musaned's own page (``/musaned/eligibility``) and
enforced by the host on every page of the request form, its "check your
answers" page and its submission: a person who does not meet a rule learns
which one, with the figures, and what to do; posting straight to a later
step changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from flask import Flask
from musaned_portal import MINIMAL_PDF, Musaned, text

from bawaba_sdk.testing.registry import RegistryChanges, changed_registry

AHMED = "1000000008"
KHALID = "1000000016"
FATIMAH = "1000000032"
RAJESH = "2000000006"
MAHMOUD = "2000000022"
BILAL = "2000000030"
SITI = "2000000048"
EN = {"Accept-Language": "en"}
FORM = "/apply/musaned/new_visa/"
PAGE = "/musaned/eligibility"

WORKER = {"worker_type": "housemaid", "nationality": "PH", "salary": "1500"}
HOUSEHOLD = {"household_size": "4", "dwelling_type": "apartment", "region": "makkah", "city": "Jeddah"}


def capacity(income: str = "18000") -> dict[str, Any]:
    return {"proof_kind": "bank_statement", "monthly_income": income, "proof": (BytesIO(MINIMAL_PDF), "bank.pdf")}


def steps(income: str = "18000") -> dict[str, dict[str, Any]]:
    return {"worker": dict(WORKER), "household": dict(HOUSEHOLD), "capacity": capacity(income)}


def checks_of(html: str) -> dict[str, bool]:
    """Each check's label -> met, as the host's checklist shows them."""
    found = re.findall(r'checklist__item--(passed|failed)">.*?<strong>(.*?)</strong>', html, re.DOTALL)
    return {label.strip(): state == "passed" for state, label in found}


@pytest.fixture
def configured(
    make_portal: Callable[..., Flask], sign_in_as: Callable[..., Any], tmp_path: Any
) -> Callable[..., Musaned]:
    """A Musaned portal with settings of the test's choosing (``MUSANED_<NAME>=...``)."""

    def build(**settings: str) -> Musaned:
        app = make_portal(
            plugins="musaned",
            RATE_LIMIT_SIGNIN="1000/minute",
            RATE_LIMIT_REGISTRATION="1000/minute",
            RATE_LIMIT_CODES="1000/minute",
            DOCUMENT_STORAGE_PATH=str(tmp_path / "documents"),
            **settings,
        )
        return Musaned(app=app, sign_in_as=sign_in_as)

    return build


@pytest.fixture
def registry(musaned: Musaned) -> Iterator[RegistryChanges]:
    """The registry with records changed after registration (the SDK kit's ``changed_registry``)."""
    with changed_registry(musaned.app) as changes:
        yield changes


# -- who may apply ---------------------------------------------------------------------------


def test_ahmed_meets_every_condition_and_is_shown_the_way_in(musaned: Musaned) -> None:
    ahmed = musaned.citizen(AHMED)
    page = ahmed.get(PAGE, headers=EN)
    assert page.status_code == 200
    html = text(page)
    assert checks_of(html) == {
        "Your type of ID may request a visa": True,
        "Your Absher account is active": True,
        "You have no unpaid traffic violations": True,
        "Your financial capacity meets the minimum": True,
        "Your visa requests waiting for a decision are within the limit": True,
    }
    assert "Your registered monthly income is 18,000.00 SAR; the minimum for citizens is 5,000.00 SAR." in html
    assert f'href="{FORM}"' in html
    assert ahmed.get(FORM).status_code == 303


def test_khalid_is_refused_with_the_amount_he_owes_on_every_path(musaned: Musaned) -> None:
    khalid = musaned.citizen(KHALID)
    html = text(khalid.get(PAGE, headers=EN))
    assert checks_of(html)["You have no unpaid traffic violations"] is False
    assert "You have 1,250.00 SAR of unpaid traffic violations. They must be paid first" in html
    assert "SADAD" in html
    assert f'href="{FORM}"' not in html

    refused = khalid.get(FORM, headers=EN)
    assert refused.status_code == 403
    assert "1,250.00 SAR" in text(refused)
    for step, data in (("worker", WORKER), ("household", HOUSEHOLD), ("capacity", capacity())):
        answer = khalid.post(FORM + step, data=data, content_type="multipart/form-data", headers=EN)
        assert answer.status_code == 403, step
        assert "1,250.00 SAR" in text(answer)
    assert khalid.get(FORM + "check").status_code == 403
    assert khalid.post(FORM + "check", data={"submission_key": "anything"}).status_code == 403


def test_the_arabic_page_shows_the_amount_right_to_left(musaned: Musaned) -> None:
    khalid = musaned.citizen(KHALID)
    html = text(khalid.get(PAGE))
    assert '<html lang="ar" dir="rtl"' in html
    assert "1,250.00" in html


def test_rajesh_a_resident_above_the_residents_minimum_may_apply(musaned: Musaned) -> None:
    rajesh = musaned.citizen(RAJESH)
    html = text(rajesh.get(PAGE, headers=EN))
    assert all(checks_of(html).values())
    assert "the minimum for residents is 10,000.00 SAR" in html
    assert rajesh.get(FORM).status_code == 303


def test_bilal_below_the_residents_minimum_is_refused_with_both_figures(musaned: Musaned) -> None:
    bilal = musaned.citizen(BILAL)
    html = text(bilal.get(PAGE, headers=EN))
    assert checks_of(html)["Your financial capacity meets the minimum"] is False
    assert "Your registered monthly income is 4,500.00 SAR; the minimum for residents is 10,000.00 SAR." in html
    refused = bilal.get(FORM, headers=EN)
    assert refused.status_code == 403
    assert "4,500.00 SAR" in text(refused)


def test_fatimah_below_the_citizens_minimum_is_refused(musaned: Musaned) -> None:
    fatimah = musaned.citizen(FATIMAH)
    assert checks_of(text(fatimah.get(PAGE, headers=EN)))["Your financial capacity meets the minimum"] is False
    assert fatimah.get(FORM).status_code == 403


def test_mahmoud_fails_two_conditions_and_sees_both(musaned: Musaned) -> None:
    mahmoud = musaned.citizen(MAHMOUD)
    html = text(mahmoud.get(PAGE, headers=EN))
    unmet = [label for label, met in checks_of(html).items() if not met]
    assert unmet == ["You have no unpaid traffic violations", "Your financial capacity meets the minimum"]
    assert "450.00 SAR" in html and "9,000.00 SAR" in html


def test_without_a_registered_income_the_proof_decides(musaned: Musaned) -> None:
    siti = musaned.citizen(SITI)
    html = text(siti.get(PAGE, headers=EN))
    assert checks_of(html)["Your financial capacity meets the minimum"] is True
    assert "No monthly income is registered for you" in html
    assert "at least 10,000.00 SAR a month" in html
    siti.get(FORM)
    low = siti.post(FORM + "capacity", data=capacity("6000"), content_type="multipart/form-data", headers=EN)
    assert low.status_code == 400
    assert "The minimum monthly income for residents is 10,000.00 SAR; you entered 6,000.00 SAR." in text(low)
    reference = musaned.submit(siti, "new_visa", steps("11000"))
    assert musaned.application(reference).state == "submitted"


# -- the registry is read live ----------------------------------------------------------------


def test_paying_the_fines_lets_khalid_apply_at_once(musaned: Musaned, registry: RegistryChanges) -> None:
    khalid = musaned.citizen(KHALID)
    assert khalid.get(FORM).status_code == 403
    registry.changes[KHALID] = {"unpaid_violations": Decimal("0.00")}
    assert khalid.get(FORM).status_code == 303
    assert all(checks_of(text(khalid.get(PAGE, headers=EN))).values())


def test_an_account_deactivated_after_registration_is_refused(musaned: Musaned, registry: RegistryChanges) -> None:
    ahmed = musaned.citizen(AHMED)
    registry.changes[AHMED] = {"account_active": False}
    html = text(ahmed.get(PAGE, headers=EN))
    assert checks_of(html)["Your Absher account is active"] is False
    assert "Activate it on Absher" in html
    assert ahmed.get(FORM).status_code == 403


def test_a_registry_outage_says_try_later_not_refused(musaned: Musaned, registry: RegistryChanges) -> None:
    ahmed = musaned.citizen(AHMED)
    registry.down = True
    page = ahmed.get(PAGE, headers=EN)
    assert page.status_code == 503
    assert "Try again in a few minutes" in text(page)
    assert "not eligible" not in text(page).lower()
    assert ahmed.get(FORM).status_code == 503


def test_a_fine_registered_while_filling_the_form_is_caught_at_the_last_step(
    musaned: Musaned, registry: RegistryChanges
) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    registry.script = [{}, {"unpaid_violations": Decimal("300.00")}]  # the page's check, then the step's
    answer = ahmed.post(FORM + "capacity", data=capacity(), content_type="multipart/form-data", headers=EN)
    assert answer.status_code == 400
    assert "You have 300.00 SAR of unpaid traffic violations." in text(answer)


def test_an_outage_at_the_last_step_asks_to_try_again(musaned: Musaned, registry: RegistryChanges) -> None:
    ahmed = musaned.citizen(AHMED)
    ahmed.get(FORM)
    registry.script = [{}, None]
    answer = ahmed.post(FORM + "capacity", data=capacity(), content_type="multipart/form-data", headers=EN)
    assert answer.status_code == 400
    assert "Try again in a few minutes." in text(answer)


# -- the rules come from configuration ----------------------------------------------------------


def test_citizens_only_refuses_rajesh_and_keeps_ahmed(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_ALLOWED_ID_TYPES="citizen")
    rajesh = musaned.citizen(RAJESH)
    html = text(rajesh.get(PAGE, headers=EN))
    assert checks_of(html)["Your type of ID may request a visa"] is False
    assert "Visa requests are open to citizens only." in html
    assert rajesh.get(FORM).status_code == 403
    assert rajesh.post(FORM + "worker", data=WORKER, headers=EN).status_code == 403
    assert musaned.citizen(AHMED).get(FORM).status_code == 303


def test_a_lower_residents_minimum_lets_bilal_apply(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_MIN_MONTHLY_INCOME_RESIDENT="4000")
    bilal = musaned.citizen(BILAL)
    html = text(bilal.get(PAGE, headers=EN))
    assert "the minimum for residents is 4,000.00 SAR" in html
    assert bilal.get(FORM).status_code == 303


def test_a_higher_citizens_minimum_refuses_ahmed(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_MIN_MONTHLY_INCOME_CITIZEN="20000")
    ahmed = musaned.citizen(AHMED)
    assert "the minimum for citizens is 20,000.00 SAR" in text(ahmed.get(PAGE, headers=EN))
    assert ahmed.get(FORM).status_code == 403


def test_open_requests_are_limited_and_freed_by_a_decision(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_MAX_OPEN_VISA_REQUESTS="1")
    ahmed = musaned.citizen(AHMED)
    reference = musaned.submit(ahmed, "new_visa", steps())
    refused = ahmed.get(FORM, headers=EN)
    assert refused.status_code == 403
    assert "You have 1 visa request waiting for a decision; at most 1 may wait at the same time." in text(refused)
    withdrawn = ahmed.post(f"/applications/{reference}/withdraw", data={"reason": ""})
    assert withdrawn.status_code == 303
    assert ahmed.get(FORM).status_code == 303


def test_no_limit_when_the_setting_is_zero(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_MAX_OPEN_VISA_REQUESTS="0")
    ahmed = musaned.citizen(AHMED)
    labels = checks_of(text(ahmed.get(PAGE, headers=EN)))
    assert "Your visa requests waiting for a decision are within the limit" not in labels
    for _ in range(2):
        musaned.submit(ahmed, "new_visa", steps())
    assert ahmed.get(FORM).status_code == 303


def test_the_program_page_states_the_configured_rules(configured: Callable[..., Musaned]) -> None:
    musaned = configured(MUSANED_ALLOWED_ID_TYPES="resident", MUSANED_MIN_MONTHLY_INCOME_RESIDENT="12500")
    page = text(musaned.app.test_client().get("/musaned/", headers=EN))
    assert "Visa requests are open to residents only." in page
    assert "Residents: a monthly income of at least 12,500.00 SAR." in page
    assert "Citizens: a monthly income" not in page
