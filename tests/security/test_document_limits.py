"""Finding 5 of issue 13: a DOCX of 2,000,000 paragraphs (1.35 GB, past 60 s before) or a
billion laughs (a 500 before) gets a clear answer; document parsing runs within limits."""

from __future__ import annotations

import time

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import func, select

from archive.budget import Limits, OverBudget, run_limited
from archive.document_limits import DocumentLimits, NotAPackage, check_package
from archive.models import MailingList
from forum.drafting.docx_input import DocxTooLarge, NotADocx, docx_to_text
from forum.drafting.models import DraftDocument
from forum.extensions import db
from tests.security.hostile_files import billion_laughs, docx_with_body, paragraphs, with_entity
from tests.web import csrf_token, sign_in_as_admin

LIMITS = DocumentLimits()


def test_two_million_paragraphs_are_refused_before_they_are_built() -> None:
    data = paragraphs(2_000_000)
    assert len(data) < 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(DocxTooLarge, match="once unpacked"):
        docx_to_text(data)
    assert time.perf_counter() - start < 1.0


def test_a_million_empty_paragraphs_are_counted_and_refused() -> None:
    data = docx_with_body(b"<w:p/>" * 1_000_000)  # 7 MB unpacked: under the size limit
    with pytest.raises(OverBudget, match="too many XML elements"):
        check_package(data, LIMITS)


@pytest.mark.parametrize("data", [billion_laughs(), with_entity()], ids=["laughs", "entity"])
def test_xml_with_a_dtd_is_not_a_docx(data: bytes) -> None:
    with pytest.raises(NotAPackage):
        check_package(data, LIMITS)
    with pytest.raises(NotADocx):
        docx_to_text(data)


def test_too_many_parts_are_refused() -> None:
    with pytest.raises(OverBudget, match="more than 3 parts"):
        check_package(paragraphs(1), DocumentLimits(max_entries=3))


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04broken", b"%PDF-1.4"], ids=repr)
def test_what_is_not_a_zip_is_not_a_docx(data: bytes) -> None:
    with pytest.raises(NotADocx):
        docx_to_text(data)


def test_a_large_document_is_read_the_same_in_a_child_process() -> None:
    data = paragraphs(50, "Điều 1. Phạm vi".encode())
    confined = DocumentLimits(in_process_elements=0)
    assert docx_to_text(data, confined) == docx_to_text(data)
    assert docx_to_text(data).count("Điều 1. Phạm vi") == 50


def test_a_document_too_slow_to_read_is_stopped_at_its_time_limit() -> None:
    slow = DocumentLimits(in_process_elements=0, confined=Limits(seconds=1.0))
    start = time.perf_counter()
    with pytest.raises(DocxTooLarge, match="took longer than 1 s"):
        docx_to_text(paragraphs(60_000), slow)  # 180,000 elements: 2-3 s to read here
    assert time.perf_counter() - start < 4.0


def test_a_step_that_wants_too_much_memory_is_stopped() -> None:
    with pytest.raises(OverBudget, match="needs more than 512 MiB"):
        run_limited("tests.security.greedy_steps:allocate", b"2048", Limits(memory_bytes=512 << 20))
    assert run_limited("tests.security.greedy_steps:allocate", b"16", Limits()) == b"16"


def test_a_step_past_its_time_is_stopped() -> None:
    start = time.perf_counter()
    with pytest.raises(OverBudget, match="took longer than 0.5 s"):
        run_limited("tests.security.greedy_steps:sleep", b"30", Limits(seconds=0.5))
    assert time.perf_counter() - start < 2.0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (paragraphs(2_000_000), "This document is too large to read"),
        (billion_laughs(), "This file is not a Word document"),
    ],
    ids=["two-million-paragraphs", "billion-laughs"],
)
def test_the_draft_form_says_what_is_wrong_with_the_upload(
    app: Flask,
    client: FlaskClient,
    runner: FlaskCliRunner,
    thpt: MailingList,
    data: bytes,
    message: str,
) -> None:
    import io

    sign_in_as_admin(client, runner)
    form = {
        "csrf_token": csrf_token(client, "/drafts/new"),
        "title": "Dự thảo",
        "deadline": "2099-12-31",
        "lists": [str(thpt.id)],
        "file": (io.BytesIO(data), "du-thao.docx"),
    }
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    start = time.perf_counter()
    response = client.post("/drafts/new?lang=en", data=form, content_type="multipart/form-data")
    assert time.perf_counter() - start < 5.0
    assert response.status_code == 400  # was a 500, or 60 s and 1.35 GB
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(DraftDocument)) == 0
