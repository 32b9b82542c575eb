"""The boundary matcher given to the feed parser: the same matches as the pattern it replaces,
and the same parsed mail, on the corpus and on awkward boundaries."""

from __future__ import annotations

import re
import sys
from email import feedparser
from email.parser import BytesParser
from email.policy import compat32
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive import boundaries

from .conftest import corpus_messages, html_list_mail, parsed_shape

_TAIL = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"


def _pattern(separator: str) -> str:
    """The pattern the feed parser of Python 3.11 and 3.12 compiles for a separator."""
    return "(?P<sep>" + re.escape(separator) + _TAIL


def _groups(found: re.Match[str] | None) -> tuple[str | None, ...] | None:
    return None if found is None else (found.group("end"), found.group("ws"), found["linesep"])


@given(st.text(min_size=1, max_size=40))
def test_the_separator_is_read_back_from_any_boundary_pattern(boundary: str) -> None:
    assert boundaries.separator_of(_pattern("--" + boundary)) == "--" + boundary


@pytest.mark.parametrize(
    "pattern",
    [
        r"\r\n|\r|\n",
        "(?P<sep>--a" + _TAIL[:-1],
        "(?P<sep>--a(b" + _TAIL,  # not what re.escape makes
        "(?P<sep>--a\\" + _TAIL,
    ],
)
def test_other_patterns_are_not_taken_for_boundaries(pattern: str) -> None:
    assert boundaries.separator_of(pattern) is None


_AFTER = st.sampled_from(["", "--", " ", "\t", "-- \t", "x", "--x", "\n", "\r\n", "\r", "--\n"])


@given(
    boundary=st.text(alphabet=st.characters(max_codepoint=0x17F), min_size=1, max_size=30),
    prefix=st.sampled_from(["", "--", "-", " ", "x"]),
    after=st.lists(_AFTER, max_size=3),
)
def test_a_line_matches_as_the_compiled_pattern_matches_it(
    boundary: str, prefix: str, after: list[str]
) -> None:
    separator = "--" + boundary
    line = prefix + separator + "".join(after)
    expected = re.compile(_pattern(separator)).match(line)
    assert _groups(boundaries.BoundaryMatcher(separator).match(line)) == _groups(expected)


def test_the_feed_parser_is_given_the_matcher_where_it_compiles_boundaries() -> None:
    boundaries.install()
    boundaries.install()
    compiled = feedparser.re.compile(_pattern("--=_x.y"))
    before_313 = sys.version_info < (3, 13)
    assert isinstance(compiled, boundaries.BoundaryMatcher if before_313 else re.Pattern)
    assert feedparser.re.compile(r"\r\n").match("\r\n")  # any other pattern is the real one


def _same_as_with_compiled_patterns(raws: list[bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    boundaries.install()
    parser = BytesParser(policy=compat32)
    matched = [parsed_shape(parser.parsebytes(raw)) for raw in raws]
    monkeypatch.setitem(vars(feedparser), "re", re)
    compiled = [parsed_shape(parser.parsebytes(raw)) for raw in raws]
    assert matched == compiled


def test_corpus_messages_parse_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    raws = [path.read_bytes() for path in corpus_messages()]
    assert len(raws) > 100
    _same_as_with_compiled_patterns(raws, monkeypatch)


def test_html_list_mail_parses_the_same(mail_corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _same_as_with_compiled_patterns(html_list_mail(mail_corpus, 600), monkeypatch)


@pytest.mark.parametrize(
    "boundary",
    ["a.b+c*d?(e)[f]{g}|h^i$j\\k", "with space ", "tab\there", "--", "x--", "ünï"],
)
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_awkward_boundaries_parse_the_same(
    boundary: str, newline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    quoted = boundary.replace("\\", "\\\\")
    lines = [
        "From: a@example.org",
        f'Content-Type: multipart/mixed; boundary="{quoted}"',
        "",
        "preamble",
        f"--{boundary}",
        "Content-Type: text/plain",
        "",
        "one",
        f"--{boundary}  ",
        "",
        "two",
        f"--{boundary}x",
        f"--{boundary}--",
        "epilogue",
    ]
    raw = newline.join(lines).encode("utf-8")
    _same_as_with_compiled_patterns([raw, raw.rsplit(b"--", 2)[0]], monkeypatch)
