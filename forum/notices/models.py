"""The notices' tables: a notice, the groups it went to, acknowledgements and reminders."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, int_pk, utc_now


class Notice(Base):
    """A post that needs action by a deadline (a request for a reply, an invitation, a report)."""

    __tablename__ = "notice"

    id: Mapped[int_pk]
    message_id: Mapped[str] = mapped_column(String(998), unique=True)
    subject: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16))  # reply / invitation / report / action
    deadline: Mapped[datetime | None]  # end of the deadline day, UTC
    sender_email: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[utc_now]
    summary_sent_at: Mapped[datetime | None]


class NoticeList(Base):
    """A group a notice was sent to."""

    __tablename__ = "notice_list"
    __table_args__ = (UniqueConstraint("notice_id", "list_id"),)

    id: Mapped[int_pk]
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))


class Acknowledgement(Base):
    """A focal point saying they have seen a notice (by link or by reply)."""

    __tablename__ = "acknowledgement"
    __table_args__ = (UniqueConstraint("notice_id", "email"),)

    id: Mapped[int_pk]
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    at: Mapped[utc_now]
    how: Mapped[str] = mapped_column(String(8))  # link / reply


class NoticeReminder(Base):
    """A reminder already sent, so each goes out once."""

    __tablename__ = "notice_reminder"
    __table_args__ = (UniqueConstraint("notice_id", "email", "days_before"),)

    id: Mapped[int_pk]
    notice_id: Mapped[int] = mapped_column(ForeignKey("notice.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    days_before: Mapped[int]
    sent_at: Mapped[utc_now]
