"""mboxrd reading and writing: streaming, From-quoting, compression, byte-exact round trips."""

from __future__ import annotations

import io
import lzma
from datetime import UTC, datetime
from pathlib import Path

from archive.mbox import from_line, iter_messages, open_archive, write_mbox

WHEN = datetime(2009, 4, 14, 1, 2, 3, tzinfo=UTC)


def _round_trip(raws: list[bytes]) -> list[bytes]:
    out = io.BytesIO()
    write_mbox(out, [(raw, "a@example.org", WHEN) for raw in raws])
    return list(iter_messages(io.BytesIO(out.getvalue())))


def test_from_lines_in_bodies_survive_a_round_trip() -> None:
    raw = b"Subject: x\n\nFrom here\n>From there\n>>From deeper\nplain\n"
    assert _round_trip([raw]) == [raw]


def test_crlf_and_blank_lines_at_the_end_survive() -> None:
    raws = [b"Subject: a\r\n\r\nbody\r\n", b"Subject: b\n\nbody\n\n\n", b"Subject: c\n\n\n"]
    assert _round_trip(raws) == raws


def test_separator_line_names_sender_and_utc_date() -> None:
    assert from_line("a@example.org", WHEN) == b"From a@example.org Tue Apr 14 01:02:03 2009\n"
    assert from_line("", WHEN).startswith(b"From MAILER-DAEMON ")


def test_a_from_line_without_a_blank_line_before_it_is_body_text() -> None:
    data = (
        b"From x Tue Apr 14 01:02:03 2009\nSubject: a\n\nline\nFrom inside\n\n"
        b"From y Tue Apr 14 01:02:03 2009\nSubject: b\n\nz\n"
    )
    messages = list(iter_messages(io.BytesIO(data)))
    assert len(messages) == 2
    assert b"From inside" in messages[0]


def test_compressed_archives_are_recognised_by_content(tmp_path: Path) -> None:
    out = io.BytesIO()
    write_mbox(out, [(b"Subject: a\n\nx\n", "a@b", WHEN)])
    packed = tmp_path / "archive.mbox"
    packed.write_bytes(lzma.compress(out.getvalue()))
    with open_archive(packed) as stream:
        assert list(iter_messages(stream)) == [b"Subject: a\n\nx\n"]


def test_empty_file_yields_nothing() -> None:
    assert list(iter_messages(io.BytesIO(b""))) == []


def test_a_byte_order_mark_before_the_first_from_line_is_ignored() -> None:
    data = b"\xef\xbb\xbfFrom x Tue Apr 14 01:02:03 2009\nSubject: a\n\nbody\n"
    assert list(iter_messages(io.BytesIO(data))) == [b"Subject: a\n\nbody\n"]
