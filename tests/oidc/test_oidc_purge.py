"""``gateway housekeeping`` deletes OIDC rows only once they can no longer be used or replayed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from flask.testing import FlaskClient
from sqlalchemy import func, select, update

from gateway.cli import cli
from gateway.identity.models import Person
from gateway.oidc.models import OAuthAuthorizationCode, OAuthToken, UsedNonce
from gateway.oidc.secrets import hash_secret
from tests.oidc.oidc_flow import add_client, fetch_all, refresh, run_sql, sign_in, tokens_for, userinfo


def code_of(app: Flask, access_token: str) -> int:
    rows = fetch_all(
        app, select(OAuthToken.authorization_code_id).where(OAuthToken.access_token_hash == hash_secret(access_token))
    )
    assert rows and rows[0] is not None
    return int(rows[0])


def count(app: Flask, model: type) -> int:
    return int(fetch_all(app, select(func.count()).select_from(model))[0])


def test_housekeeping_removes_spent_oidc_rows_and_keeps_live_ones(
    oidc_app: Flask, browser: FlaskClient, person: Person
) -> None:
    rp = add_client(oidc_app)
    sign_in(browser, person)
    live = tokens_for(browser, rp)
    ended = tokens_for(browser, rp)
    assert "refresh_token" in ended
    rotated = refresh(browser, rp, ended["refresh_token"])
    assert rotated.status_code == 200, rotated.get_json()
    live_code, ended_code = code_of(oidc_app, live["access_token"]), code_of(oidc_app, ended["access_token"])
    assert count(oidc_app, OAuthToken) == 3 and count(oidc_app, UsedNonce) == 2

    long_ago = datetime.now(UTC) - timedelta(days=2)
    # The ended chain is past its absolute end; both codes expired long ago (the live one still has tokens).
    run_sql(
        oidc_app,
        update(OAuthToken)
        .where(OAuthToken.authorization_code_id == ended_code)
        .values(refresh_expires_at=long_ago, access_expires_at=long_ago),
    )
    run_sql(oidc_app, update(OAuthAuthorizationCode).values(expires_at=long_ago))
    oldest_nonce = min(fetch_all(oidc_app, select(UsedNonce.id)))
    run_sql(
        oidc_app,
        update(UsedNonce).where(UsedNonce.id == oldest_nonce).values(used_at=long_ago - timedelta(days=40)),
    )

    result = CliRunner().invoke(cli, ["housekeeping"], obj=ScriptInfo(create_app=lambda: oidc_app))
    assert result.exit_code == 0, result.output
    assert "2 spent OIDC tokens, 1 authorization codes, 1 nonces removed" in result.output

    assert fetch_all(oidc_app, select(OAuthAuthorizationCode.id)) == [live_code]
    assert count(oidc_app, OAuthToken) == 1 and count(oidc_app, UsedNonce) == 1
    assert userinfo(browser, live["access_token"]).status_code == 200
    assert refresh(browser, rp, live["refresh_token"]).status_code == 200

    again = CliRunner().invoke(cli, ["housekeeping"], obj=ScriptInfo(create_app=lambda: oidc_app))
    assert "0 spent OIDC tokens, 0 authorization codes, 0 nonces removed" in again.output
