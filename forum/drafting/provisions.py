"""Which provision an emailed comment is about: the one it names (`khoản 2 Điều 5`, `k2 Đ5`),
else the one it answers in the quote above it, else none (a general comment)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from forum.drafting.citations import Reference, key, references
from forum.drafting.replies import Unit, split_reply, units
from forum.drafting.structure import Draft, Node, aligned_fold, clean_line, walk

How = Literal["named", "quoted", "general"]
# How quotes write each level's heading, to find the provision a quoted heading opens.
_HEADING = {"article": "dieu", "chapter": "chuong", "appendix": "phu luc", "part": "phan"}
_HEADING["section"] = "muc"
# Types of text a draft issues along with itself: `ban hành kèm theo Thông tư này Quy chế ...`
_ISSUES = re.compile(
    r"ban hanh(?: kem theo [a-z ]{0,30}? nay)? (quy che|quy dinh|dieu le|huong dan)"
)


@dataclass(frozen=True, slots=True)
class Comment:
    anchor: str | None  # the provision's anchor; None for a general comment
    text: str
    how: How


class DraftIndex:
    """The draft's nodes by number and by text, and each node's parent."""

    def __init__(self, draft: Draft) -> None:
        self.parent: dict[str, Node | None] = {}
        self.searchable: list[tuple[Node, str]] = []
        self.words: list[tuple[Node, set[str]]] = []
        self.by_number: dict[tuple[str, str], Node] = {}  # the later wins: see extract_comments
        self.sections: list[Node] = []  # numbered within their chapter: not unique by number
        pending: list[tuple[Node, Node | None]] = [(n, None) for n in reversed(draft.nodes)]
        while pending:
            node, parent = pending.pop()
            self.parent[node.anchor] = parent
            words = f"{_HEADING.get(node.kind, '')} {node.number} {node.title} {node.text}"
            self.searchable.append((node, f" {' '.join(_tokens(words))} "))
            self.words.append((node, set(_tokens(words))))
            if node.kind in ("article", "chapter", "appendix", "part"):
                self.by_number[node.kind, key(node.kind, node.number)] = node
            elif node.kind == "section":
                self.sections.append(node)
            pending.extend((child, node) for child in reversed(node.children))
        self.types = _own_types(draft)

    def references(self, text: str) -> list[Reference]:
        """The provisions `text` names, read with this draft's own types of text."""
        return references(text, self.types)

    def resolve(self, reference: Reference, context: Node | None) -> Node | None:
        """The node a reference names; `khoản 2` alone is read inside the context's article,
        `Mục 2` alone inside the context's chapter (or as the only Mục 2)."""
        parts = reference.parts
        if "section" in parts and "article" not in parts:
            return self._section(parts, context)
        for kind in ("part", "chapter", "appendix"):
            if kind in parts and "article" not in parts:
                found = self.by_number.get((kind, parts[kind]))
                only = [node for (k, _), node in self.by_number.items() if k == kind]
                return only[0] if found is None and not parts[kind] and len(only) == 1 else found
        if "article" in parts:
            node = self.by_number.get(("article", key("article", parts["article"])))
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

    def _section(self, parts: dict[str, str], context: Node | None) -> Node | None:
        numbered = [n for n in self.sections if key("section", n.number) == parts["section"]]
        chapter = self.by_number.get(("chapter", parts.get("chapter", "")))
        if chapter is None and "chapter" not in parts:
            chapter = self._enclosing(context, ("chapter",))
        if chapter is not None:
            inside = [n for n in numbered if self.parent.get(n.anchor) is chapter]
            numbered = inside or ([] if "chapter" in parts else numbered)
        return numbered[0] if len(numbered) == 1 else None

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
            needle = f" {' '.join(_tokens(clean_line(raw)))} "
            if len(needle.split()) >= 3:
                hits = [node for node, text in self.searchable if needle in text]
                matched += hits if len(hits) == 1 else []
        if not matched:
            matched = [n for n in (self._closest(line) for line in lines) if n]
        if not matched:
            paragraph = quote.strip().split("\n\n")[-1]
            named = (self.resolve(r, None) for r in self.references(paragraph))
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


def _own_types(draft: Draft) -> frozenset[str]:
    """The types of text the draft is (`thong tu`) and issues (`ban hành kèm theo Thông tư
    này Quy chế ...` adds `quy che`), folded."""
    issued = (
        found.group(1)
        for node in (draft.title, *(n.text for n in walk(draft)))
        for found in _ISSUES.finditer(aligned_fold(node).lower())
    )
    return frozenset(t for t in (draft.doc_type, *issued) if t)


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
            comments += _Comments(index, quoted).read(units(segment.text))
    return comments


def _named(text: str, index: DraftIndex, context: Node | None) -> Node | None:
    """The first provision named, narrowed by what follows without an article of its own:
    `Điều 5: đề nghị bỏ điểm c` is about point c of Điều 5."""
    named: Node | None = None
    for reference in index.references(text):
        if named is not None and "article" in reference.parts:
            break
        found = index.resolve(reference, named or context)
        if found is not None and (named is None or any(n is named for n in index.chain(found))):
            named = found
    return named


# Matched against a unit's folded first line, its numbering (`1.`, `II.`, `a)`, `-`) left out.
_TURN = re.compile(
    r"(ngoai ra|nhin chung|noi chung|ve tong the|tom lai|tren day|du thao\b|doi voi du thao"
    r"|ve du thao|toan bo du thao|y kien khac|cac (noi dung|y kien) khac|(xin |chan thanh )?cam on)"
)  # a turn back to the whole draft, or a closing: the lead citation above ends
_PART_HEADING = re.compile(r"(gop y|y kien)( cua [^:]{1,60})? (chung|cu the|chi tiet|khac)\W*")
_NUMBERING = re.compile(r"^\s*(?:[-+*•–]|(?:\d{1,2}|[ivx]{1,4}|[a-z])[.)])\s*")
_LEAD_WORDS = 15  # `Góp ý khoản 2 Điều 7:`, `Về Điều 8, đơn vị có ý kiến như sau:`


def _leads(line: str) -> bool:
    return line.endswith(":") and len(line.split()) <= _LEAD_WORDS


class _Comments:
    """A new-text segment's units as comments. A lead citation (`Góp ý khoản 2 Điều 7:`)
    holds for the paragraphs and items under it until another provision is cited, a part
    heading (`Góp ý chung`) or a turn to the whole draft (`Ngoài ra`, `Nhìn chung`) comes,
    or the letter closes (`Trên đây là ...`, `Cảm ơn`). Paragraphs under one lead, and
    unnamed paragraphs in a row, form one comment; each item is a comment of its own."""

    def __init__(self, index: DraftIndex, quoted: Node | None) -> None:
        self.index = index
        self.quoted = quoted
        self.context = quoted
        self.lead: Node | None = None
        self.lead_line = ""  # the lead's words, kept with the paragraph right under it
        self.open = False  # the last comment is a paragraph under the lead: the next joins it
        self.out: list[Comment] = []

    def read(self, items: list[Unit]) -> list[Comment]:
        for position, unit in enumerate(items):
            self._unit(unit, last=position + 1 == len(items))
        return self.out

    def _unit(self, unit: Unit, last: bool) -> None:
        first, *rest = unit.text.split("\n")
        opening = _NUMBERING.sub("", aligned_fold(first).lower()).strip()
        if _PART_HEADING.fullmatch(opening) or _TURN.match(opening):
            self.lead = None
            if _PART_HEADING.fullmatch(opening) and not rest:
                return  # `2. Góp ý cụ thể` says nothing by itself
        named = _named(unit.text, self.index, self.context)
        if _leads(unit.text) and not last:
            self.lead, self.lead_line = named, unit.text if named else ""
            self.context = named or self.context
            self.open = False
            return  # `Ý kiến như sau:` says nothing by itself
        lead_line, self.lead_line = self.lead_line, ""
        if named is not None:
            under_lead = any(node is self.lead for node in self.index.chain(named))
            opens = bool(rest) and _leads(first)  # `Góp ý Điều 9:` and its first paragraph
            if opens:
                self.lead = named
            elif not under_lead:
                self.lead = None
            self.context = named
            self._add(Comment(named.anchor, unit.text, "named"), join=False)
            self.open = opens and not unit.item
        elif self.lead is not None:
            text = f"{lead_line}\n{unit.text}" if lead_line and not unit.item else unit.text
            self._add(Comment(self.lead.anchor, text, "named"), join=self.open and not unit.item)
            self.open = not unit.item
        else:
            anchor = self.quoted.anchor if self.quoted is not None else None
            comment = Comment(anchor, unit.text, "quoted" if anchor else "general")
            before = self.out[-1] if self.out else None
            self._add(comment, join=before is not None and before.how == comment.how != "named")
            self.open = False

    def _add(self, comment: Comment, join: bool) -> None:
        """Add the comment, or join it to the one before (about the same provision)."""
        last = self.out[-1] if self.out else None
        if join and last is not None and last.anchor == comment.anchor:
            self.out[-1] = Comment(last.anchor, f"{last.text}\n\n{comment.text}", last.how)
        else:
            self.out.append(comment)
