"""Own-text benchmark: the share of replies whose own text still holds a quoted header block
or a list footer, per corpus archive (target: under 0.5 %), and the splitting speed.

Usage: python bench/own_text.py [MBOX ...] [--compare] [--show N]
Default: the usrp-users and linux-mips archives of ../shared/corpus/lists (or
$FORUM_CORPUS_DIR/lists). A reply is a
message with In-Reply-To or References. `--compare` measures the same on the two maintained
libraries that do part of this (quotequail, mail-parser-reply), when they are installed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from archive.mbox import iter_messages, open_archive
from archive.own_text import own_text
from archive.parse import parse_message

_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
LISTS = Path(os.environ.get("FORUM_CORPUS_DIR", _CORPUS)) / "lists"
DEFAULT_MBOXES = [
    LISTS / "usrp-users-2020-09_2021-12.mbox.xz",
    LISTS / "linux-mips-1996-2002.mbox.xz",
]

# What a reader would call a leak, written apart from the splitter's own patterns.
_FIELD = re.compile(
    r"^[\s*]*(from|sent|to|cc|subject|date|từ|đã gửi|gửi|đến|tới|chủ đề|ngày)[\s*]*:", re.I
)
_FROM = re.compile(r"^[\s*]*(from|từ)[\s*]*:", re.I)
_SEPARATOR = re.compile(r"^\s*-{3,}\s*(original message|thư gốc)\s*-{3,}", re.I)
_FOOTER = re.compile(
    r"^[\w.-]+ mailing list( -- \S+@\S+)?$|^to unsubscribe send an email to \S+-leave@"
    r"|^https?://\S+/mailman/listinfo/\S*$"
    r"|^you received this message because you are subscribed to the google groups"
    r"|^groups\.io links:",
    re.I | re.M,
)


def leaks(own: str) -> set[str]:
    """ "header" when a quoted header block (or an Outlook separator) is left in, "footer"
    when a list footer is."""
    found: set[str] = set()
    lines = own.split("\n")
    for index, line in enumerate(lines):
        if _SEPARATOR.match(line):
            found.add("header")
        if _FROM.match(line):
            window = [x for x in lines[index : index + 6] if x.strip()][:5]
            if sum(1 for x in window if _FIELD.match(x)) >= 3:  # noqa: PLR2004 - From + 2
                found.add("header")
    if _FOOTER.search(own):
        found.add("footer")
    return found


@dataclass(slots=True)
class Figures:
    replies: int = 0
    leaked: int = 0
    header: int = 0
    footer: int = 0
    seconds: float = 0.0
    examples: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return 100 * self.leaked / self.replies if self.replies else 0.0


def reply_texts(mbox: Path) -> list[tuple[str, str]]:
    """(Message-ID, plain text) of every reply in the archive."""
    found: list[tuple[str, str]] = []
    with open_archive(mbox) as stream:
        for raw in iter_messages(stream):
            parsed = parse_message(raw)
            if parsed.in_reply_to or parsed.references:
                found.append((parsed.message_id, parsed.text))
    return found


def measure(replies: list[tuple[str, str]], split: Callable[[str], str]) -> Figures:
    figures = Figures(replies=len(replies))
    started = time.perf_counter()
    for message_id, text in replies:
        try:
            own = split(text)
        except Exception:  # a library's failure leaves the whole text in: a leak if any
            own = text
        found = leaks(own)
        if found:
            figures.leaked += 1
            figures.header += "header" in found
            figures.footer += "footer" in found
            figures.examples.append(message_id)
    figures.seconds = time.perf_counter() - started
    return figures


def _libraries() -> dict[str, Callable[[str], str]]:
    """The maintained libraries, where installed (neither is a dependency of the forum)."""
    found: dict[str, Callable[[str], str]] = {}
    try:
        quotequail = importlib.import_module("quotequail")
        found["quotequail"] = lambda text: "\n".join(
            part for quoted, part in quotequail.quote(text) if not quoted
        )
    except ImportError:
        pass
    try:
        reply = importlib.import_module("mailparser_reply")
        found["mail-parser-reply"] = lambda text: str(
            reply.EmailReplyParser(languages=["en", "de"]).parse_reply(text=text)
        )
    except ImportError:
        pass
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mboxes", nargs="*", type=Path, default=DEFAULT_MBOXES)
    parser.add_argument("--compare", action="store_true", help="also measure the libraries")
    parser.add_argument("--show", type=int, default=0, help="print N leaking Message-IDs")
    args = parser.parse_args()
    splitters: dict[str, Callable[[str], str]] = {"archive.own_text": own_text}
    if args.compare:
        splitters |= _libraries()
    for mbox in args.mboxes:
        replies = reply_texts(mbox)
        for name, split in splitters.items():
            f = measure(replies, split)
            print(
                f"{mbox.name} {name}: {f.leaked}/{f.replies} replies leak "
                f"({f.share:.2f} %; header block {f.header}, list footer {f.footer}), "
                f"{f.replies / f.seconds:,.0f} replies/s"
            )
            for message_id in f.examples[: args.show]:
                print(f"    {message_id}")


if __name__ == "__main__":
    main()
