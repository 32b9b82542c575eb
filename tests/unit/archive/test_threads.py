"""Threading as pure functions, checked against notmuch's expected trees and by shuffling."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from archive.parse import parse_message
from archive.threads import (
    Placement,
    ThreadNode,
    group_threads,
    is_reply_subject,
    layout,
    normalize_subject,
)

T0 = datetime(2026, 11, 1, 8, 0, tzinfo=UTC)


def node(
    mid: str, irt: str | None = None, refs: tuple[str, ...] = (), minute: int = 0
) -> ThreadNode:
    return ThreadNode(mid, irt, refs, T0 + timedelta(minutes=minute))


def nodes_from(folder: Path) -> list[ThreadNode]:
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            p = parse_message(path.read_bytes())
            found.append(ThreadNode(p.message_id, p.in_reply_to, p.references, p.date))
    return found


def tree(placements: list[Placement]) -> dict[str, str | None]:
    """Parent of each message as a reader sees it: a missing parent is marked '(ghost)'."""
    return {
        p.message_id: f"{p.parent_id} (ghost)" if p.parent_is_ghost else p.parent_id
        for p in placements
    }


@pytest.fixture(scope="module")
def expected(mail_corpus: Path) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (mail_corpus / "threading" / "notmuch" / "expected-threads.json").read_text()
    )
    return data


def test_default_corpus_groups_into_notmuchs_24_threads(
    mail_corpus: Path, expected: dict[str, object]
) -> None:
    threads = group_threads(nodes_from(mail_corpus / "threading" / "notmuch" / "default"))
    oracle = expected["default_corpus"]
    assert isinstance(oracle, dict)
    assert len(threads) == oracle["thread_count"] == 24
    want = sorted(sorted(t["message_ids"]) for t in oracle["threads"])
    assert sorted(sorted(n.message_id for n in t) for t in threads) == want


@pytest.mark.parametrize(
    ("folder", "case"),
    [
        ("ghost-root", "threading/ghost-root (real root"),
        ("ghost-root", "threading/ghost-root (RT ticket"),
        ("parent-priority", "threading/parent-priority"),
    ],
)
def test_trees_match_notmuchs_expected_layout(
    mail_corpus: Path, expected: dict[str, object], folder: str, case: str
) -> None:
    cases = expected["tree_cases"]
    assert isinstance(cases, dict)
    want = next(v for k, v in cases.items() if k.startswith(case))
    nodes = nodes_from(mail_corpus / "threading" / "notmuch" / "threading" / folder)
    wanted_ids = {entry["id"] for entry in want}
    thread = next(t for t in group_threads(nodes) if wanted_ids <= {n.message_id for n in t})
    got = tree(layout(thread))
    assert {entry["id"]: entry["parent"] for entry in want} == {mid: got[mid] for mid in wanted_ids}


def test_reply_before_parent_lands_under_it_once_the_parent_is_there() -> None:
    reply = node("b@x", "a@x", ("a@x",), minute=1)
    alone = layout([reply])
    assert alone == [Placement("b@x", "a@x", True, 0, 0)]
    both = layout([reply, node("a@x")])
    assert both == [Placement("a@x", None, False, 0, 0), Placement("b@x", "a@x", False, 1, 1)]


def test_missing_middle_message_keeps_the_reply_in_the_thread_under_the_root() -> None:
    messages = [node("a@x"), node("c@x", "b@x", ("a@x", "b@x"), minute=2)]
    assert len(group_threads(messages)) == 1
    assert tree(layout(messages)) == {"a@x": None, "c@x": "a@x"}


def test_reply_to_a_missing_message_goes_under_that_messages_known_parent() -> None:
    messages = [
        node("a@x"),
        node("c@x", "b@x", ("a@x", "b@x"), minute=2),
        node("d@x", "b@x", minute=3),  # only In-Reply-To, and b@x never arrived
    ]
    assert tree(layout(messages)) == {"a@x": None, "c@x": "a@x", "d@x": "a@x"}


def test_reference_cycle_is_broken_at_its_earliest_message() -> None:
    loop = [node("a@x", "b@x", minute=0), node("b@x", "a@x", minute=1)]
    placements = layout(loop)
    assert tree(placements) == {"a@x": None, "b@x": "a@x"}
    longer = [node("a@x", "c@x"), node("b@x", "a@x", minute=1), node("c@x", "b@x", minute=2)]
    assert [p.depth for p in layout(longer)] == [0, 1, 2]


def test_self_reference_is_not_a_parent() -> None:
    placements = layout([node("a@x", "a@x", ("a@x",))])
    assert placements == [Placement("a@x", None, False, 0, 0)]


def test_duplicate_message_ids_are_laid_out_once() -> None:
    placements = layout([node("a@x"), node("a@x", minute=5), node("b@x", "a@x", minute=1)])
    assert [p.message_id for p in placements] == ["a@x", "b@x"]


def test_message_without_any_reference_is_a_root_of_its_own_thread() -> None:
    threads = group_threads([node("a@x"), node("b@x", minute=1)])
    assert [[n.message_id for n in t] for t in threads] == [["a@x"], ["b@x"]]


def test_siblings_are_ordered_by_date_then_id_and_depth_follows_the_tree() -> None:
    messages = [
        node("root@x"),
        node("late@x", "root@x", minute=9),
        node("early@x", "root@x", minute=1),
        node("deep@x", "early@x", ("root@x", "early@x"), minute=3),
    ]
    placements = layout(messages)
    assert [(p.message_id, p.depth) for p in placements] == [
        ("root@x", 0),
        ("early@x", 1),
        ("deep@x", 2),
        ("late@x", 1),
    ]
    assert [p.order for p in placements] == [0, 1, 2, 3]


def test_a_very_deep_thread_needs_no_recursion() -> None:
    chain = [node("m0@x")] + [node(f"m{i}@x", f"m{i - 1}@x", minute=i) for i in range(1, 5000)]
    placements = layout(chain)
    assert placements[-1].depth == 4999


@st.composite
def threads_of_nodes(draw: st.DrawFn) -> list[ThreadNode]:
    """Random reply graphs: parents, missing messages, broken References, loops, no dates."""
    count = draw(st.integers(min_value=1, max_value=25))
    ids = [f"m{i}@x" for i in range(count + 5)]  # the last five are never present
    made = []
    for i in range(count):
        irt = draw(st.one_of(st.none(), st.sampled_from(ids)))
        refs = tuple(draw(st.lists(st.sampled_from(ids), max_size=4)))
        minute = draw(st.one_of(st.none(), st.integers(min_value=0, max_value=30)))
        date = None if minute is None else T0 + timedelta(minutes=minute)
        made.append(ThreadNode(ids[i], irt, refs, date))
    return made


@settings(max_examples=300)
@given(messages=threads_of_nodes(), data=st.data())
def test_grouping_and_layout_do_not_depend_on_arrival_order(
    messages: list[ThreadNode], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(messages))
    assert group_threads(shuffled) == group_threads(messages)
    for thread in group_threads(messages):
        placements = layout(thread)
        assert layout(data.draw(st.permutations(thread))) == placements
        assert sorted(p.message_id for p in placements) == sorted(n.message_id for n in thread)
        parents = {p.message_id: p for p in placements}
        for p in placements:
            if p.parent_id is not None and not p.parent_is_ghost:
                assert parents[p.parent_id].order < p.order
                assert p.depth == parents[p.parent_id].depth + 1


@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_shuffled_lkml_threads_lay_out_identically(mail_corpus: Path, data: st.DataObject) -> None:
    messages = _lkml_nodes(mail_corpus)
    shuffled = data.draw(st.permutations(messages))
    expected_forest = [layout(t) for t in group_threads(messages)]
    assert [layout(t) for t in group_threads(shuffled)] == expected_forest
    assert len(expected_forest) == 7


_LKML: list[ThreadNode] = []


def _lkml_nodes(corpus: Path) -> list[ThreadNode]:
    if not _LKML:
        _LKML.extend(nodes_from(corpus / "threading" / "notmuch" / "lkml"))
    return _LKML


@pytest.mark.parametrize(
    ("subject", "key"),
    [
        ("Re: [notmuch] archive", "archive"),
        ("[USRP-users] Re: USRP E320", "usrp e320"),
        ("RE: Fwd: AW:  Báo cáo  tháng 11", "báo cáo tháng 11"),
        ("Trả lời: Lịch họp", "lịch họp"),
        ("Re[2]: Kế hoạch", "kế hoạch"),
        ("Regarding the plan", "regarding the plan"),
    ],
)
def test_subjects_are_normalised_for_matching(subject: str, key: str) -> None:
    assert normalize_subject(subject) == key


def test_reply_subjects_are_recognised() -> None:
    assert is_reply_subject("Re: x")
    assert is_reply_subject("[thpt] RE: x")
    assert is_reply_subject("Trả lời: x")
    assert not is_reply_subject("Fwd: x")
    assert not is_reply_subject("Report")
