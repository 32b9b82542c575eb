"""The forum's own tables beside the archive's: list addresses and policies, members, and the
inbound queue and outbox that make sure no message is lost on its way in or out."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, int_pk, utc_now
from archive.models import Address, MailingList
from forum.policy import DEFAULTS


class ListAlias(Base):
    """A join address such as `dangky-THPT@` (stored lowercased: local parts are caseless here)."""

    __tablename__ = "list_alias"
    __table_args__ = (UniqueConstraint("local_part", "domain"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    local_part: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str]
    purpose: Mapped[str] = mapped_column(String(16), default="join")

    mailing_list: Mapped[MailingList] = relationship()

    @property
    def address(self) -> str:
        return f"{self.local_part}@{self.domain}"


class ListPolicy(Base):
    """Per-list settings for mail in and out (forum.policy.Policy, stored); a list without a row
    uses the defaults."""

    __tablename__ = "list_policy"

    list_id: Mapped[int] = mapped_column(
        ForeignKey("mailing_list.id", ondelete="CASCADE"), primary_key=True
    )
    subject_prefix: Mapped[str] = mapped_column(String(64), default=DEFAULTS.subject_prefix)
    footer: Mapped[str] = mapped_column(Text, default=DEFAULTS.footer)
    dmarc_munge: Mapped[str] = mapped_column(String(8), default=DEFAULTS.dmarc_munge)
    bounce_threshold: Mapped[float] = mapped_column(default=DEFAULTS.bounce_threshold)
    posting: Mapped[str] = mapped_column(String(16), default=DEFAULTS.posting)
    nonmember_action: Mapped[str] = mapped_column(String(8), default=DEFAULTS.nonmember_action)
    moderate_first_posts: Mapped[int] = mapped_column(default=DEFAULTS.moderate_first_posts)
    max_message_kb: Mapped[int] = mapped_column(default=DEFAULTS.max_message_kb)
    blocked_extensions: Mapped[str] = mapped_column(Text, default=DEFAULTS.blocked_extensions)
    max_recipients: Mapped[int] = mapped_column(default=DEFAULTS.max_recipients)
    hold_confidential: Mapped[bool] = mapped_column(default=DEFAULTS.hold_confidential)
    require_explicit_destination: Mapped[bool] = mapped_column(
        default=DEFAULTS.require_explicit_destination
    )
    hold_administrivia: Mapped[bool] = mapped_column(default=DEFAULTS.hold_administrivia)
    unsubscribe_footer: Mapped[str] = mapped_column(String(8), default=DEFAULTS.unsubscribe_footer)
    ack_receipt: Mapped[bool] = mapped_column(default=DEFAULTS.ack_receipt)


class Member(Base):
    """An address subscribed to a list, with its role and delivery state."""

    __tablename__ = "member"
    __table_args__ = (UniqueConstraint("list_id", "address_id"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    address_id: Mapped[int] = mapped_column(ForeignKey("address.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(16), default="member")  # member/moderator/owner
    is_focal_point: Mapped[bool] = mapped_column(default=False)  # the unit's mandatory contact
    unit: Mapped[str] = mapped_column(String(255), default="")  # school or office
    delivery_mode: Mapped[str] = mapped_column(String(8), default="all")  # all / digest / none
    delivery_enabled: Mapped[bool] = mapped_column(default=True)  # False after too many bounces
    bounce_score: Mapped[float] = mapped_column(default=0.0)
    last_bounce_at: Mapped[datetime | None]
    # Abuse feedback reports (ARF) about list mail to this address: the member marked it spam.
    complaint_count: Mapped[int] = mapped_column(default=0)
    last_complaint_at: Mapped[datetime | None]
    joined_at: Mapped[utc_now]

    address: Mapped[Address] = relationship()
    mailing_list: Mapped[MailingList] = relationship()


class InboundState(StrEnum):
    """Where an arrived message is: waiting (possibly claimed), held for a moderator, done, or
    failed with its error (retryable)."""

    QUEUED = "queued"
    HELD = "held"
    DONE = "done"
    FAILED = "failed"


class InboundMessage(Base):
    """Mail as it arrived (SMTP, LMTP, `forum inject`), kept until the pipeline has run."""

    __tablename__ = "inbound_message"
    __table_args__ = (Index("ix_inbound_state", "state", "id"),)

    id: Mapped[int_pk]
    received_at: Mapped[utc_now]
    mail_from: Mapped[str] = mapped_column(String(998), default="")
    recipients: Mapped[str] = mapped_column(Text)  # one address per line
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16), default=InboundState.QUEUED)
    outcome: Mapped[str] = mapped_column(Text, default="")  # what the pipeline did, per address
    error: Mapped[str] = mapped_column(Text, default="")
    attempts: Mapped[int] = mapped_column(default=0)  # times taken by a processor
    processed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(64))  # the processor holding it
    claimed_until: Mapped[datetime | None]  # its lease; after that anyone may take it again
    approved_by: Mapped[str] = mapped_column(String(320), default="")  # skips the hold rules

    @property
    def recipient_list(self) -> list[str]:
        return [line for line in self.recipients.splitlines() if line]


class OutgoingMessage(Base):
    """One message as it goes out (decorated once); each recipient gets a Delivery row."""

    __tablename__ = "outgoing_message"

    id: Mapped[int_pk]
    list_id: Mapped[int | None] = mapped_column(ForeignKey("mailing_list.id", ondelete="SET NULL"))
    archived_id: Mapped[int | None] = mapped_column(ForeignKey("message.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(16), default="post")  # post / notice / forward
    subject: Mapped[str] = mapped_column(Text, default="")
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[utc_now]


class Delivery(Base):
    """The durable outbox: one recipient of one outgoing message, until accepted or failed."""

    __tablename__ = "delivery"
    __table_args__ = (
        UniqueConstraint("outgoing_id", "recipient"),
        Index("ix_delivery_due", "state", "next_attempt_at"),
    )

    id: Mapped[int_pk]
    outgoing_id: Mapped[int] = mapped_column(ForeignKey("outgoing_message.id", ondelete="CASCADE"))
    recipient: Mapped[str] = mapped_column(String(320))
    envelope_from: Mapped[str] = mapped_column(String(998))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # see forum.mail.outbox
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[utc_now]
    claimed_by: Mapped[str | None] = mapped_column(String(128))
    claimed_at: Mapped[datetime | None]
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None]

    outgoing: Mapped[OutgoingMessage] = relationship()


class Account(Base):
    """Someone who signs in: the site admin (password) now, members by emailed link later."""

    __tablename__ = "account"

    id: Mapped[int_pk]
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[utc_now]
    last_login_at: Mapped[datetime | None]


class RateEvent(Base):
    """One counted event (a sign-in attempt, a confirmation sent) for rate limits."""

    __tablename__ = "rate_event"
    __table_args__ = (Index("ix_rate_event_key_at", "key", "at"),)

    id: Mapped[int_pk]
    key: Mapped[str] = mapped_column(String(400))
    at: Mapped[utc_now]


class PendingRequest(Base):
    """A join or leave waiting for the address's owner to confirm (reply or link)."""

    __tablename__ = "pending_request"
    __table_args__ = (Index("ix_pending_list_email", "list_id", "email", "created_at"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(default="")
    action: Mapped[str] = mapped_column(String(8))  # join / leave
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 of the token
    created_at: Mapped[utc_now]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    mailing_list: Mapped[MailingList] = relationship()


class DigestState(Base):
    """Where each list's daily digest got to."""

    __tablename__ = "digest_state"

    list_id: Mapped[int] = mapped_column(
        ForeignKey("mailing_list.id", ondelete="CASCADE"), primary_key=True
    )
    last_sent_at: Mapped[datetime | None]
    last_message_pk: Mapped[int] = mapped_column(default=0)  # archived messages up to this id


class SignInToken(Base):
    """A single-use sign-in link sent by mail (stored as the SHA-256 of the token)."""

    __tablename__ = "sign_in_token"

    id: Mapped[int_pk]
    email: Mapped[str] = mapped_column(String(320))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[utc_now]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class AcceptedSender(Base):
    """An address that may post without moderation (announce lists' senders, approved ones)."""

    __tablename__ = "accepted_sender"
    __table_args__ = (UniqueConstraint("list_id", "email"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    email: Mapped[str] = mapped_column(String(320))


class HeldPost(Base):
    """A post waiting for a moderator, with the reasons it was held."""

    __tablename__ = "held_post"
    __table_args__ = (Index("ix_held_list_state", "list_id", "state"),)

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    inbound_id: Mapped[int] = mapped_column(ForeignKey("inbound_message.id", ondelete="CASCADE"))
    sender: Mapped[str] = mapped_column(String(320), default="")
    subject: Mapped[str] = mapped_column(Text, default="")
    reasons: Mapped[str] = mapped_column(Text, default="[]")  # forum.posting.reasons, as JSON
    state: Mapped[str] = mapped_column(
        String(16), default="held"
    )  # held/approved/rejected/discarded
    created_at: Mapped[utc_now]
    notified_at: Mapped[datetime | None]  # included in a moderators' summary
    decided_at: Mapped[datetime | None]
    decided_by: Mapped[str] = mapped_column(String(320), default="")

    inbound: Mapped[InboundMessage] = relationship()
    mailing_list: Mapped[MailingList] = relationship()


class ModerationToken(Base):
    """The single-use token in a moderators' notice reply address, for the posts it lists."""

    __tablename__ = "moderation_token"

    id: Mapped[int_pk]
    list_id: Mapped[int] = mapped_column(ForeignKey("mailing_list.id", ondelete="CASCADE"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    held_ids: Mapped[str] = mapped_column(Text)  # space-separated HeldPost ids
    created_at: Mapped[utc_now]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class SiteSetting(Base):
    """A setting the site remembers between commands (the domain given to `forum init`)."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class PeriodicJob(Base):
    """One of the worker's periodic jobs (forum.runner.PERIODIC): claimed for a run, so that
    however many workers run, each job runs once per period."""

    __tablename__ = "periodic_job"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    running_until: Mapped[datetime | None]  # the claim of the worker running it now
    last_run_at: Mapped[datetime | None]
