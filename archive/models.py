"""Storage models for archived mail: lists, senders, threads, messages, attachments, ghosts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from archive.db import Base, TZDateTime, int_pk, utc_now

MESSAGE_ID_LENGTH = 998  # RFC 5322's line limit bounds any Message-ID


class MailingList(Base):
    """A list as the archive knows it; the forum adds policies in its own tables."""

    __tablename__ = "mailing_list"

    id: Mapped[int_pk]
    name: Mapped[str] = mapped_column(String(64), unique=True)
    domain: Mapped[str]
    display_name: Mapped[str]
    description: Mapped[str] = mapped_column(Text, default="")
    is_private: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[utc_now]

    @property
    def posting_address(self) -> str:
        return f"{self.name}@{self.domain}"


class Address(Base):
    """One email address seen as a sender (members reuse it)."""

    __tablename__ = "address"

    id: Mapped[int_pk]
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(default="")
    created_at: Mapped[utc_now]


class Thread(Base):
    """A connected group of messages in one list, with summary figures for list pages."""

    __tablename__ = "thread"
    __table_args__ = (Index("ix_thread_list_activity", "list_id", "last_activity"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    subject: Mapped[str] = mapped_column(Text, default="")
    subject_key: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime]
    last_activity: Mapped[datetime]
    message_count: Mapped[int] = mapped_column(default=0)
    participant_count: Mapped[int] = mapped_column(default=0)
    root_message_id: Mapped[int | None]  # the first message in thread order (no FK: a cycle)

    mailing_list: Mapped[MailingList] = relationship()


class Message(Base):
    """One archived message in one list; `raw` keeps the bytes exactly as received."""

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("list_id", "message_id"),
        Index("ix_message_thread_order", "thread_id", "thread_order"),
        Index("ix_message_list_date", "list_id", "date"),
        # list first: SQLite's planner would otherwise pick ix_message_list_date for a page
        Index("ix_message_list_hash", "list_id", "message_id_hash"),
    )

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id"))
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_LENGTH))
    message_id_hash: Mapped[str] = mapped_column(String(32))
    synthetic_id: Mapped[bool] = mapped_column(default=False)
    in_reply_to: Mapped[str | None] = mapped_column(Text)
    references: Mapped[str] = mapped_column(Text, default="")  # space-separated, oldest first
    subject: Mapped[str] = mapped_column(Text, default="")
    sender_id: Mapped[int | None] = mapped_column(ForeignKey("address.id"))
    sender_name: Mapped[str] = mapped_column(default="")
    sender_email: Mapped[str] = mapped_column(String(320), default="")
    date: Mapped[datetime]
    # where `date` came from: an archive.dates.DateSource ("header", "received", "mbox",
    # "arrival"); "arrival" dates never make a message the newest of its thread or list
    date_source: Mapped[str] = mapped_column(String(16), default="header", server_default="header")
    received_at: Mapped[utc_now]
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str | None] = mapped_column(Text)
    defects: Mapped[str] = mapped_column(Text, default="")  # one note per line
    flagged: Mapped[bool] = mapped_column(default=False)
    has_attachments: Mapped[bool] = mapped_column(default=False)
    parent_message_id: Mapped[str | None] = mapped_column(String(MESSAGE_ID_LENGTH))
    parent_is_ghost: Mapped[bool] = mapped_column(default=False)
    thread_order: Mapped[int] = mapped_column(default=0)
    thread_depth: Mapped[int] = mapped_column(default=0)
    raw_size: Mapped[int] = mapped_column(default=0)
    raw: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

    mailing_list: Mapped[MailingList] = relationship()
    thread: Mapped[Thread] = relationship(foreign_keys=[thread_id])
    attachments: Mapped[list[Attachment]] = relationship(
        order_by="Attachment.position", back_populates="message"
    )

    @property
    def reference_ids(self) -> tuple[str, ...]:
        return tuple(self.references.split())


class Ghost(Base):
    """A Message-ID that a stored message references but that the list has not seen (yet)."""

    __tablename__ = "ghost"
    __table_args__ = (UniqueConstraint("list_id", "message_id"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    message_id: Mapped[str] = mapped_column(String(MESSAGE_ID_LENGTH))
    thread_id: Mapped[int] = mapped_column(ForeignKey("thread.id"), index=True)


class Attachment(Base):
    """A file carried by a message, decoded; served with a safe Content-Disposition."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("message_pk", "position"),)

    id: Mapped[int_pk]
    message_pk: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"))
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    data: Mapped[bytes] = deferred(mapped_column(LargeBinary, nullable=False))

    message: Mapped[Message] = relationship(back_populates="attachments")
    # what reading its text came to (None until the worker has read it)
    text_state: Mapped[AttachmentText | None] = relationship(viewonly=True)


class AttachmentText(Base):
    """The text read out of one attachment (derived: rebuilt by `forum reindex`), or why none
    was: `status` is an archive.extract.outcome status, `reason` says why in words."""

    __tablename__ = "attachment_text"
    __table_args__ = (Index("ix_attachment_text_indexed_in", "indexed_in"),)

    attachment_id: Mapped[int] = mapped_column(
        ForeignKey("attachment.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = deferred(
        mapped_column(Text, default="", nullable=False)
    )  # pages apart by "\f"
    unit: Mapped[str] = mapped_column(String(8), default="")  # "page", "sheet" or ""
    pages: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    claimed_until: Mapped[datetime | None] = mapped_column(TZDateTime())
    extracted_at: Mapped[datetime | None] = mapped_column(TZDateTime())
    # the search index holding it (a token the index keeps): a new index takes all again
    indexed_in: Mapped[str | None] = mapped_column(String(32))
