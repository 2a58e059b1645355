"""Schemathesis against ``/api/openapi.json`` of a live portal: no 5xx, and every answer matches the schema.

The portal runs over real HTTP on loopback with the first-party plugins, the
CSRF check on and the demo offices loaded; Ahmed registered through the real
pages, sent a visa request with a document and opened a ticket, and granted
an app a token through ``/oidc/authorize`` (consent) and ``/oidc/token``
with the ``applications`` scope. Schemathesis (its ``st run`` command, as an
operator would run it) reads the OpenAPI document from the server and sends
generated requests for every operation, valid and invalid, through all its
phases (examples, coverage, fuzzing, stateful), with Ahmed's bearer token.

Checks: no server error; a documented status code, content type and headers;
a body valid against the declared schema; invalid data refused; the token
really required (``ignored_auth``); unsupported methods refused; nothing
answered after deletion; required headers enforced. Two of Schemathesis's
checks are left out on purpose: ``positive_data_acceptance`` (a draft step's
``data`` is described as any of the steps' schemas, so a step's data sent
for another step is schema-valid yet rightly refused) and
``allow_header_conformance`` (the portal's program pages answer GET under any
path, so ``Allow`` lists GET on the API's POST-only addresses).

Path parameters are drawn, most of the time, from dictionaries of real
values (the enabled programs, the services, Ahmed's references), so requests
get past the 404 of an unknown program and reach the forms and the workflow.

It takes minutes, so it runs in ``make security`` only (``GATEWAY_SECURITY_FULL=1``).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from flask import Flask

from bawaba_sdk.testing import fixtures
from tests.musaned.conftest import Musaned
from tests.oidc.oidc_flow import add_client, tokens_for
from tests.security.live import serving
from tests.security.portal import AHMED, build_portal, load_demo, open_ticket, request_visa
from tests.security.verdict import FULL_REASON, full_run, note

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is not installed (pip install -e '.[dev]')")

EXAMPLES = 150
"""Generated cases per operation and phase (``--max-examples``)."""
SEED = 20261122
"""Fixed, so a failure can be replayed; change it to explore further."""
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
    "unsupported_method",
    "use_after_free",
    "ensure_resource_availability",
    "missing_required_header",
)
TIMEOUT_SECONDS = 1500
SERVICES = ("new_visa", "mediation_contract", "worker_not_arrived", "support_tickets")
STEPS = ("worker", "household", "capacity", "visa", "office", "contract", "details", "ticket")


@dataclass(frozen=True)
class LiveApi:
    """The live portal's API: where it is, Ahmed's bearer token and his application references."""

    base_url: str
    token: str
    references: tuple[str, ...]


@pytest.fixture(scope="module")
def live_api(module_database: fixtures.TestDatabase, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    if not full_run():
        pytest.skip(FULL_REASON)
    app = build_portal(tmp_path_factory.mktemp("schemathesis-portal"), module_database.url(), LOG_LEVEL="WARNING")
    load_demo(app)
    musaned = Musaned(app=app)
    ahmed = musaned.citizen(AHMED)
    references = (
        request_visa(musaned, ahmed),
        open_ticket(musaned, ahmed, "Question about my visa", "When will my visa request be reviewed?"),
    )
    rp = add_client(app, scopes=["openid", "profile", "applications"], name="Schemathesis")
    token = tokens_for(ahmed, rp, scope="openid applications")["access_token"]
    app.config["WTF_CSRF_ENABLED"] = True  # as in production, from here on
    try:
        with serving(app) as base_url:
            yield LiveApi(base_url, token, references)
    finally:
        app.extensions["gateway"].database.dispose()


def configuration(api: LiveApi) -> str:
    """``schemathesis.toml``: dictionaries of real values for the path parameters and the draft's step."""

    def values(items: tuple[str, ...]) -> str:
        return json.dumps(list(items))

    return f"""
[dictionaries.programs]
values = {values(("musaned", "social_security", "gosi"))}

[dictionaries.services]
values = {values(SERVICES)}

[dictionaries.references]
values = {values(api.references)}

[dictionaries.steps]
values = {values(STEPS)}

[parameters]
"path.program" = {{ dictionary = "programs", probability = 0.8 }}
"path.service" = {{ dictionary = "services", probability = 0.8 }}
"path.reference" = {{ dictionary = "references", probability = 0.5 }}
"body.step" = {{ dictionary = "steps", probability = 0.8 }}
"""


def schemathesis_command() -> list[str]:
    found = shutil.which("st", path=str(Path(sys.executable).parent))
    if found is None:
        pytest.skip("schemathesis is not installed (pip install -e '.[dev]')")
    return [found]


def tally(ndjson: Path) -> tuple[Counter[str], Counter[int]]:
    """Requests per operation and per status, from the run's event stream."""
    operations: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        recorder = finished["recorder"]
        for interaction in (recorder.get("interactions") or {}).values():
            response = interaction.get("response")
            if response is None:
                continue
            label = str(recorder.get("label", ""))
            operations[label if " /" in label else "stateful scenarios"] += 1
            statuses[int(response["status_code"])] += 1
    return operations, statuses


def server_errors(ndjson: Path) -> list[str]:
    """Every 5xx answer, with its request, for the failure message."""
    found = []
    for line in ndjson.read_text(encoding="utf-8").splitlines():
        finished = json.loads(line).get("ScenarioFinished")
        if not finished:
            continue
        for interaction in (finished["recorder"].get("interactions") or {}).values():
            response = interaction.get("response") or {}
            if int(response.get("status_code", 0)) >= 500:
                content = response.get("content") or {}
                body = base64.b64decode(content["$base64"]).decode("utf-8", "replace") if "$base64" in content else ""
                request = interaction["request"]
                found.append(f"{request['method']} {request['uri']} -> {response['status_code']} {body[:200]}")
    return found


def test_every_operation_answers_as_described(live_api: LiveApi, tmp_path: Path) -> None:
    config = tmp_path / "schemathesis.toml"
    config.write_text(configuration(live_api), encoding="utf-8")
    events = tmp_path / "events.ndjson"
    command = [
        *schemathesis_command(),
        "--no-color",
        "--config-file",
        str(config),
        "run",
        f"{live_api.base_url}/api/openapi.json",
        "--url",
        f"{live_api.base_url}/api/v1",
        "--header",
        f"Authorization: Bearer {live_api.token}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        str(SEED),
        "--workers",
        "1",
        "--request-timeout",
        "30",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(events),
    ]
    # In the test's own folder: Schemathesis keeps a cache (.schemathesis/) where it runs.
    run = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False, cwd=tmp_path)
    output = run.stdout + run.stderr
    operations, statuses = tally(events)
    note(
        __name__,
        f"{sum(operations.values())} requests over {len(operations.keys() - {'stateful scenarios'})} operations "
        f"(and stateful scenarios), seed {SEED}, "
        f"{EXAMPLES} examples per phase; statuses "
        + ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items()))
        + ("; exit 0" if run.returncode == 0 else f"; exit {run.returncode}"),
    )
    assert not server_errors(events), server_errors(events)
    assert run.returncode == 0, output[-6000:]
    assert len(operations.keys() - {"stateful scenarios"}) >= 7, operations  # every documented operation ran


def test_a_malformed_submission_key_is_answered_as_documented(secure_portal: Callable[..., Flask]) -> None:
    """Regression for Schemathesis's first finding: submit's 422 for a bad key was not in the described shape.

    The 422 documented only the by-step errors of a refused submission;
    a malformed ``submission_key`` answers ``{"errors": {"submission_key": "..."}}``.
    Runs in ``make test`` too, through the app in-process (``from_wsgi``).
    """
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    app = secure_portal()
    musaned = Musaned(app=app)
    ahmed = musaned.citizen(AHMED)
    rp = add_client(app, scopes=["openid", "profile", "applications"], name="Regression")
    token = tokens_for(ahmed, rp, scope="openid applications")["access_token"]
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    operation = schema["/programs/{program}/services/{service}/submit"]["POST"]
    for key in ("short", "has spaces in it", "x" * 65):
        case = operation.Case(
            path_parameters={"program": "musaned", "service": "new_visa"}, body={"submission_key": key}
        )
        response = case.call(headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"submission_key"}
        case.validate_response(response, checks=[status_code_conformance, response_schema_conformance])
