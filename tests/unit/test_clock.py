"""The site's local time: deadlines end at local midnight, days are local days, and a time zone
the tz database does not know stops the site at start-up with a clear message."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from forum.clock import end_of_day, local, local_day, month_bounds, parse_day
from forum.mail.digest import digest_due
from forum.settings import Settings


def test_a_deadline_ends_at_local_midnight() -> None:
    assert end_of_day(date(2026, 12, 5), "Asia/Ho_Chi_Minh") == datetime(
        2026, 12, 5, 16, 59, 59, tzinfo=UTC
    )
    assert end_of_day(date(2026, 12, 5), "UTC") == datetime(2026, 12, 5, 23, 59, 59, tzinfo=UTC)


def test_days_are_local_days() -> None:
    evening_utc = datetime(2026, 11, 25, 18, 0, tzinfo=UTC)
    assert local_day(evening_utc, "Asia/Ho_Chi_Minh") == date(2026, 11, 26)
    assert local_day(evening_utc, "UTC") == date(2026, 11, 25)
    naive_utc = datetime(2026, 11, 25, 18, 0)  # as SQLite may hand it back
    assert local(naive_utc, "Asia/Ho_Chi_Minh").hour == 1


def test_the_time_zone_comes_from_the_environment(tmp_path: Path) -> None:
    base = {"FORUM_SECRET_KEY": "k", "FORUM_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).timezone == "Asia/Ho_Chi_Minh"
    assert Settings.from_env({**base, "FORUM_TIMEZONE": "Europe/Paris"}).timezone == "Europe/Paris"
    with pytest.raises(ValueError, match="unknown time zone 'Asia/Hanoi_City'"):
        Settings.from_env({**base, "FORUM_TIMEZONE": "Asia/Hanoi_City"})
    with pytest.raises(ValueError, match="unknown time zone"):
        Settings.from_env({**base, "FORUM_TIMEZONE": "../../etc/passwd"})


def test_the_daily_digest_is_due_once_the_local_hour_has_come() -> None:
    six_in_hanoi = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)  # 06:00 on the 27th
    minute = timedelta(minutes=1)
    assert digest_due(None, six_in_hanoi - minute, "Asia/Ho_Chi_Minh", 6)  # never sent
    yesterday = six_in_hanoi - timedelta(hours=23)
    assert not digest_due(yesterday, six_in_hanoi - minute, "Asia/Ho_Chi_Minh", 6)
    assert digest_due(yesterday, six_in_hanoi, "Asia/Ho_Chi_Minh", 6)
    assert not digest_due(six_in_hanoi, six_in_hanoi + timedelta(hours=20), "Asia/Ho_Chi_Minh", 6)
    # wall-clock hours across a daylight-saving change (Paris, 25 October 2026)
    sent = datetime(2026, 10, 24, 5, 0, tzinfo=UTC)  # 07:00 in summer time
    assert not digest_due(sent, datetime(2026, 10, 25, 5, 30, tzinfo=UTC), "Europe/Paris", 7)
    assert digest_due(sent, datetime(2026, 10, 25, 6, 0, tzinfo=UTC), "Europe/Paris", 7)


def test_the_digest_hour_is_an_hour_of_the_day(tmp_path: Path) -> None:
    base = {"FORUM_SECRET_KEY": "k", "FORUM_DATA_DIR": str(tmp_path)}
    assert Settings.from_env(base).digest_hour == 6
    assert Settings.from_env({**base, "FORUM_DIGEST_HOUR": "0"}).digest_hour == 0
    with pytest.raises(ValueError, match="0 to 23"):
        Settings.from_env({**base, "FORUM_DIGEST_HOUR": "24"})


def test_a_month_is_the_local_month() -> None:
    start, end = month_bounds(2026, 1, "Asia/Ho_Chi_Minh")
    assert start == datetime(2025, 12, 31, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 1, 31, 17, 0, tzinfo=UTC)
    assert month_bounds(2026, 12, "UTC")[1] == datetime(2027, 1, 1, tzinfo=UTC)
    with pytest.raises(ValueError, match="no month 13"):
        month_bounds(2026, 13, "UTC")


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("05/12/2026", date(2026, 12, 5)),
        ("5/12/2026", date(2026, 12, 5)),
        (" 5-12-2026 ", date(2026, 12, 5)),
        ("05.12.2026", date(2026, 12, 5)),
        ("2026-12-05", date(2026, 12, 5)),  # what a date input sends
        ("12/31/2026", None),  # the American order is not a day here
        ("31/02/2026", None),
        ("", None),
        ("mai", None),
    ],
)
def test_a_typed_day_is_read_as_officials_write_it(typed: str, day: date | None) -> None:
    assert parse_day(typed) == day
