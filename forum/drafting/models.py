"""The drafts' tables: a draft regulation, the groups it went to, and the comments on it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from archive.db import Base, int_pk, utc_now


class DraftDocument(Base):
    """A draft regulation put out for comments (its text is parsed into provisions on use)."""

    __tablename__ = "draft_document"

    id: Mapped[int_pk]
    title: Mapped[str] = mapped_column(Text)
    issuing_unit: Mapped[str] = mapped_column(String(255), default="")
    deadline: Mapped[datetime | None]
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(16), default="draft")  # draft / published / closed
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[utc_now]
    published_at: Mapped[datetime | None]

    @property
    def reference(self) -> str:
        """The stable code in subjects that lets replies be recognised: `DT-12`."""
        return f"DT-{self.id}"


class DraftTarget(Base):
    """A group a draft was published to, with the announcement's Message-ID."""

    __tablename__ = "draft_target"
    __table_args__ = (UniqueConstraint("draft_id", "list_id"),)

    id: Mapped[int_pk]
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft_document.id", ondelete="CASCADE"))
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(998), default="")


class DraftComment(Base):
    """One comment on one provision (anchor) or on the whole draft, and the response to it."""

    __tablename__ = "draft_comment"
    __table_args__ = (Index("ix_draft_comment_draft", "draft_id", "anchor"),)

    id: Mapped[int_pk]
    draft_id: Mapped[int] = mapped_column(ForeignKey("draft_document.id", ondelete="CASCADE"))
    anchor: Mapped[str | None] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text)
    author_email: Mapped[str] = mapped_column(String(320))
    author_name: Mapped[str] = mapped_column(String(255), default="")
    unit: Mapped[str] = mapped_column(String(255), default="")
    message_id: Mapped[str] = mapped_column(String(998), default="")
    how: Mapped[str] = mapped_column(String(8), default="named")  # named / quoted / general
    late: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[utc_now]
    response_kind: Mapped[str] = mapped_column(String(16), default="")  # accepted/partly/explained
    response: Mapped[str] = mapped_column(Text, default="")
    responded_by: Mapped[str] = mapped_column(String(320), default="")
