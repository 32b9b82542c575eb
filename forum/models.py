"""The forum's own tables beside the archive's: for now, the extra addresses lists answer to."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from archive.db import Base, int_pk
from archive.models import MailingList


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
