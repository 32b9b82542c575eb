"""English words find their inflections, exact forms first; Vietnamese is not stemmed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from search_index.documents import MessageRow, document
from search_index.indexer import add_documents, open_index, writing
from search_index.query import parse
from search_index.searcher import SearchRequest, search
from search_index.stemming import english_stem

DAY = datetime(2021, 4, 14, 8, 0, tzinfo=UTC)
ROW = MessageRow(
    pk=0,
    list_name="usrp",
    list_id=1,
    thread_id=1,
    message_hash="",
    subject="",
    sender_name="Marcus",
    sender_email="marcus@example.org",
    date=DAY,
    received_at=DAY,
    body_text="",
)
BODIES = {
    1: "In addition, the FPGA image needs rebuilding.",
    2: "Two additions to the driver: a new sample rate and a fix.",
    3: "The additional block is running now.",
    4: "Run the test again, it runs fine.",
    5: "Cần bán máy chiếu, giá tốt.",
    6: "Ban giám hiệu họp về việc mua bàn.",
}


def _search(tmp_path: Path, text: str) -> list[int]:
    folder = tmp_path / "index"
    if not folder.exists():
        ix = open_index(folder)
        with writing(ix) as writer:
            rows = [replace(ROW, pk=pk, body_text=body) for pk, body in BODIES.items()]
            add_documents(writer, (document(row) for row in rows))
    results = search(folder, SearchRequest(parse(text), per_page=20))
    return [hit.pk for hit in results.hits]


def test_an_english_word_finds_its_inflections_with_the_exact_form_first(
    tmp_path: Path,
) -> None:
    found = _search(tmp_path, "addition")
    assert found[0] == 1
    assert sorted(found) == [1, 2, 3]
    assert sorted(_search(tmp_path, "runs")) == [3, 4]  # running, run and runs


def test_vietnamese_words_are_not_stemmed(tmp_path: Path) -> None:
    assert english_stem("ban") is None
    assert english_stem("thanh") is None
    assert english_stem("bán") is None
    assert sorted(_search(tmp_path, "bán")) == [5, 6]  # diacritics optional, as before
    assert _search(tmp_path, "bán")[0] == 5


def test_phrases_and_exclusions_stay_exact(tmp_path: Path) -> None:
    assert _search(tmp_path, '"the additional"') == [3]
    assert sorted(_search(tmp_path, "the -addition")) == [2, 3, 4]
