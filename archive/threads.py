"""Threading as pure functions: which messages belong together, and how a thread is laid out.

Grouping is the connected components of the Message-ID / In-Reply-To / References graph, so it
does not depend on the order messages arrive in. The layout of one thread is computed from the
set of its messages alone and is therefore just as order-independent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class ThreadNode:
    message_id: str
    in_reply_to: str | None
    references: tuple[str, ...]
    date: datetime | None


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a message sits in its thread's tree (pre-order position and indentation)."""

    message_id: str
    parent_id: str | None
    parent_is_ghost: bool
    order: int
    depth: int


def linked_ids(node: ThreadNode) -> frozenset[str]:
    """The message's own id and every id it points at."""
    ids = {node.message_id, *node.references}
    if node.in_reply_to:
        ids.add(node.in_reply_to)
    return frozenset(i for i in ids if i)


def group_threads(nodes: Iterable[ThreadNode]) -> list[list[ThreadNode]]:
    """Connected components of the reference graph, each sorted, in a stable order."""
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        root = parent.setdefault(key, key)
        while root != parent[root]:
            root = parent[root]
        while key != root:
            parent[key], key = root, parent[key]
        return root

    unique = {n.message_id: n for n in nodes}
    for node in unique.values():
        for other in linked_ids(node):
            a, b = find(node.message_id), find(other)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[str, list[ThreadNode]] = {}
    for node in unique.values():
        groups.setdefault(find(node.message_id), []).append(node)
    threads = [sorted(g, key=_sort_key) for g in groups.values()]
    return sorted(threads, key=lambda g: _sort_key(g[0]))


def _sort_key(node: ThreadNode) -> tuple[float, str]:
    return (node.date.timestamp() if node.date else float("-inf"), node.message_id)


def _chosen_parent(node: ThreadNode, present: set[str]) -> tuple[str | None, bool]:
    """In-Reply-To if we have it, else the nearest References entry we have, else a ghost."""
    own = node.message_id
    irt = node.in_reply_to if node.in_reply_to != own else None
    if irt and irt in present:
        return irt, False
    for ref in reversed(node.references):
        if ref != own and ref in present:
            return ref, False
    ghost = irt or next((r for r in reversed(node.references) if r != own), None)
    return ghost, ghost is not None


def _chain_parents(nodes: Iterable[ThreadNode]) -> dict[str, str]:
    """jwz: each References chain says who replied to whom, even for messages we lack.

    `nodes` must come sorted, so the first chain to speak of a message decides its parent.
    A chain whose last entry is not the In-Reply-To (a typo, a reversed order) is not trusted.
    """
    parents: dict[str, str] = {}
    for node in nodes:
        chain = [*node.references, node.message_id]
        if node.in_reply_to and node.references and node.references[-1] != node.in_reply_to:
            continue
        for parent, child in zip(chain, chain[1:], strict=False):
            if parent != child:
                parents.setdefault(child, parent)
    return parents


def _present_ancestor(ghost: str, chain: dict[str, str], present: set[str]) -> str | None:
    """The nearest message we have above a missing one, going up the References chains."""
    seen = {ghost}
    current = chain.get(ghost)
    while current is not None and current not in seen:
        if current in present:
            return current
        seen.add(current)
        current = chain.get(current)
    return None


def _parent_of(
    node: ThreadNode, present: set[str], chain: dict[str, str]
) -> tuple[str | None, bool]:
    """The message's own headers first; the other messages' References fill the gaps."""
    parent, is_ghost = _chosen_parent(node, present)
    if parent is None:
        inferred = chain.get(node.message_id)
        if inferred is None or inferred == node.message_id:
            return None, False
        parent, is_ghost = inferred, inferred not in present
    if is_ghost:
        above = _present_ancestor(parent, chain, present)
        if above is not None and above != node.message_id:
            return above, False
    return parent, is_ghost


def _break_cycles(parents: dict[str, str | None], keys: dict[str, tuple[float, str]]) -> None:
    """Each reply loop loses the link of its earliest message, which becomes a root."""
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = settled
    for start in sorted(parents, key=keys.__getitem__):
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parents and state.get(node) is None:
            state[node] = 1
            walk.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            loop = walk[walk.index(node) :]
            parents[min(loop, key=keys.__getitem__)] = None
        for visited in walk:
            state[visited] = 2


def layout(nodes: Sequence[ThreadNode]) -> list[Placement]:
    """Pre-order placements of one thread; messages under a missing parent start at depth 0."""
    unique = {n.message_id: n for n in sorted(nodes, key=_sort_key)}
    keys = {mid: _sort_key(n) for mid, n in unique.items()}
    present = set(unique)
    chain = _chain_parents(unique.values())
    parents: dict[str, str | None] = {}
    ghost_of: dict[str, str] = {}
    for mid, node in unique.items():
        parent, is_ghost = _parent_of(node, present, chain)
        if is_ghost and parent is not None:
            ghost_of[mid] = parent
            parents[mid] = None
        else:
            parents[mid] = parent
    _break_cycles(parents, keys)
    children: dict[str | None, list[str]] = {}
    for mid, parent in parents.items():
        children.setdefault(parent, []).append(mid)
    placements: list[Placement] = []
    stack = [(mid, 0) for mid in sorted(children.get(None, []), key=keys.__getitem__, reverse=True)]
    while stack:
        mid, depth = stack.pop()
        parent = parents[mid]
        placements.append(
            Placement(mid, parent or ghost_of.get(mid), mid in ghost_of, len(placements), depth)
        )
        kids = sorted(children.get(mid, []), key=keys.__getitem__, reverse=True)
        stack.extend((kid, depth + 1) for kid in kids)
    return placements


_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|sv|vs|tr|antw|trả\s*lời|chuyển\s*tiếp)\s*(?:\[\d+\])?\s*[:：]\s*"
    r"|\[[^\]]{1,40}\]\s*)",
    re.IGNORECASE,
)
_REPLY_ONLY = re.compile(
    r"^\s*(?:\[[^\]]{1,40}\]\s*)*(?:re|aw|sv|vs|trả\s*lời)\s*(?:\[\d+\])?\s*[:：]",
    re.IGNORECASE,
)


def normalize_subject(subject: str) -> str:
    """Subject without reply/forward markers and list tags, for grouping by subject."""
    previous = None
    text = subject
    while previous != text:
        previous = text
        text = _REPLY_PREFIX.sub("", text, count=1)
    return " ".join(text.split()).casefold()


def is_reply_subject(subject: str) -> bool:
    return bool(_REPLY_ONLY.match(subject))
