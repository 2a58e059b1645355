"""Pairwise subject identifiers (Core §8): one sub per sector, the same in the ID token and userinfo.

Two apps on different hosts get different subs for the same person and
cannot link them; apps an operator groups under one sector share them; a
client the operator makes public gets the person's own subject. The pairwise
value is checked against the formula computed here, from the configured key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

from gateway.cli import cli
from gateway.identity.models import Person
from gateway.oidc.clients import ClientRegistrationError
from gateway.oidc.models import OAuthClient
from gateway.settings import ConfigError
from tests.oidc.oidc_flow import (
    RegisteredClient,
    add_client,
    add_person,
    decode_id_token,
    sign_in,
    tokens_for,
    userinfo,
)

PAIRWISE_KEY = "pairwise-test-key-" + "k" * 32


def expected_pairwise(sector: str, person: Person) -> str:
    digest = hmac.new(PAIRWISE_KEY.encode(), f"{sector}\x00{person.subject}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def subs(app: Flask, rp: RegisteredClient, person: Person) -> tuple[str, str]:
    """The sub of the ID token and of userinfo, for ``person`` signing in to ``rp``."""
    browser = app.test_client()
    sign_in(browser, person)
    tokens = tokens_for(browser, rp)
    info = userinfo(browser, tokens["access_token"]).get_json()
    return decode_id_token(browser, tokens["id_token"])["sub"], info["sub"]


@pytest.fixture
def app(make_oidc_app: Callable[..., Flask]) -> Flask:
    return make_oidc_app(OIDC_PAIRWISE_SECRET=PAIRWISE_KEY)


def test_apps_on_different_hosts_cannot_link_a_person_by_sub(app: Flask) -> None:
    person = add_person(app)
    clinic = add_client(app, redirect_uris=["https://clinic.example/cb"])
    bank = add_client(app, redirect_uris=["https://bank.example/return"])
    clinic_id_token, clinic_userinfo = subs(app, clinic, person)
    bank_id_token, bank_userinfo = subs(app, bank, person)
    assert clinic_id_token == clinic_userinfo == expected_pairwise("clinic.example", person)
    assert bank_id_token == bank_userinfo == expected_pairwise("bank.example", person)
    assert clinic_id_token != bank_id_token
    assert person.subject not in (clinic_id_token, bank_id_token)

    other = add_person(app, id_number="2123456789", id_type="resident")
    assert subs(app, clinic, other)[0] not in (clinic_id_token, bank_id_token)
    assert subs(app, clinic, person)[0] == clinic_id_token, "stable across sign-ins"


def test_apps_of_one_sector_share_subs_and_public_clients_get_the_persons_subject(app: Flask) -> None:
    person = add_person(app)
    web = add_client(app, redirect_uris=["https://web.ministry.example/cb"], sector_identifier="ministry.example")
    mobile = add_client(
        app,
        redirect_uris=["https://m.ministry.example/cb"],
        auth_method="none",
        sector_identifier="ministry.example",
    )
    assert subs(app, web, person)[0] == subs(app, mobile, person)[0] == expected_pairwise("ministry.example", person)
    public = add_client(app, redirect_uris=["https://partner.example/cb"], subject_type="public")
    assert subs(app, public, person) == (person.subject, person.subject)


def test_native_apps_on_loopback_are_each_a_sector_of_their_own(app: Flask) -> None:
    person = add_person(app)
    first = add_client(app, redirect_uris=["http://127.0.0.1/cb"], auth_method="none")
    second = add_client(app, redirect_uris=["http://127.0.0.1/cb"], auth_method="none")
    assert subs(app, first, person)[0] != subs(app, second, person)[0]


def test_a_pairwise_client_on_several_hosts_needs_a_sector(app: Flask) -> None:
    with pytest.raises(ClientRegistrationError, match="several hosts"):
        add_client(app, redirect_uris=["https://a.example/cb", "https://b.example/cb"])
    with pytest.raises(ClientRegistrationError, match="host name"):
        add_client(app, redirect_uris=["https://a.example/cb"], sector_identifier="https://a.example/x")
    with pytest.raises(ClientRegistrationError, match="only for pairwise"):
        add_client(app, subject_type="public", sector_identifier="a.example")


def test_the_operator_chooses_the_subject_type_with_the_cli(app: Flask) -> None:
    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["oidc", *args], obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code == 0, result.output
        return result.output

    output = run("add-client", "--name", "Partner", "--redirect-uri", "https://partner.example/cb")
    assert "subject type:  pairwise (sector partner.example)" in output
    output = run(
        "add-client", "--name", "Shared", "--redirect-uri", "https://shared.example/cb", "--subject-type", "public"
    )
    assert "subject type:  public" in output
    assert "subject type:  pairwise (sector partner.example)" in run("list-clients")

    person = add_person(app)
    rp = add_client(app, redirect_uris=["https://partner.example/cb"])
    pairwise = subs(app, rp, person)[0]
    assert "must link its accounts again" in run("set-subject-type", rp.client_id, "public")
    assert subs(app, rp, person) == (person.subject, person.subject)
    run("set-subject-type", rp.client_id, "pairwise")
    assert subs(app, rp, person)[0] == pairwise
    with app.app_context():
        session = app.extensions["gateway"].db_session()
        row = session.scalar(select(OAuthClient).where(OAuthClient.client_id == rp.client_id))
        assert row is not None and (row.subject_type, row.sector_identifier) == ("pairwise", "partner.example")


def test_a_short_pairwise_key_stops_the_start(make_oidc_app: Callable[..., Flask]) -> None:
    with pytest.raises(ConfigError, match="OIDC_PAIRWISE_SECRET"):
        make_oidc_app(OIDC_PAIRWISE_SECRET="short")


def test_without_a_configured_key_one_is_generated_once_for_the_instance(make_oidc_app: Callable[..., Flask]) -> None:
    app = make_oidc_app()
    person = add_person(app)
    rp = add_client(app, redirect_uris=["https://clinic.example/cb"])
    first = subs(app, rp, person)[0]
    key_file = Path(app.instance_path) / "oidc_pairwise.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert subs(app, rp, person)[0] == first
