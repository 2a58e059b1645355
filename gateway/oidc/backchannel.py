"""Back-channel logout (OpenID Connect Back-Channel Logout 1.0): telling apps a portal session ended.

When a portal session ends (sign-out on the portal, or an app asking for it
through RP-initiated logout), every app that session signed in to and that
registered a ``backchannel_logout_uri`` is sent a signed logout token. The
request only finds the apps (by the ``sid`` written on each code) and
enqueues one ``oidc.backchannel_logout`` task per app on ``gateway worker``'s
queue: an app that is slow or down holds no web worker, and a failed POST is
tried again with back-off (the task raises; the queue's retry policy).

The tokens of that session are revoked at once (§2.7: refresh tokens that
are not ``offline_access`` SHOULD be; the portal has no offline access), so
an app that misses every attempt still loses its access within the hour.

The logout token is an RS256 JWT signed with the ID tokens' key (the app
verifies it with the JWKS): ``iss``, ``aud``, ``iat``, ``exp``, ``jti``,
``sub`` (as that app knows the person) and ``sid``, and the ``events`` claim;
never a ``nonce``; header ``typ: logout+jwt``. The ``jti`` is chosen when the
logout is enqueued, so every retry of one logout carries the same one.
"""

from __future__ import annotations

import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from joserfc import jwt
from sqlalchemy import select, update

from ..audit.log import AuditEvents, record
from ..identity.models import Person
from ..tasks import RetryPolicy, get_tasks
from .clock import utc_now
from .grants import issuer
from .keys import ALGORITHM
from .models import OAuthAuthorizationCode, OAuthClient, OAuthToken
from .storage import db

logger = logging.getLogger("gateway.oidc")

TASK = "oidc.backchannel_logout"
EVENT = "http://schemas.openid.net/event/backchannel-logout"
TOKEN_TYPE = "logout+jwt"
TOKEN_SECONDS = 120
"""A logout token is for immediate use; the app refuses an old one."""
TIMEOUT_SECONDS = 5
RETRY = RetryPolicy(retries=6, delay=10, backoff=3)
"""About 10 s, 30 s, 1.5 min, 4.5 min, 13.5 min, 40 min after the first try: an app down for an hour still hears."""


class BackchannelDeliveryError(Exception):
    """The app did not accept the logout token (the task is tried again)."""


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a 3xx is no acknowledgement; it surfaces as an HTTPError


@dataclass(frozen=True)
class Logout:
    """One app to tell, and everything the worker needs to build its token (JSON-able)."""

    client_id: str
    person_id: int
    sid: str
    issuer: str
    jti: str


def apps_of_session(session: Any, person_id: int, sid: str) -> list[OAuthClient]:
    """The live clients this portal session signed ``person_id`` in to (by the codes it issued)."""
    used = (
        select(OAuthAuthorizationCode.client_id)
        .where(OAuthAuthorizationCode.sid == sid, OAuthAuthorizationCode.person_id == person_id)
        .distinct()
    )
    statement = select(OAuthClient).where(OAuthClient.client_id.in_(used), OAuthClient.revoked.is_(False))
    return list(session.scalars(statement.order_by(OAuthClient.id)))


def end_app_sessions(person_id: int, sid: str | None, *, initiator: str | None = None) -> int:
    """A portal session ended: revoke its tokens and enqueue a logout token for each app; how many enqueued.

    Call it in the request that ends the session (it commits its own
    changes). ``initiator`` is the client that asked for the logout, if any;
    it is told too (Back-Channel Logout §2.7 lets the OP include it).
    """
    if not sid:
        return 0
    session = db()
    codes = select(OAuthAuthorizationCode.id).where(
        OAuthAuthorizationCode.sid == sid, OAuthAuthorizationCode.person_id == person_id
    )
    revoked = session.execute(
        update(OAuthToken)
        .where(OAuthToken.authorization_code_id.in_(codes), OAuthToken.revoked_at.is_(None))
        .values(revoked_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    apps = apps_of_session(session, person_id, sid)
    record(
        session,
        AuditEvents.OIDC_TOKEN_REVOKED,
        person_id=person_id,
        reason="session_ended",
        initiator=initiator,
        clients=[app.client_id for app in apps],
        tokens_revoked=int(getattr(revoked, "rowcount", 0) or 0),
    )
    session.commit()
    queue = get_tasks(current_app)
    enqueued = 0
    for app in apps:
        if not app.backchannel_logout_uri:
            continue
        logout = Logout(app.client_id, person_id, sid, issuer(), secrets.token_urlsafe(24))
        if queue.enqueue(TASK, logout.client_id, logout.person_id, logout.sid, logout.issuer, logout.jti):
            enqueued += 1
        else:
            logger.error("back-channel logout of client %s could not be enqueued", app.client_id)
    return enqueued


def logout_token(logout: Logout, client: OAuthClient, person: Person) -> str:
    """The signed logout token for ``client`` (``sub`` as the client knows the person)."""
    provider = current_app.extensions["oidc"]
    key = provider.keys.get()
    now = int(time.time())
    claims = {
        "iss": logout.issuer,
        "aud": client.client_id,
        "iat": now,
        "exp": now + TOKEN_SECONDS,
        "jti": logout.jti,
        "sub": provider.subject(client, person),
        "sid": logout.sid,
        "events": {EVENT: {}},
    }
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": TOKEN_TYPE}
    return jwt.encode(header, claims, key.key, algorithms=[ALGORITHM])


def deliver_logout(client_id: str, person_id: int, sid: str, issuer_url: str, jti: str) -> None:
    """The ``oidc.backchannel_logout`` task: POST the logout token; raise (to be retried) unless 200 or 204."""
    with current_app.extensions["gateway"].database.session_factory() as session:
        client = session.scalar(select(OAuthClient).where(OAuthClient.client_id == client_id))
        person = session.get(Person, person_id)
        if client is None or client.revoked or not client.backchannel_logout_uri or person is None:
            logger.info("back-channel logout of client %s dropped: client or person gone", client_id)
            return
        token = logout_token(Logout(client_id, person_id, sid, issuer_url, jti), client, person)
        uri = client.backchannel_logout_uri
    body = urllib.parse.urlencode({"logout_token": token}).encode("ascii")
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    request = urllib.request.Request(uri, data=body, method="POST", headers=headers)  # noqa: S310 (https or loopback, vetted at registration)
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except (urllib.error.URLError, OSError) as exc:
        raise BackchannelDeliveryError(f"client {client_id}: {exc}") from exc
    if status not in (200, 204):
        raise BackchannelDeliveryError(f"client {client_id}: the back-channel logout URI answered {status}")
    logger.info("back-channel logout delivered to client %s", client_id)


def init_backchannel_logout(app: Flask) -> None:
    """Register the ``oidc.backchannel_logout`` task on the app's queue (call after ``init_tasks``)."""
    queue = get_tasks(app)
    if TASK not in queue.tasks:
        queue.task(TASK, deliver_logout, retry=RETRY)
