"""Reading and writing the provider's rows: clients, nonces, consents and token chains.

The state changes that decide security (a code used, a refresh token rotated,
a nonce spent) are single conditional UPDATEs or unique INSERTs, so two
requests racing with the same code or token cannot both win, on SQLite or
PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from ..audit.log import AuditEvents, record
from .clock import utc_now
from .models import OAuthClient, OAuthConsent, OAuthToken, UsedNonce
from .secrets import hash_secret

MAX_CREDENTIAL_LENGTH = 256
"""Longer codes or tokens are not ours; refusing them early spares a lookup."""


def db() -> Session:
    """The database session of the current app context."""
    session: Session = current_app.extensions["gateway"].db_session()
    return session


def writer() -> Session:
    """The session, with any read-only transaction ended so the next statement may write.

    SQLite refuses at once (``database is locked``) to turn a transaction that
    has read into one that writes while another connection is writing, instead
    of waiting; starting afresh makes it wait its turn (busy timeout) and then
    see the other writer's result. Nothing is pending at the call sites, so
    the commit only closes the reads.
    """
    session = db()
    session.commit()
    return session


def find_client(session: Session, client_id: Any) -> OAuthClient | None:
    """The client called ``client_id``, unless it is unknown or revoked."""
    if not isinstance(client_id, str) or not client_id or len(client_id) > 64:
        return None
    client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
    if client is None or client.revoked:
        return None
    return client


def usable_credential(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_CREDENTIAL_LENGTH


def token_by_access(session: Session, access_token: Any) -> OAuthToken | None:
    if not usable_credential(access_token):
        return None
    return session.scalar(select(OAuthToken).where(OAuthToken.access_token_hash == hash_secret(access_token)))


def token_by_refresh(session: Session, refresh_token: Any) -> OAuthToken | None:
    if not usable_credential(refresh_token):
        return None
    return session.scalar(select(OAuthToken).where(OAuthToken.refresh_token_hash == hash_secret(refresh_token)))


# -- nonces -----------------------------------------------------------------------------


def nonce_used(session: Session, client_id: str, nonce: str) -> bool:
    statement = select(UsedNonce.id).where(UsedNonce.client_id == client_id, UsedNonce.nonce == nonce)
    return session.scalar(statement) is not None


def spend_nonce(session: Session, client_id: str, nonce: str) -> bool:
    """Record ``nonce`` as used by ``client_id``; ``False`` when it already was (a replay)."""
    try:
        with session.begin_nested():
            session.add(UsedNonce(client_id=client_id, nonce=nonce, used_at=utc_now()))
    except IntegrityError:
        return False
    return True


# -- consent ----------------------------------------------------------------------------


def has_consent(session: Session, person_id: int, client_id: str, scopes: list[str]) -> bool:
    """Whether the person already allowed ``client_id`` every one of ``scopes``."""
    consent = _consent(session, person_id, client_id)
    return consent is not None and set(scopes) <= set(consent.scopes)


def remember_consent(session: Session, person_id: int, client_id: str, scopes: list[str]) -> None:
    """Add ``scopes`` to what the person allowed the client (the caller commits)."""
    for _attempt in range(2):
        consent = _consent(session, person_id, client_id)
        try:
            with session.begin_nested():
                if consent is None:
                    session.add(
                        OAuthConsent(person_id=person_id, client_id=client_id, scopes=scopes, granted_at=utc_now())
                    )
                else:
                    consent.scopes = sorted(set(consent.scopes) | set(scopes))
                    consent.granted_at = utc_now()
            return
        except IntegrityError:  # another tab consented at the same moment: merge into its row
            continue


def _consent(session: Session, person_id: int, client_id: str) -> OAuthConsent | None:
    statement = select(OAuthConsent).where(OAuthConsent.person_id == person_id, OAuthConsent.client_id == client_id)
    return session.scalar(statement)


# -- revoking ---------------------------------------------------------------------------


def revoke_tokens_of_code(session: Session, authorization_code_id: int, now: datetime | None = None) -> int:
    """Revoke every live token issued from one code, rotated ones included; return how many."""
    statement = (
        update(OAuthToken)
        .where(OAuthToken.authorization_code_id == authorization_code_id, OAuthToken.revoked_at.is_(None))
        .values(revoked_at=now or utc_now())
        .execution_options(synchronize_session=False)
    )
    return _rowcount(session.execute(statement))


def revoke_chain(session: Session, token: OAuthToken, now: datetime | None = None) -> int:
    """Revoke the whole rotation chain ``token`` belongs to; return how many rows were live."""
    moment = now or utc_now()
    if token.authorization_code_id is not None:
        return revoke_tokens_of_code(session, token.authorization_code_id, moment)
    chain = {token.id}
    frontier = {token.id}
    while frontier:  # the code row is gone: follow the rotation links forward instead
        frontier = set(session.scalars(select(OAuthToken.id).where(OAuthToken.rotated_from.in_(frontier)))) - chain
        chain |= frontier
    statement = (
        update(OAuthToken)
        .where(OAuthToken.id.in_(chain), OAuthToken.revoked_at.is_(None))
        .values(revoked_at=moment)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(session.execute(statement))


def was_rotated(session: Session, token: OAuthToken) -> bool:
    return session.scalar(select(OAuthToken.id).where(OAuthToken.rotated_from == token.id).limit(1)) is not None


def revoke_tokens(
    session: Session,
    *,
    person_id: int | None = None,
    client_id: str | None = None,
    actor: str | None = None,
    reason: str = "administrator",
) -> int:
    """Revoke every live token of a person and/or a client, audited; the caller commits."""
    conditions: list[ColumnElement[bool]] = [OAuthToken.revoked_at.is_(None)]
    if person_id is not None:
        conditions.append(OAuthToken.person_id == person_id)
    if client_id is not None:
        conditions.append(OAuthToken.client_id == client_id)
    statement = update(OAuthToken).where(*conditions).values(revoked_at=utc_now())
    revoked = _rowcount(session.execute(statement.execution_options(synchronize_session=False)))
    record(
        session,
        AuditEvents.OIDC_TOKEN_REVOKED,
        person_id=person_id,
        actor=actor,
        client_id=client_id,
        reason=reason,
        tokens_revoked=revoked,
    )
    return revoked


def _rowcount(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
