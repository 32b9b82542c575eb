"""Stored threads do not depend on arrival order (property test over real corpus threads)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from archive.models import Message
from archive.store import store_batch
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list

_names = itertools.count()
Forest = frozenset[tuple[tuple[str, str | None, int, int], ...]]


def _corpus_files(folder: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()]


def _store_in_order(raws: list[bytes], batch_size: int) -> Forest:
    mlist, _ = ensure_list(db.session, ListSpec(f"order{next(_names)}", "x", ""), "example.org")
    for start in range(0, len(raws), batch_size):
        store_batch(db.session, mlist.id, raws[start : start + batch_size])
    db.session.flush()
    rows = db.session.execute(
        select(
            Message.thread_id,
            Message.message_id,
            Message.parent_message_id,
            Message.thread_depth,
            Message.thread_order,
        ).where(Message.list_id == mlist.id)
    )
    threads: dict[int, list[tuple[str, str | None, int, int]]] = {}
    for tid, mid, parent, depth, order in rows:
        threads.setdefault(tid, []).append((mid, parent, depth, order))
    return frozenset(tuple(sorted(members, key=lambda m: m[3])) for members in threads.values())


@pytest.fixture(scope="module")
def lkml(corpus: Path) -> list[bytes]:
    return _corpus_files(corpus / "threading" / "notmuch" / "lkml")


@pytest.fixture(scope="module")
def notmuch_default(corpus: Path) -> list[bytes]:
    return _corpus_files(corpus / "threading" / "notmuch" / "default")


_PROPERTY = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_PROPERTY
@given(order=st.randoms(use_true_random=False), batch=st.sampled_from([1, 7, 50, 500]))
def test_shuffled_lkml_threads_give_the_same_forest(
    app: Flask, lkml: list[bytes], order: object, batch: int
) -> None:
    expected = _store_in_order(lkml, 500)
    shuffled = list(lkml)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    assert _store_in_order(shuffled, batch) == expected
    db.session.rollback()


@_PROPERTY
@given(order=st.randoms(use_true_random=False), batch=st.sampled_from([1, 3, 60]))
def test_shuffled_notmuch_mail_gives_the_same_24_threads(
    app: Flask, notmuch_default: list[bytes], order: object, batch: int
) -> None:
    shuffled = list(notmuch_default)
    order.shuffle(shuffled)  # type: ignore[attr-defined]
    forest = _store_in_order(shuffled, batch)
    assert len(forest) == 24
    assert forest == _store_in_order(notmuch_default, 500)
    db.session.rollback()
