"""What a result found in an attachment shows: the file, the page (or sheet) where the words
are, and a snippet of that page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.extract.confined import PAGE_BREAK
from archive.models import AttachmentText
from forum.reading.obfuscate import obfuscate_text
from search_index.searcher import Hit
from search_index.snippets import Fragments, match_count, snippet


@dataclass(frozen=True, slots=True)
class InAttachment:
    """Where in an attachment a result's words are."""

    name: str
    position: int
    unit: str  # "page", "sheet" or "" (a document without pages)
    page: int  # 1-based; 0 when the file has no pages
    ocr: bool


def attachment_texts(session: Session, hits: Sequence[Hit]) -> dict[int, tuple[str, str]]:
    """(text, status) of each hit's attachment, by attachment id."""
    ids = [hit.attachment["id"] for hit in hits if hit.attachment is not None]
    if not ids:
        return {}
    query = select(AttachmentText.attachment_id, AttachmentText.text, AttachmentText.status)
    rows = session.execute(query.where(AttachmentText.attachment_id.in_(ids)))
    return {pk: (text, status) for pk, text, status in rows}


def in_attachment(
    hit: Hit, texts: dict[int, tuple[str, str]], wanted: frozenset[str]
) -> tuple[InAttachment, Fragments] | None:
    """Where the words are in the hit's attachment, and a snippet of that page."""
    if hit.attachment is None:
        return None
    found = hit.attachment
    text, status = texts.get(found["id"], ("", ""))
    pages = text.split(PAGE_BREAK)
    best = max(range(len(pages)), key=lambda n: (match_count(pages[n], wanted), -n))
    unit = found.get("unit", "")
    where = InAttachment(
        name=found["name"],
        position=found["position"],
        unit=unit,
        page=best + 1 if unit else 0,
        ocr=status == "ocr",
    )
    return where, snippet(pages[best], wanted, clean=obfuscate_text)
