"""Uploaded documents: the metadata row; the bytes live in the storage adapter.

The row never holds the file itself, so the database stays small and the
storage can move (local folder, object store) without a schema change. Two
identifiers, on purpose: ``public_id`` is the random, unguessable name used in
download addresses (never the sequential ``id``), and ``storage_key`` is the
server-generated name in the storage, never derived from what the person
called the file.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base
from ..messaging.models import UtcDateTime, utc_now

PUBLIC_ID_LENGTH = 32
STORAGE_KEY_LENGTH = 64
PURPOSE_LENGTH = 160
ORIGINAL_NAME_LENGTH = 255
CONTENT_TYPE_LENGTH = 32


def new_public_id() -> str:
    """24 URL-safe characters (144 random bits): nobody guesses another person's document address."""
    return secrets.token_urlsafe(18)


class Document(Base):
    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    public_id: Mapped[str] = mapped_column(String(PUBLIC_ID_LENGTH), unique=True, default=new_public_id)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    """The owner: the person who uploaded it (a deleted person's files are then purged as orphans)."""
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), nullable=True, index=True
    )
    """The application it belongs to once submitted; ``None`` while it only sits in a draft."""
    purpose: Mapped[str] = mapped_column(String(PURPOSE_LENGTH))
    """What it is for: the forms engine uses ``<program>.<service>.<step>.<field>`` (longer values are cut)."""
    original_name: Mapped[str] = mapped_column(String(ORIGINAL_NAME_LENGTH))
    """The person's own name for it, sanitised (see ``names.sanitise_file_name``); shown and used on download."""
    content_type: Mapped[str] = mapped_column(String(CONTENT_TYPE_LENGTH))
    """Sniffed from the bytes, never taken from the browser."""
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(STORAGE_KEY_LENGTH), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)

    def __repr__(self) -> str:
        return f"<Document {self.id} {self.content_type} {self.size}B person={self.person_id}>"
