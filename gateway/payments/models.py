"""Bills: what a citizen owes for an application, and whether it has been paid.

A bill belongs to one application and one person. Its number is what the
citizen types into their bank's bill-payment screen (SADAD in real life), so
it is short, all digits and carries a check digit that catches a mistyped
number before any provider is asked (see :mod:`gateway.payments.numbers`).

``provider_reference`` is unique when set: a provider that retries its
callback sends the same reference again, and the database itself refuses to
record one payment twice.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import ForeignKey, Index, Integer, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column

from ..database import Base
from ..messaging.models import UtcDateTime, utc_now

UNPAID = "unpaid"
PAID = "paid"
EXPIRED = "expired"
CANCELLED = "cancelled"
STATUSES = (UNPAID, PAID, EXPIRED, CANCELLED)

CURRENCY = "SAR"
BILL_NUMBER_LENGTH = 12
PAID_SOURCE_LENGTH = 64
PROVIDER_REFERENCE_LENGTH = 128

UNPAID_WHERE = text("status = 'unpaid'")


class Bill(Base):
    """One fee for one application, from issue to payment (or expiry/cancellation).

    At most one *unpaid* bill per application (a partial unique index), so a
    resent submission can never bill a person twice for the same thing.
    """

    __tablename__ = "bills"
    __table_args__ = (
        Index(
            "uq_bills_application_id_unpaid",
            "application_id",
            unique=True,
            sqlite_where=UNPAID_WHERE,
            postgresql_where=UNPAID_WHERE,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    bill_number: Mapped[str] = mapped_column(String(BILL_NUMBER_LENGTH), unique=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    currency: Mapped[str] = mapped_column(String(3), default=CURRENCY)
    status: Mapped[str] = mapped_column(String(16), default=UNPAID)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utc_now)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime())
    paid_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    paid_source: Mapped[str | None] = mapped_column(String(PAID_SOURCE_LENGTH), nullable=True)
    """Who recorded the payment: ``sandbox``, ``provider:<name>``, ``staff:<id>`` or ``cli``."""
    provider_reference: Mapped[str | None] = mapped_column(
        String(PROVIDER_REFERENCE_LENGTH), nullable=True, unique=True
    )

    def is_overdue(self, now: datetime) -> bool:
        """Past its due date (whatever the stored status says): it can no longer be paid."""
        return self.status == UNPAID and now >= self.due_at

    def effective_status(self, now: datetime) -> str:
        """The status to show: an unpaid bill past its due date is expired even before anyone marks it."""
        return EXPIRED if self.is_overdue(now) else self.status
