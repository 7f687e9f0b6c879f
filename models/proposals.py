"""Employer proposals: an employer who found a published CV proposes an offer or a job.

PENDING -> ACCEPTED | DECLINED, answered once by the candidat, before the deadline if any.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, BigId, CreatedMixin, IdMixin


class ProposalStatus(StrEnum):
    """The candidat's answer."""

    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    EXPIRED = "EXPIRED"  # never stored: PENDING past its deadline


class Proposal(IdMixin, CreatedMixin, Base):
    """A proposal from an employer to the candidat behind a CV. For the candidat, the id
    orders the log that ``proposalReceived`` follows."""

    __tablename__ = "proposals"
    __table_args__ = (
        Index("ix_proposals_candidate_id_id", "candidate_id", "id"),
        Index("ix_proposals_employer_id_id", "employer_id", "id"),
        # The daily rate limit: the employer's proposals of the last 24 hours.
        Index("ix_proposals_employer_id_created_at", "employer_id", "created_at"),
    )

    employer_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    company_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("companies.id", ondelete="CASCADE"), index=True
    )
    # The CV's account, set when sent: the addressee.
    candidate_id: Mapped[int] = mapped_column(BigId, ForeignKey("accounts.id", ondelete="CASCADE"))
    # The CV's dossier: the name and contact disclosed once the candidat accepts.
    dossier_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("dossiers.id", ondelete="CASCADE"), index=True
    )
    cv_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("cvs.id", ondelete="SET NULL"), index=True
    )
    offer_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("offers.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    deadline: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(10), default=ProposalStatus.PENDING.value)
    answer_message: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None]
