"""Attachments' documents on every backend: found beside their message by plain words,
alone with `in:attachments`, left out with `-in:attachments`, by `filename:`, and each hit
says which file it came from (and names its message, not a document of its own)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from search_index.attachment_documents import AttachmentRow, attachment_document
from search_index.documents import MessageRow, document
from search_index.query import parse
from search_index.searcher import Results, SearchRequest
from tests.unit.search_index.conftest import MakeIndex, SearchIndex

DAY = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
MESSAGE = MessageRow(
    pk=7,
    list_name="thpt",
    list_id=1,
    thread_id=7,
    message_hash="H7",
    subject="Công văn 1234 về tuyển sinh",
    sender_name="Sở Giáo dục",
    sender_email="so@example.edu.vn",
    date=DAY,
    received_at=DAY,
    body_text="Kính gửi các trường: Sở gửi kèm hướng dẫn tuyển sinh.",
)
LETTER = AttachmentRow(
    attachment_id=31,
    position=2,
    filename="CV 1234.pdf",
    status="text",
    unit="page",
    text="Hướng dẫn tuyển sinh\fHồ sơ xét tuyển lớp 10 nộp trước ngày 20",
    message_pk=7,
    list_name="thpt",
    list_id=1,
    thread_id=7,
    message_hash="H7",
    subject=MESSAGE.subject,
    sender_name=MESSAGE.sender_name,
    sender_email=MESSAGE.sender_email,
    date=DAY,
)
PLAN = replace(
    LETTER,
    attachment_id=32,
    position=3,
    filename="Kế hoạch bồi dưỡng.docx",
    unit="",
    text="Kế hoạch bồi dưỡng giáo viên cốt cán",
)


@pytest.fixture(scope="module")
def index(make_index: MakeIndex) -> SearchIndex:
    made = make_index()
    made.put([document(MESSAGE), attachment_document(LETTER), attachment_document(PLAN)])
    return made


def _search(index: SearchIndex, text: str) -> Results:
    return index.search(SearchRequest(parse(text)))


def _found(results: Results) -> list[str]:
    return sorted(hit.attachment["name"] if hit.attachment else "message" for hit in results.hits)


def test_plain_words_find_the_message_and_the_file_that_hold_them(index: SearchIndex) -> None:
    assert _found(_search(index, "tuyển sinh")) == ["CV 1234.pdf", "message"]
    assert _found(_search(index, "hồ sơ xét tuyển")) == ["CV 1234.pdf"]
    assert _found(_search(index, "bồi dưỡng")) == ["Kế hoạch bồi dưỡng.docx"]


def test_in_attachments_keeps_to_files_and_its_negation_to_messages(index: SearchIndex) -> None:
    assert _found(_search(index, "tuyển sinh in:attachments")) == ["CV 1234.pdf"]
    assert _found(_search(index, "tuyển sinh -in:attachments")) == ["message"]
    assert _found(_search(index, "in:attachments")) == ["CV 1234.pdf", "Kế hoạch bồi dưỡng.docx"]
    assert _found(_search(index, "-in:attachments")) == ["message"]


def test_a_file_is_found_by_its_name(index: SearchIndex) -> None:
    assert _found(_search(index, 'filename:"CV 1234"')) == ["CV 1234.pdf"]
    assert _found(_search(index, "filename:ke filename:hoach")) == ["Kế hoạch bồi dưỡng.docx"]


def test_an_attachment_hit_names_its_message_and_where_the_file_is(index: SearchIndex) -> None:
    (hit,) = _search(index, "xét tuyển lớp 10").hits
    assert (hit.pk, hit.thread_id, hit.message_hash, hit.list_name) == (7, 7, "H7", "thpt")
    assert hit.subject == MESSAGE.subject
    assert hit.attachment is not None
    assert (hit.attachment["id"], hit.attachment["position"]) == (31, 2)
    assert (hit.attachment["unit"], hit.attachment["status"]) == ("page", "text")


def test_readable_lists_filter_attachments_like_their_message(index: SearchIndex) -> None:
    hidden = index.search(SearchRequest(parse("bồi dưỡng"), list_ids=frozenset({2})))
    assert hidden.total == 0
    shown = index.search(SearchRequest(parse("bồi dưỡng"), list_ids=frozenset({1})))
    assert shown.total == 1
