"""GOSI's records adapter: the sandbox's people, and the HTTP service tested against a real local server.

The adapter is the SDK's :class:`sdk.AdapterChoice`: the setting
``GOSI_RECORDS_ADAPTER`` picks ``sandbox`` or ``http`` (or a class by its
import path), every implementation keeps the :class:`Records` protocol, and
an HTTP service that is down, slow or failing is reported as
:class:`sdk.AdapterUnavailable` after its retries, never as "no record".
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from importlib import resources
from typing import Any

import pytest

import bawaba_sdk as sdk
from bawaba_gosi.adapters import RECORDS, HttpRecords, SandboxRecords
from bawaba_gosi.records import HAZARDS_ONLY
from bawaba_gosi.rules import published_parameters
from bawaba_sdk.testing.adapters import adapter_problems
from bawaba_sdk.testing.json_service import JsonService

SANDBOX = json.loads(resources.files("bawaba_gosi").joinpath("data/sandbox_records.json").read_text(encoding="utf-8"))[
    "contributors"
]
AHMED = next(person for person in SANDBOX if person["id_number"] == "1000000008")
HIGHEST, LOWEST = Decimal(45000), Decimal(1500)


def http_settings(url: str, **more: Any) -> dict[str, Any]:
    return {
        "records_adapter": "http",
        "records_url": url,
        "records_token": "gosi-test-token",
        "records_timeout": Decimal("0.5"),
        "records_retries": 1,
        **more,
    }


# -- the protocol and the choice ----------------------------------------------------------


def test_every_implementation_keeps_the_records_protocol() -> None:
    assert adapter_problems(RECORDS, {"records_url": "http://127.0.0.1:9"}) == []


def test_the_setting_names_an_implementation_or_a_class() -> None:
    assert RECORDS.parse("sandbox") == "sandbox"
    assert RECORDS.parse("bawaba_gosi.adapters:SandboxRecords") == "bawaba_gosi.adapters:SandboxRecords"
    with pytest.raises(sdk.SettingError, match="must be one of http, sandbox"):
        RECORDS.parse("gosi-live")
    with pytest.raises(sdk.SettingError, match="has no class"):
        RECORDS.parse("bawaba_gosi.adapters:Nothing")


def test_the_http_adapter_needs_its_address() -> None:
    with pytest.raises(sdk.SettingError, match="records_url"):
        RECORDS.build({"records_adapter": "http", "records_url": ""})


def test_a_wrong_choice_stops_the_portal_naming_the_variable(make_portal: Callable[..., Any]) -> None:
    with pytest.raises(Exception, match="GATEWAY_GOSI_RECORDS_ADAPTER"):
        make_portal(plugins="gosi", GOSI_RECORDS_ADAPTER="live")


def test_http_without_an_address_fails_at_boot_not_at_a_click(make_portal: Callable[..., Any]) -> None:
    with pytest.raises(Exception, match="records_url must be set"):  # the kit's portals are strict
        make_portal(plugins="gosi", GOSI_RECORDS_ADAPTER="http")


# -- the sandbox ------------------------------------------------------------------------------


def test_the_sandbox_has_at_least_fifteen_people_of_the_registry() -> None:
    registry = json.loads(
        resources.files("gateway.registry").joinpath("data/sandbox_people.json").read_text(encoding="utf-8")
    )
    known = {person["id_number"] for person in registry["people"]}
    ids = [person["id_number"] for person in SANDBOX]

    assert len(set(ids)) == len(ids) >= 15
    assert set(ids) <= known


def test_the_sandbox_covers_every_case_the_issue_lists() -> None:
    records = SandboxRecords({})
    parameters = published_parameters()
    on = date(2026, 12, 1)

    def get(id_number: str) -> Any:
        found = records.contributor(id_number)
        assert found is not None, id_number
        return found

    long_career = get("1000000040")
    assert long_career.contribution_months() >= 120 and long_career.current_registrations == ()
    early = get("1000000016")
    assert early.contribution_months() >= 300 and early.regime(parameters) == "old"
    assert early.last_registration is not None
    short = get("1754377297")
    assert short.contribution_months() * short.average_wage(24, LOWEST, HIGHEST) * Decimal("0.025") / 12 < Decimal(
        "1983.75"
    )
    above_cap = get("1646650307")
    month = date(2026, 11, 1)
    assert above_cap.wages_by_month()[month] > HIGHEST
    assert above_cap.average_wage(24, LOWEST, HIGHEST) == HIGHEST
    assert get("1443543960").regime(parameters) == "new"
    assert get("1741516403").regime(parameters) == "old"  # back at work in 2025, first registered in 2008
    job_loss = get("1000000065")
    last = job_loss.last_registration
    assert last is not None and last.end is not None and (on - last.end).days <= 90
    assert last.leaving_reason == "contract_ended" and job_loss.job_seeker
    injured = get("1000000099")
    assert [case.status for case in injured.injuries] == ["under_treatment"]
    hazards = get("2000000006")
    assert hazards.coverage == HAZARDS_ONLY and hazards.contribution_months() == 0
    assert records.contributor("2000000048") is None  # in the registry, no GOSI record
    assert [benefit.kind for benefit in get("1389115971").benefits] == ["pension"]


# -- the HTTP service, against a real local server ------------------------------------------


def test_http_reads_the_record_with_the_token() -> None:
    with JsonService({"/contributors/1000000008": AHMED}) as service:
        adapter = RECORDS.build(http_settings(service.url))
        assert isinstance(adapter, HttpRecords)

        contributor = adapter.contributor("1000000008")

    assert contributor is not None and contributor == SandboxRecords({}).contributor("1000000008")
    assert [request.headers["Authorization"] for request in service.requests] == ["Bearer gosi-test-token"]


def test_http_no_record_is_none_not_an_outage() -> None:
    with JsonService({}) as service:
        assert RECORDS.build(http_settings(service.url)).contributor("2000000048") is None
    assert len(service.requests) == 1  # a 404 is an answer: not tried again


@pytest.mark.parametrize("status", [500, 502, 503])
def test_http_server_errors_are_tried_again_then_unavailable(status: int) -> None:
    with (
        JsonService({"/contributors/1000000008": AHMED}, status=status) as service,
        pytest.raises(sdk.AdapterUnavailable),
    ):
        RECORDS.build(http_settings(service.url, records_retries=2)).contributor("1000000008")
    assert len(service.requests) == 3


def test_http_recovers_when_a_retry_succeeds() -> None:
    with JsonService({"/contributors/1000000008": AHMED}, status=503) as service:
        adapter = RECORDS.build(http_settings(service.url, records_retries=3))

        def recover() -> None:
            time.sleep(0.1)
            service.status = None

        threading.Thread(target=recover).start()
        assert adapter.contributor("1000000008") is not None


def test_http_a_hanging_service_times_out_as_unavailable() -> None:
    with JsonService({"/contributors/1000000008": AHMED}, delay=2.0) as service:
        started = time.monotonic()
        with pytest.raises(sdk.AdapterUnavailable):
            RECORDS.build(http_settings(service.url, records_retries=0)).contributor("1000000008")
    assert time.monotonic() - started < 1.8


def test_http_a_service_that_is_down_is_unavailable() -> None:
    service = JsonService({"/contributors/1000000008": AHMED}).start()
    url = service.url
    service.stop()

    with pytest.raises(sdk.AdapterUnavailable):
        RECORDS.build(http_settings(url)).contributor("1000000008")


def test_http_an_unreadable_record_is_unavailable_not_a_crash() -> None:
    unreadable = {"id_number": "1000000008", "coverage": "everything"}
    with JsonService({"/contributors/1000000008": unreadable}) as service, pytest.raises(sdk.AdapterUnavailable):
        RECORDS.build(http_settings(service.url)).contributor("1000000008")


def test_the_portal_uses_the_configured_service(make_portal: Callable[..., Any]) -> None:
    with JsonService({"/contributors/1000000008": AHMED}) as service:
        app = make_portal(plugins="gosi", GOSI_RECORDS_ADAPTER="http", GOSI_RECORDS_URL=service.url)
        with app.test_request_context("/"):
            adapter = RECORDS.current("gosi")
            assert isinstance(adapter, HttpRecords) and adapter.url == service.url
            assert adapter.contributor("1000000008") is not None
