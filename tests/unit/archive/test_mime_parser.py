"""The quicker MIME parser: the same parsed mail as the standard library's parser, on the
corpus, on a year of HTML list mail, on awkward structures and on generated ones."""

from __future__ import annotations

import re
from email import feedparser
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import boundaries, mime_parser

from .conftest import corpus_messages, html_list_mail, parsed_shape

_STDLIB_LINE_END = re.compile(r"(\r\n|\r|\n)\Z")


def _assert_parsed_alike(raws: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    boundaries.install()
    mime_parser.install()
    for headersonly in (False, True):
        ours = [parsed_shape(mime_parser.parse_bytes(raw, headersonly=headersonly)) for raw in raws]
        with monkeypatch.context() as patched:
            patched.setitem(vars(feedparser), "NLCRE_eol", _STDLIB_LINE_END)
            parser = BytesParser(policy=compat32)
            theirs = [parsed_shape(parser.parsebytes(raw, headersonly=headersonly)) for raw in raws]
        assert ours == theirs


def test_corpus_messages_parse_alike(monkeypatch: pytest.MonkeyPatch) -> None:
    raws = [path.read_bytes() for path in corpus_messages()]
    assert len(raws) > 100
    _assert_parsed_alike(raws, monkeypatch)


def test_html_list_mail_parses_alike(mail_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _assert_parsed_alike(html_list_mail(mail_corpus, 800), monkeypatch)


def _mail(*lines: str, newline: str = "\n") -> bytes:
    return newline.join(lines).encode("utf-8", "surrogateescape")


_MULTIPART = 'Content-Type: multipart/mixed; boundary="{0}"'
_AWKWARD = {
    "nested, one boundary the start of the other": _mail(
        _MULTIPART.format("ab"),
        "",
        "preamble",
        "--ab",
        _MULTIPART.format("ab-c"),
        "",
        "--ab-c",
        "",
        "inner one",
        "--abc not a boundary",
        "--ab-c",
        "Content-Type: text/html",
        "",
        "<p>inner two</p>",
        "--ab-c--",
        "inner epilogue",
        "--ab",
        "",
        "outer two",
        "--ab--",
        "epilogue",
        "",
    ),
    "an inner part ended by the outer boundary": _mail(
        _MULTIPART.format("out"),
        "",
        "--out",
        _MULTIPART.format("in"),
        "",
        "--in",
        "",
        "never closed",
        "--out",
        "",
        "after",
        "--out--",
    ),
    "no close boundary": _mail(_MULTIPART.format("b"), "", "--b", "", "body", "more"),
    "no start boundary": _mail(_MULTIPART.format("b"), "", "text", "--bx", "", "rest"),
    "no boundary parameter": _mail("Content-Type: multipart/mixed", "", "--b", "", "x"),
    "headers without a blank line before the body": _mail(
        _MULTIPART.format("b"), "", "--b", "Subject: x", "this is not a header", "--b--"
    ),
    "body lines that look like headers": _mail(
        "Subject: s", "", "Note: this is body", "From nobody", "--", "-- ", ""
    ),
    "a unix-from line among the headers": _mail(
        "From someone Mon Jan  1 00:00:00 2001", "Subject: s", "From oddly placed", "", "b"
    ),
    "a delivery report": _mail(
        'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
        "",
        "--r",
        "",
        "Your mail was not delivered.",
        "--r",
        "Content-Type: message/delivery-status",
        "",
        "Reporting-MTA: dns; mx.example.org",
        "",
        "Final-Recipient: rfc822; a@example.org",
        "Action: failed",
        "Status: 5.1.1",
        "",
        "--r",
        "Content-Type: message/rfc822",
        "",
        "Subject: the original",
        _MULTIPART.format("o"),
        "",
        "--o",
        "",
        "original body",
        "--o--",
        "--r--",
        "",
    ),
    "old Mac line ends": _mail(
        _MULTIPART.format("m"), "", "--m", "", "a", "b", "--m--", "", newline="\r"
    ),
    "mixed line ends": _mail(_MULTIPART.format("m"), "", "--m", "", "a\r\nb\rc", "--m--\r\n"),
    "CRLF with trailing blanks after boundaries": _mail(
        _MULTIPART.format("c"), "", "--c \t", "", "x", "--c--  ", "ep", newline="\r\n"
    ),
    "undecodable bytes": b'Content-Type: multipart/mixed; boundary="z"\n\n--z\n\n\xff\x80\n--z--',
    "empty parts": _mail(_MULTIPART.format("e"), "", "--e", "--e", "", "--e--"),
    "many lines that start as a boundary": _mail(
        _MULTIPART.format("b"), "", "--b", "", *["--b-x"] * 20_000, "--b--"
    ),
    "only headers": _mail("Subject: s", "From: a@example.org"),
    "nothing": b"",
}


@pytest.mark.parametrize("raw", list(_AWKWARD.values()), ids=list(_AWKWARD))
def test_awkward_structures_parse_alike(raw: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    _assert_parsed_alike([raw, raw[: len(raw) // 2], raw[: len(raw) * 3 // 4]], monkeypatch)


_NEWLINES = st.sampled_from(["\n", "\r\n", "\r"])
_BOUNDARIES = st.sampled_from(["b", "b-1", "b-12", "=_x", "b "])
_LINE = st.one_of(
    st.sampled_from(["", "text", "X-Head: value", " continued", "--", "--b", "--b--", "--b-1"]),
    _BOUNDARIES.map(lambda boundary: f"--{boundary}"),
    _BOUNDARIES.map(lambda boundary: f"--{boundary}--  "),
    st.text(alphabet="ab-=_ \t:\x85", max_size=12),
)


@st.composite
def _messages(draw: st.DrawFn, depth: int = 0) -> list[str]:
    """The lines of a message, its parts multipart or not, with stray boundary-like lines."""
    headers = draw(st.lists(st.sampled_from(["Subject: s", "X: y", " folded"]), max_size=2))
    if depth < 3 and draw(st.booleans()):
        boundary = draw(_BOUNDARIES)
        lines = [*headers, _MULTIPART.format(boundary), ""]
        lines += draw(st.lists(_LINE, max_size=2))  # preamble
        for _ in range(draw(st.integers(0, 3))):
            lines.append(f"--{boundary}")
            lines += draw(_messages(depth + 1))
        if draw(st.booleans()):
            lines.append(f"--{boundary}--")
        return lines + draw(st.lists(_LINE, max_size=2))  # epilogue
    return [*headers, *draw(st.lists(st.just(""), max_size=1)), *draw(st.lists(_LINE, max_size=8))]


@settings(max_examples=400, deadline=None)
@given(lines=_messages(), newline=_NEWLINES, cut=st.integers(0, 100))
def test_generated_mail_parses_alike(lines: list[str], newline: str, cut: int) -> None:
    raw = _mail(*lines, newline=newline)
    raw = raw[: len(raw) * cut // 100] if cut < 100 else raw
    with pytest.MonkeyPatch.context() as monkeypatch:
        _assert_parsed_alike([raw], monkeypatch)


@given(st.text(alphabet="\r\na", max_size=8))
def test_the_line_end_is_found_as_the_pattern_finds_it(text: str) -> None:
    ours = mime_parser._LineEndAtEnd(_STDLIB_LINE_END).search(text)
    theirs = _STDLIB_LINE_END.search(text)
    assert (ours and (ours.span(), ours.group(0))) == (theirs and (theirs.span(), theirs.group(0)))


def test_the_line_end_stand_in_is_installed_once() -> None:
    mime_parser.install()
    mime_parser.install()
    installed = vars(feedparser)["NLCRE_eol"]
    assert isinstance(installed, mime_parser._LineEndAtEnd)
    assert installed.pattern.pattern == _STDLIB_LINE_END.pattern  # not wrapped twice
