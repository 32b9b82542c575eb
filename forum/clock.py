"""The site's local time (FORUM_TIMEZONE, Asia/Ho_Chi_Minh by default). The database keeps
UTC; people's days are local: a deadline ends at local midnight, a reminder goes out on a
local day, a date typed in a search is a local day."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"


@cache
def zone(name: str) -> ZoneInfo:
    """The named time zone; a name the tz database does not know is a configuration error."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown time zone {name!r} (FORUM_TIMEZONE)") from error


def end_of_day(day: date, zone_name: str) -> datetime:
    """The last second of `day` in the zone, as an aware UTC moment."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=zone(zone_name))
    return local.astimezone(UTC)


def local(moment: datetime, zone_name: str) -> datetime:
    """A moment (naive means UTC) as the zone's wall-clock time."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone(zone_name))


def local_day(moment: datetime, zone_name: str) -> date:
    return local(moment, zone_name).date()


def month_bounds(year: int, month: int, zone_name: str) -> tuple[datetime, datetime]:
    """The local month [first instant, first instant of the next month) as aware UTC;
    ValueError for a month that does not exist."""
    if not 1 <= month <= 12:  # noqa: PLR2004 - months of a year
        raise ValueError(f"no month {month}")
    start = datetime(year, month, 1, tzinfo=zone(zone_name))
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone(zone_name))
    return start.astimezone(UTC), end.astimezone(UTC)


def utc_offset_minutes(zone_name: str, at: datetime) -> int:
    offset = at.astimezone(zone(zone_name)).utcoffset()
    return int(offset.total_seconds() // 60) if offset else 0


_DAY_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_day(text: str) -> date | None:
    """A day typed as officials write it (`05/12/2026`, `5-12-2026`, `5.12.2026`) or as a
    date input sends it (`2026-12-05`); None for anything else."""
    for layout in _DAY_FORMATS:
        try:
            return datetime.strptime(text.strip(), layout).date()
        except ValueError:
            continue
    return None
