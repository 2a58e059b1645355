"""Notifications: what the portal told a person about their applications, kept for the portal's list.

Both languages are rendered when the notification is created (not when it is
shown) so the list says exactly what the SMS and the email said, in whichever
language the person reads the portal in, even after a plugin renames a state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..applications.models import Application
from ..database import Base
from ..messaging.models import UtcDateTime, utc_now

KIND_LENGTH = 32

SUBMITTED = "submitted"
STATE_CHANGED = "state_changed"
KINDS = (SUBMITTED, STATE_CHANGED)


class Notification(Base):
    """One message to one person, shown in their notifications list until (and after) it is read."""

    __tablename__ = "notifications"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True, nullable=True
    )
    """The application it is about; kept (as NULL) if the application is deleted, so the person still sees it."""
    kind: Mapped[str] = mapped_column(String(KIND_LENGTH))
    """``submitted`` or ``state_changed`` (more kinds may follow)."""
    text_ar: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    application: Mapped[Application | None] = relationship()

    def text(self, language: str) -> str:
        """The text in ``language`` (Arabic for anything but English, as the portal defaults to Arabic)."""
        return self.text_en if language == "en" else self.text_ar

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} person={self.person_id}>"
