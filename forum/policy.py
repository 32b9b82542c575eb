"""A list's settings as one frozen value, with their defaults written once: the `ListPolicy`
table stores them, and the post path reads this snapshot."""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True, slots=True)
class Policy:
    """What a list does with mail in and out (`forum policy LIST` shows and changes it)."""

    subject_prefix: str = ""
    footer: str = ""
    dmarc_munge: str = "auto"  # auto / always / never
    bounce_threshold: float = 5.0
    posting: str = "members"  # open / members / announce
    nonmember_action: str = "hold"  # hold / reject / discard
    moderate_first_posts: int = 0  # new members' first N posts
    max_message_kb: int = 10240
    blocked_extensions: str = ".exe .bat .cmd .com .scr .pif .vbs .js .jar .msi"
    max_recipients: int = 10  # 0 = no limit
    hold_confidential: bool = True
    require_explicit_destination: bool = True
    hold_administrivia: bool = True
    unsubscribe_footer: str = "auto"  # auto (on unless posting is announce) / on / off
    ack_receipt: bool = True  # a focal point who acknowledges a notice gets a receipt by mail

    @property
    def shows_unsubscribe_footer(self) -> bool:
        """Discussion lists show a visible leave link in each copy unless turned off."""
        if self.unsubscribe_footer == "auto":
            return self.posting != "announce"
        return self.unsubscribe_footer == "on"

    @property
    def blocked(self) -> tuple[str, ...]:
        return tuple(self.blocked_extensions.lower().split())


DEFAULTS = Policy()
NAMES = tuple(f.name for f in fields(Policy))


def snapshot(row: object | None) -> Policy:
    """The settings stored in `row` (a ListPolicy), or the defaults for a list without one."""
    if row is None:
        return DEFAULTS
    return Policy(**{name: getattr(row, name) for name in NAMES})
