"""Two apps comparing subs to link a citizen (issue 11 item 11): each app gets its own pairwise sub.

Driven through the real provider: the same person signs in to two apps on
different hosts; the subs in their ID tokens and userinfo differ, and
neither is the person's own subject (which only a public client gets).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask

from tests.oidc.oidc_flow import add_client, add_person, decode_id_token, sign_in, tokens_for, userinfo
from tests.security.verdict import note


def test_two_apps_cannot_link_a_citizen_by_sub(make_app: Callable[..., Flask]) -> None:
    app = make_app(PLUGINS="")
    person = add_person(app)
    browser = app.test_client()
    sign_in(browser, person)
    subs = []
    for host in ("clinic.example", "bank.example"):
        rp = add_client(app, redirect_uris=[f"https://{host}/cb"])
        tokens = tokens_for(browser, rp)
        sub = decode_id_token(browser, tokens["id_token"])["sub"]
        assert userinfo(browser, tokens["access_token"]).get_json()["sub"] == sub
        subs.append(sub)
    assert subs[0] != subs[1]
    assert person.subject not in subs
    note(__name__, "two apps, one citizen: two different pairwise subs, neither the citizen's own subject")
