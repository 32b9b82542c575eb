"""A member's choice about one thread: muted or followed."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, int_pk, utc_now

MUTE, FOLLOW = "mute", "follow"


class TopicChoice(Base):
    """`email` (lowercased) muted or follows `thread_id`; no row: the delivery mode decides."""

    __tablename__ = "topic_choice"
    __table_args__ = (UniqueConstraint("thread_id", "email"),)

    id: Mapped[int_pk]
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320), index=True)
    choice: Mapped[str] = mapped_column(String(8))  # MUTE or FOLLOW
    chosen_at: Mapped[utc_now]
