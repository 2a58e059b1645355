"""Deleting OpenID Connect rows that can no longer do anything, for ``gateway housekeeping``.

Why each row is kept as long as it is:

- a token row lives until its chain's absolute end (``refresh_expires_at``,
  or the access token's expiry when there is no refresh token) plus a day:
  a rotated row is what recognises a replayed refresh token and revokes the
  chain, and past the chain's end every token in it is refused anyway;
- an authorization code lives until a day after it expired *and* no token
  row still refers to it: while its tokens exist, a replayed code can still
  revoke them (after that, a replay is simply an unknown code);
- a spent nonce lives as long as the longest chain could (the refresh-token
  lifetime plus a day), so no code or token carrying it is still usable when
  the nonce could be accepted again.

Consents are a person's own choice and are never purged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select
from sqlalchemy.orm import Session

from .clock import utc_now
from .models import OAuthAuthorizationCode, OAuthToken, UsedNonce

KEEP_AFTER_END = timedelta(days=1)


@dataclass(frozen=True)
class PurgedRows:
    tokens: int
    codes: int
    nonces: int


def purge_expired(session: Session, *, refresh_token_days: int, now: datetime | None = None) -> PurgedRows:
    """Delete what can no longer be used or replayed (see the module docstring); the caller commits."""
    moment = now or utc_now()
    cutoff = moment - KEEP_AFTER_END
    tokens = session.execute(
        delete(OAuthToken)
        .where(
            or_(
                OAuthToken.refresh_expires_at < cutoff,
                and_(OAuthToken.refresh_expires_at.is_(None), OAuthToken.access_expires_at < cutoff),
            )
        )
        .execution_options(synchronize_session=False)
    )
    still_used = exists(select(OAuthToken.id).where(OAuthToken.authorization_code_id == OAuthAuthorizationCode.id))
    codes = session.execute(
        delete(OAuthAuthorizationCode)
        .where(OAuthAuthorizationCode.expires_at < cutoff, ~still_used)
        .execution_options(synchronize_session=False)
    )
    nonces = session.execute(
        delete(UsedNonce)
        .where(UsedNonce.used_at < cutoff - timedelta(days=refresh_token_days))
        .execution_options(synchronize_session=False)
    )
    return PurgedRows(_count(tokens), _count(codes), _count(nonces))


def _count(result: Any) -> int:
    return int(getattr(result, "rowcount", 0) or 0)
