"""Searching on a reader's behalf: only the lists they may read, with safe snippets.

Anonymous readers search public lists; members also their private lists; the site admin all.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import MailingList, Message
from forum import clock
from forum.reading.obfuscate import obfuscate_address, obfuscate_text
from forum.search.attachment_hits import InAttachment, attachment_texts, in_attachment
from forum.search.indexing import search_backend
from forum.settings import Settings
from search_index.documents import own_words
from search_index.query import ParsedQuery, parse
from search_index.searcher import Hit, Results, SearchRequest
from search_index.snippets import Fragments, highlight, snippet

MAX_QUERY = 4096  # characters of a query read; the rest of a pasted page is ignored


@dataclass(frozen=True, slots=True)
class Found:
    """One result as a page shows it: subject and snippet as (text, is_match) fragments."""

    hit: Hit
    subject: Fragments
    snippet: Fragments
    sender: str  # the name, or the address obfuscated
    attachment: InAttachment | None = None  # found in this attachment, not the message


@dataclass(frozen=True, slots=True)
class SearchPage:
    text: str
    query: ParsedQuery
    results: Results
    found: tuple[Found, ...]
    by_date: bool  # newest first (asked for, or the query has no words to rank by)
    list_titles: dict[str, str]  # list name -> display name, for results and facets

    # What templates/pagination.html expects of a page of items.
    @property
    def page(self) -> int:
        return self.results.page

    @property
    def pages(self) -> int:
        return self.results.pages

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


@dataclass(frozen=True, slots=True)
class Asked:
    """A search as the reader asked it, among the lists they may read (None: all)."""

    text: str
    list_ids: frozenset[int] | None
    page: int = 1
    per_page: int = 20
    by_date: bool = False
    facets: bool = True


def run_search(session: Session, settings: Settings, asked: Asked) -> SearchPage:
    """One page of results, with subject and snippet highlighted and addresses hidden."""
    text = asked.text[:MAX_QUERY]
    query = parse(text, clock.zone(settings.timezone))
    page = max(1, asked.page)
    request = SearchRequest(
        query, asked.list_ids, page, asked.per_page, asked.by_date, asked.facets
    )
    results = search_backend(settings).search(session, request)
    bodies = _bodies(session, [hit.pk for hit in results.hits])
    wanted = query.highlight_words
    texts = attachment_texts(session, results.hits)
    found = tuple(
        _found(hit, bodies[hit.pk], wanted, texts)
        for hit in results.hits
        if hit.pk in bodies  # a message deleted since it was indexed is not shown
    )
    names = {hit.list_name for hit in results.hits} | {f.value for f in results.lists}
    titles = _list_titles(session, names)
    return SearchPage(text, query, results, found, asked.by_date or not query.ranks, titles)


def _found(
    hit: Hit, body: tuple[str, str], wanted: frozenset[str], texts: dict[int, tuple[str, str]]
) -> Found:
    where = in_attachment(hit, texts, wanted)
    return Found(
        hit=hit,
        subject=highlight(hit.subject, wanted),
        snippet=where[1] if where else snippet(_own_words(hit, body), wanted, clean=obfuscate_text),
        sender=obfuscate_text(hit.sender_name) or obfuscate_address(hit.sender_email),
        attachment=where[0] if where else None,
    )


def _own_words(hit: Hit, body: tuple[str, str]) -> str:
    """The message's own words as the index stored them, or split from its body again (an
    index backend that does not store them)."""
    return own_words(*body) if hit.own_text is None else hit.own_text


def _list_titles(session: Session, names: set[str]) -> dict[str, str]:
    if not names:
        return {}
    query = select(MailingList.name, MailingList.display_name).where(MailingList.name.in_(names))
    return {name: title or name for name, title in session.execute(query)}


def _bodies(session: Session, pks: list[int]) -> dict[int, tuple[str, str]]:
    """(Message-ID, body text) of each message: a web post's snippet is its rendered text."""
    if not pks:
        return {}
    query = select(Message.id, Message.message_id, Message.body_text).where(Message.id.in_(pks))
    return {pk: (message_id, body) for pk, message_id, body in session.execute(query)}
