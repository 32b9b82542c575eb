"""choose_date: the Date header when the mail servers' stamps allow it, else theirs."""

from __future__ import annotations

from datetime import UTC, datetime

from archive.dates import DateSource, choose_date
from archive.headers import parse_from

HOPS = [  # the last hop first, as headers are stacked
    "from mx.so.example by list.so.example; Tue, 8 Jan 2001 20:05:00 +0000",
    "from pc.example by mx.so.example; Tue, 8 Jan 2001 20:00:13 +0000",
]
MBOX_DATE = datetime(2001, 1, 9, tzinfo=UTC)


def test_a_believable_date_header_is_taken() -> None:
    date, source, note = choose_date("Mon, 8 Jan 2001 19:59:00 +0000", None, HOPS)
    assert (date, source, note) == (datetime(2001, 1, 8, 19, 59, tzinfo=UTC), "header", None)


def test_a_date_later_than_the_first_hop_and_a_day_gives_way_to_the_servers() -> None:
    date, source, note = choose_date("Mon, 1 Jun 2026 10:00:00 +0000", None, HOPS, MBOX_DATE)
    assert date == datetime(2001, 1, 8, 20, 0, 13, tzinfo=UTC)
    assert source is DateSource.RECEIVED
    assert source.from_servers
    assert note is not None
    assert "later than the first mail server" in note


def test_nonsense_or_missing_dates_fall_back_in_order() -> None:
    for header in ("Tue, 30 Oct 1979 04:28:38 +0100", "Sat, 18 May 0102 19:56:53 -0900", None):
        assert choose_date(header, None, HOPS)[:2] == (
            datetime(2001, 1, 8, 20, 0, 13, tzinfo=UTC),
            DateSource.RECEIVED,
        )
        assert choose_date(header, None, [], MBOX_DATE)[:2] == (MBOX_DATE, DateSource.MBOX)
        assert choose_date(header, None, [])[:2] == (None, DateSource.ARRIVAL)


def test_a_date_before_1990_is_no_date() -> None:
    assert choose_date("Fri, 1 Dec 1989 10:00:00 +0000")[1] is DateSource.ARRIVAL


def test_forged_stamps_far_from_the_last_hop_are_not_trusted() -> None:
    forged = [*HOPS, "from spam.example by relay; Sat, 1 Jan 1994 00:00:00 +0000", "junk; no date"]
    assert choose_date(None, None, forged)[0] == datetime(2001, 1, 8, 20, 0, 13, tzinfo=UTC)


def test_a_name_and_address_inside_one_legacy_encoded_word_decode_like_a_subject() -> None:
    assert parse_from("=?gb2312?q?=B3=C2=B9=FA=C7=BF_<hungmin@21cn.com>?=") == (
        "陈国强",
        "hungmin@21cn.com",
    )
    assert parse_from("=?windows-1258?Q?Ph=FA_L=FDu_An?= <an@pgd.example>") == (
        "Phú Lưu An",
        "an@pgd.example",
    )
