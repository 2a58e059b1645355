"""Issue 11, item 5: API submits with one ``submission_key`` all get the first answer.

Several submits of one draft with one key at once, as real concurrent
requests against the portal served over HTTP (SQLite, and PostgreSQL when
configured), then one more later: every one answers 201 with the same
``Location`` and body, and one application exists. Before, a repeat answered
200, and a repeat with other answers was taken as the same application.
"""

from __future__ import annotations

import requests

from gateway.applications.models import Application
from tests.oidc.oidc_flow import add_client, tokens_for
from tests.security.double_submit import CLICKS, ReadyToSend, at_once, backend, count, ready_to_send
from tests.security.live import serving
from tests.security.verdict import note

SUBMIT_API = "/api/v1/programs/musaned/services/new_visa/submit"

__all__ = ["ready_to_send"]


def test_parallel_api_submits_with_one_key_all_get_the_first_answer(ready_to_send: ReadyToSend) -> None:
    app = ready_to_send.app
    rp = add_client(app, scopes=["openid", "profile", "applications"], name="Double submit")
    token = tokens_for(ready_to_send.citizen, rp, scope="openid applications")["access_token"]
    key = "double-submit-0001"
    with serving(app) as base:

        def submit() -> requests.Response:
            return requests.post(
                base + SUBMIT_API,
                json={"submission_key": key},
                headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
                timeout=120,
            )

        answers = at_once(CLICKS, submit)
        assert [answer.status_code for answer in answers] == [201] * CLICKS, [a.text[:300] for a in answers]
        assert len({answer.headers["Location"] for answer in answers}) == 1
        bodies = [answer.json() for answer in answers]
        assert all(body == bodies[0] for body in bodies)
        later = submit()  # a retry long after: the same answer again
        assert (later.status_code, later.headers["Location"], later.json()) == (
            201,
            answers[0].headers["Location"],
            bodies[0],
        )
    assert count(app, Application, Application.submission_key == key) == 1
    note(__name__, f"{CLICKS} API submits with one key at once ({backend(app)}): {CLICKS} × 201, one body")
