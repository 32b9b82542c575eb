"""Which provision an emailed comment is about: the one it names (`khoản 2 Điều 5`, `k2 Đ5`),
else the one it answers in the quote above it, else none (a general comment)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from forum.drafting.replies import Unit, split_reply, units
from forum.drafting.structure import POINT_LETTERS, Draft, Node, aligned_fold, clean_line

How = Literal["named", "quoted", "general"]
_RANK = {"appendix": 0, "chapter": 1, "article": 2, "clause": 3, "point": 4}

# Matched against folded text (lowercase, no diacritics, đ -> d), aligned with the original.
_COMPONENT = re.compile(
    r"(?<![a-z])(?:"
    r"(?P<point>diem\s+)(?P<p>[a-z])(?![a-z0-9])"
    r"|(?P<clause>khoan\s*|k\.?(?=\d))(?P<c>\d{1,3})(?![0-9])"
    r"|(?P<article>dieu\s*|d\.?(?=\d))(?P<a>\d{1,3}(?:[a-z](?![a-z0-9]))?)(?![0-9])"
    r"(?:\.(?P<ac>\d{1,2})(?![0-9])(?:\.(?P<ap>[a-z])(?![a-z0-9]))?)?"
    r"|(?P<chapter>chuong\s+)(?P<ch>[ivxlc]+|\d{1,2})(?![a-z0-9])"
    r"|(?P<appendix>phu\s*luc)(?:\s+(?:so\s+)?(?P<px>[ivxlc]+|\d{1,2})(?![a-z0-9]))?"
    r")"
)
_GAP = re.compile(r"(?:[\s,;()\-–/]|\b(?:va|hoac|cua|tai|thuoc|o|den|\d{1,3}|[a-z])\b)*")
_EXTERNAL = re.compile(
    r"[\s,]*(?:cua\s+)?(?:bo luat|luat|nghi dinh|nghi quyet|thong tu|quyet dinh|hien phap"
    r"|phap lenh|chi thi|cong van|van ban)\s+(?!nay\b|du thao\b)[a-z0-9]"
)  # `Điều 5 Luật Giáo dục` is another text's article; `Điều 5 Thông tư này` is ours
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_HEADING = {"article": "dieu", "chapter": "chuong", "appendix": "phu luc"}  # as quotes have them


@dataclass(frozen=True, slots=True)
class Comment:
    anchor: str | None  # the provision's anchor; None for a general comment
    text: str
    how: How


@dataclass(slots=True)
class Reference:
    """One provision as a comment names it; empty parts were not named."""

    parts: dict[str, str] = field(default_factory=dict)  # kind -> number: {"article": "5"}
    shorthand: bool = False  # `k2`: only trusted next to an article
    end: int = 0


def references(text: str) -> list[Reference]:
    """The provisions `text` names, in order, leaving out other texts' (`Điều 5 Luật ...`)."""
    folded = aligned_fold(text).lower()
    found: list[Reference] = []
    for match in _COMPONENT.finditer(folded):
        parts, shorthand = _parts(match, text)
        if not parts:
            continue
        last = found[-1] if found else None
        if last is None or not _joins(last, parts, folded[last.end : match.start()]):
            found.append(Reference({}, False, 0))
        found[-1].parts.update(parts)
        found[-1].shorthand |= shorthand
        found[-1].end = match.end()
    kept = [r for r in found if not _EXTERNAL.match(folded, r.end)]
    return [r for r in kept if not r.shorthand or "article" in r.parts]


def _parts(match: re.Match[str], text: str) -> tuple[dict[str, str], bool]:
    """What one matched word names (`Điều 5.2` names two parts), and if it was abbreviated."""
    if match.group("point"):
        letter = text[match.start("p")]  # the original, where `đ` is not `d`
        return ({"point": letter} if letter in POINT_LETTERS else {}), False
    if match.group("clause"):
        return {"clause": match.group("c")}, not match.group("clause").startswith("khoan")
    if match.group("article"):
        if not match.group("article").startswith("dieu") and text[match.start()] not in "Đđ":
            return {}, False  # `D1` is an exam block; only `Đ5` abbreviates Điều 5
        point = text[match.start("ap")] if match.group("ap") else ""
        parts = {"article": match.group("a"), "clause": match.group("ac") or "", "point": point}
        return {kind: number for kind, number in parts.items() if number}, False
    if match.group("chapter"):
        return {"chapter": _key("chapter", match.group("ch"))}, False
    return {"appendix": _key("appendix", match.group("px") or "")}, False


def _joins(last: Reference, parts: dict[str, str], gap: str) -> bool:
    """`điểm a, khoản 2 của Điều 5` and `Điều 5 khoản 2` are one reference each."""
    words = re.findall(r"[a-z0-9]+", gap)
    if len(gap) > 30 or not _GAP.fullmatch(gap) or words[-1:] in (["va"], ["hoac"], ["den"]):
        return False  # `Điều 5 và khoản 3 Điều 6`: two references
    if any(kind in last.parts for kind in parts):
        return False
    ranks = sorted(_RANK[kind] for kind in last.parts)
    new = sorted(_RANK[kind] for kind in parts)
    return new[0] > ranks[-1] or new[-1] < ranks[0]  # keeps going one way, up or down


def _key(kind: str, number: str) -> str:
    """`II`, `ii` and `2` are the same chapter; articles keep their letter (`5a`)."""
    numeral = aligned_fold(number).lower().strip()
    if kind == "article" or not numeral or any(c not in _ROMAN for c in numeral):
        return str(int(numeral)) if numeral.isdigit() else numeral
    values = [_ROMAN[c] for c in numeral]
    pairs = zip(values, [*values[1:], 0], strict=True)
    return str(sum(-value if value < after else value for value, after in pairs))


class DraftIndex:
    """The draft's nodes by number and by text, and each node's parent."""

    def __init__(self, draft: Draft) -> None:
        self.parent: dict[str, Node | None] = {}
        self.searchable: list[tuple[Node, str]] = []
        self.words: list[tuple[Node, set[str]]] = []
        self.by_number: dict[tuple[str, str], Node] = {}  # the later wins: see extract_comments
        pending: list[tuple[Node, Node | None]] = [(n, None) for n in reversed(draft.nodes)]
        while pending:
            node, parent = pending.pop()
            self.parent[node.anchor] = parent
            words = f"{_HEADING.get(node.kind, '')} {node.number} {node.title} {node.text}"
            self.searchable.append((node, f" {' '.join(_tokens(words))} "))
            self.words.append((node, set(_tokens(words))))
            if node.kind in ("article", "chapter", "appendix"):
                self.by_number[node.kind, _key(node.kind, node.number)] = node
            pending.extend((child, node) for child in reversed(node.children))

    def resolve(self, reference: Reference, context: Node | None) -> Node | None:
        """The node a reference names; `khoản 2` alone is read inside the context's article."""
        parts = reference.parts
        for kind in ("chapter", "appendix"):
            if kind in parts and "article" not in parts:
                found = self.by_number.get((kind, parts[kind]))
                only = [node for (k, _), node in self.by_number.items() if k == kind]
                return only[0] if found is None and not parts[kind] and len(only) == 1 else found
        if "article" in parts:
            node = self.by_number.get(("article", _key("article", parts["article"])))
        elif "clause" in parts:
            node = self._enclosing(context, ("article",))
        else:
            node = self._enclosing(context, ("clause", "article"))
        for kind in ("clause", "point"):
            if node is None or kind not in parts:
                continue
            child = _child(node, kind, parts[kind])
            if child is None:
                return node if "article" in parts else None  # a miscounted clause: the article
            node = child
        return node

    def _enclosing(self, node: Node | None, kinds: tuple[str, ...]) -> Node | None:
        while node is not None and node.kind not in kinds:
            node = self.parent.get(node.anchor)
        return node

    def quoted(self, quote: str) -> Node | None:
        """The provision a quoted passage comes from: its lines' nodes, less the headings kept
        for context, and their nearest common ancestor (None for several articles' worth)."""
        lines = [line for line in quote.split("\n") if line.strip()]
        if len(lines) > 300:
            return None  # a whole message quoted under a bottom-posted reply, not a passage
        matched: list[Node] = []
        for raw in lines:
            key = f" {' '.join(_tokens(clean_line(raw)))} "
            if len(key.split()) >= 3:
                hits = [node for node, text in self.searchable if key in text]
                matched += hits if len(hits) == 1 else []
        if not matched:
            matched = [n for n in (self._closest(line) for line in lines) if n]
        if not matched:
            paragraph = quote.strip().split("\n\n")[-1]
            named = (self.resolve(r, None) for r in references(paragraph))
            return next((node for node in named if node is not None), None)
        chains = [self.chain(node) for node in matched]
        leaves = [c for c in chains if not any(c[-1] is a for o in chains for a in o[:-1])]
        common = leaves[0]
        for chain in leaves[1:]:
            common = [a for a, b in zip(common, chain, strict=False) if a is b]
        return common[-1] if common else None

    def chain(self, node: Node) -> list[Node]:
        """The node and its ancestors, outermost first."""
        chain: list[Node] = []
        current: Node | None = node
        while current is not None:
            chain.insert(0, current)
            current = self.parent.get(current.anchor)
        return chain

    def _closest(self, line: str) -> Node | None:
        """Best token overlap, for a quote that was edited or reflowed on the way."""
        tokens = set(_tokens(clean_line(line)))
        if len(tokens) < 5:
            return None
        overlap = [len(tokens & words) / len(tokens) for _, words in self.words]
        order = range(len(overlap))  # ties go to the smaller, more specific node
        best = max(order, key=lambda i: (overlap[i], -len(self.words[i][1])), default=-1)
        return self.words[best][0] if best >= 0 and overlap[best] >= 0.8 else None


def _tokens(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", aligned_fold(text).lower())


def _child(node: Node, kind: str, number: str) -> Node | None:
    """`điểm c` of an article is the one point c among its clauses, when there is one."""
    found = [c for c in node.children if c.kind == kind and c.number == number]
    if not found and kind == "point" and node.kind == "article":
        found = [p for c in node.children for p in c.children if p.number == number]
    return found[0] if len(found) == 1 else None


def extract_comments(text: str, draft: Draft) -> list[Comment]:
    """The comments in a reply's text, each tied to the provision it names or answers.

    A draft whose article numbers restart (a Thông tư and the Quy định it issues) is read as
    its later part: `Điều 5` names the later article 5, the Quy định's."""
    index = DraftIndex(draft)
    comments: list[Comment] = []
    quoted: Node | None = None
    for segment in split_reply(text).segments:
        if segment.kind == "quote":
            quoted = index.quoted(segment.text)
        elif segment.kind == "new":
            comments += _comments(units(segment.text), index, quoted)
    return comments


def _named(text: str, index: DraftIndex, context: Node | None) -> Node | None:
    """The first provision named, narrowed by what follows without an article of its own:
    `Điều 5: đề nghị bỏ điểm c` is about point c of Điều 5."""
    named: Node | None = None
    for reference in references(text):
        if named is not None and "article" in reference.parts:
            break
        found = index.resolve(reference, named or context)
        if found is not None and (named is None or any(n is named for n in index.chain(found))):
            named = found
    return named


def _comments(items: list[Unit], index: DraftIndex, quoted: Node | None) -> list[Comment]:
    """`Góp ý Điều 5:` names the provision for the items under it (and a lone paragraph under
    it keeps it: `Khoản 2 sửa như sau:`); unnamed paragraphs in a row form one comment."""
    out: list[Comment] = []
    context, fresh = quoted, False
    lead: tuple[Node, Unit] | None = None
    for position, unit in enumerate(items):
        named = _named(unit.text, index, context)
        if unit.text.endswith(":") and len(unit.text.split()) <= 15 and position + 1 < len(items):
            lead, fresh = (named, unit) if named else None, True
            context = named or context
            continue  # `Ý kiến như sau:` says nothing by itself
        if named is not None:
            out.append(Comment(named.anchor, unit.text, "named"))
            context = named
        elif lead is not None and (fresh or unit.item or unit.paragraph == lead[1].paragraph):
            text = unit.text if unit.item or not fresh else f"{lead[1].text}\n{unit.text}"
            out.append(Comment(lead[0].anchor, text, "named"))
        else:
            lead = None
            comment = Comment(None, unit.text, "general")
            if quoted is not None:
                comment = Comment(quoted.anchor, unit.text, "quoted")
            if out and (out[-1].how, out[-1].anchor) == (comment.how, comment.anchor):
                comment = Comment(comment.anchor, f"{out.pop().text}\n\n{unit.text}", comment.how)
            out.append(comment)
        fresh = False
    return out
