"""One queued message as the post path sees it: its headers and its parse, each made once, on
first use (a message to `LIST-bounces@` is never fully parsed)."""

from __future__ import annotations

from functools import cached_property

from archive.headers import parse_from
from archive.parse import parse_message
from archive.parsed import ParsedMessage
from forum.mail.bounces import header_map, is_auto_generated
from forum.models import InboundMessage


class Arrival:
    def __init__(self, item: InboundMessage) -> None:
        self.item = item

    @property
    def raw(self) -> bytes:
        return self.item.raw

    @cached_property
    def headers(self) -> dict[str, str]:
        """Lowercased names, unfolded values, first occurrence wins."""
        return header_map(self.item.raw)

    @cached_property
    def parsed(self) -> ParsedMessage:
        return parse_message(self.item.raw)

    @cached_property
    def sender(self) -> tuple[str, str]:
        """(display name, lowercased address) from From:, ("", "") when it has none."""
        name, email = parse_from(self.headers.get("from"), None)
        return name, email

    @property
    def automatic(self) -> bool:
        """RFC 3834: never answer mail a machine sent (auto-replies, bounces, lists)."""
        return self.item.mail_from in ("", "<>") or is_auto_generated(self.headers)

    @property
    def answerable(self) -> bool:
        """Whether a person may get an automatic reply: not automatic, not from a list."""
        return not self.automatic and "list-id" not in self.headers

    @property
    def message_id(self) -> str | None:
        return self.headers.get("message-id", "").strip() or None
