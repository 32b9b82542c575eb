"""The tokenizer gives every field the words Whoosh's regular-expression tokenizer gives, at
the same positions, whether it tokenizes a text or reads again the words it kept of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from whoosh.analysis import RegexTokenizer

from archive.folding import normalize
from archive.mbox import iter_mbox, open_archive
from search_index.analysis import WORD, NormalizingTokenizer, folded_analyzer
from search_index.stemming import stem_analyzer


def _whooshs(text: str, **kwargs: Any) -> list[tuple[object, ...]]:
    return [
        (t.text, t.pos, getattr(t, "startchar", None))
        for t in RegexTokenizer(WORD)(normalize(text), **kwargs)
    ]


def _ours(text: str, **kwargs: Any) -> list[tuple[object, ...]]:
    return [
        (t.text, t.pos, getattr(t, "startchar", None))
        for t in NormalizingTokenizer()(text, **kwargs)
    ]


def test_words_and_positions_are_whooshs_for_real_mail(corpus: Path) -> None:
    path = corpus / "lists" / "usrp-users-2020-09_2021-12.mbox.xz"
    with open_archive(path) as stream:
        for count, message in enumerate(iter_mbox(stream)):
            text = message.raw.decode("utf-8", "replace")
            assert _ours(text, positions=True) == _whooshs(text, positions=True)
            assert _ours(text, positions=True, start_pos=7) == _whooshs(
                text, positions=True, start_pos=7
            )
            if count == 150:
                break


def test_offsets_asked_for_come_from_whooshs_own_tokenizer() -> None:
    text = "Đăng KÝ email: giáo-viên@so.example"
    assert _ours(text, positions=True, chars=True) == _whooshs(text, positions=True, chars=True)
    assert [t.text for t in NormalizingTokenizer()(text, tokenize=False)] == [normalize(text)]


def test_fields_reading_one_text_share_its_words_and_others_do_not() -> None:
    text = "Các trường đăng ký running tests"
    folded = [(t.text, t.pos) for t in folded_analyzer()(text, positions=True)]
    stems = [(t.text, t.pos) for t in stem_analyzer()(text, positions=True)]
    assert folded == [
        ("cac", 0),
        ("truong", 1),
        ("dang", 2),
        ("ky", 3),
        ("running", 4),
        ("tests", 5),
    ]
    assert stems == [("run", 4), ("test", 5)]
    other = "".join(["khác ", "hẳn"])  # equal texts, other objects: tokenized anew
    assert [t.text for t in folded_analyzer()(other)] == ["khac", "han"]
    assert [t.text for t in folded_analyzer()("".join(["khác ", "hẳn"]))] == ["khac", "han"]
