"""Which date a message is filed under: its `Date:` when believable, else the mail servers'
`Received:` stamps, else the mbox `From ` line; the source chosen is kept with the message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from enum import StrEnum

from archive.headers import EARLIEST_DATE, parse_date

HOP_SLACK = timedelta(days=1)  # a Date: later than the first server's stamp plus this is wrong
HOP_WINDOW = timedelta(days=7)  # stamps this long before the last hop are forged or wrong
# The last activity of a thread whose messages all lack a usable date: it sorts below every
# dated thread, so that it never stands as a list's newest.
UNDATED_ACTIVITY = EARLIEST_DATE


class DateSource(StrEnum):
    HEADER = "header"  # the Date: (or Resent-Date:) the sender's client wrote
    RECEIVED = "received"  # the earliest trustworthy Received: stamp of a mail server
    MBOX = "mbox"  # the date on the mbox `From ` line the message was imported from
    ARRIVAL = "arrival"  # nothing usable: the time the archive stored it

    @property
    def from_servers(self) -> bool:
        """A date from the servers' records rather than the sender's."""
        return self in (DateSource.RECEIVED, DateSource.MBOX)


def received_dates(values: Sequence[str]) -> list[datetime]:
    """The plausible dates of `Received:` headers, in header order (the last hop first)."""
    found = []
    for value in values:
        _, _, stamp = str(value).rpartition(";")
        moment = parse_date(stamp)[0] if stamp.strip() else None
        if moment is not None:
            found.append(moment)
    return found


def choose_date(
    date: str | None,
    resent: str | None = None,
    received: Sequence[str] = (),
    mbox_date: datetime | None = None,
) -> tuple[datetime | None, DateSource, str | None]:
    """(date, where it came from, a note on what was wrong); None means no usable date."""
    stamps = received_dates(received)
    trusted = [s for s in stamps if stamps[0] - HOP_WINDOW <= s <= stamps[0] + HOP_SLACK]
    first_hop = trusted[-1] if trusted else None
    notes: list[str] = []
    for value in (date, resent):
        moment, note = parse_date(value)
        if note:
            notes.append(note)
        if moment is not None and (first_hop is None or moment <= first_hop + HOP_SLACK):
            if value is resent:
                notes.append("date taken from Resent-Date")
            return moment, DateSource.HEADER, "; ".join(notes) or None
        if moment is not None:
            notes.append(f"Date {value!r} is later than the first mail server's stamp")
    if not notes:
        notes.append("no Date header")
    if trusted:
        return min(trusted), DateSource.RECEIVED, "; ".join([*notes, "date from Received"])
    if mbox_date is not None:
        return mbox_date, DateSource.MBOX, "; ".join([*notes, "date from the mbox From line"])
    return None, DateSource.ARRIVAL, "; ".join(notes)
