"""Confidentiality detector: precision and recall on the table of office-mail cases, then how
often it fires on real list mail that carries no mark (the corpus), and how fast.

Usage: python bench/confidentiality.py [--no-corpus] [MBOX ...]
Default MBOXes: the two list archives of ../shared/corpus/lists/, plus ../shared/corpus/vietnamese/.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.mbox import iter_messages, open_archive  # noqa: E402
from archive.parse import parse_message  # noqa: E402
from forum.posting.confidentiality import find_mark  # noqa: E402
from tests.unit.confidentiality_cases import CASES, KNOWN_MISSES  # noqa: E402

# ../shared/corpus beside the checkout, or two levels up from a worktree.
CORPUS = next(
    (p / "shared" / "corpus" for p in ROOT.parents if (p / "shared" / "corpus").is_dir()),
    ROOT.parent / "shared" / "corpus",
)
MBOXES = sorted((CORPUS / "lists").glob("*.mbox.xz"))


def case_figures() -> None:
    true_pos = false_pos = false_neg = true_neg = exact = 0
    cases = CASES + KNOWN_MISSES
    for case in cases:
        mark = find_mark(case.subject, case.body, case.names)
        if case.level is None:
            false_pos += mark is not None
            true_neg += mark is None
            if mark is not None:
                print(f"  false alarm: {case.note!r} -> {mark.level} in {mark.text!r}")
            continue
        if mark is None:
            false_neg += 1
            print(f"  missed: {case.note!r}")
            continue
        true_pos += 1
        exact += (mark.level, mark.place) == (case.level, case.place)
    precision = true_pos / max(true_pos + false_pos, 1)
    recall = true_pos / max(true_pos + false_neg, 1)
    print(f"cases: {len(cases)} ({true_pos + false_neg} marked, {true_neg + false_pos} not)")
    print(f"precision {precision:.3f}  recall {recall:.3f}  ({true_pos} found, {false_pos} false")
    print(f"  alarms, {false_neg} missed); level and place right in {exact} of {true_pos}")


def corpus_figures(mboxes: list[Path]) -> None:
    count = marked = 0
    seconds = 0.0
    for raw in _corpus_messages(mboxes):
        parsed = parse_message(raw)
        names = [a.filename for a in parsed.attachments]
        started = time.perf_counter()
        mark = find_mark(parsed.subject, parsed.text, names)
        seconds += time.perf_counter() - started
        count += 1
        if mark is not None:
            marked += 1
            print(f"  {mark.level} in {mark.place} {mark.line or ''}: {mark.source[:90]!r}")
    print(f"corpus: {count} messages, {marked} held for a mark ({marked / max(count, 1):.2%});")
    each = seconds / max(count, 1) * 1e3
    print(f"  {count / max(seconds, 1e-9):,.0f} messages/s, {each:.2f} ms each")


def _corpus_messages(mboxes: list[Path]) -> Iterator[bytes]:
    for path in mboxes:
        with open_archive(path) as stream:
            yield from iter_messages(stream)
    for path in sorted((CORPUS / "vietnamese").glob("*.eml")):
        yield path.read_bytes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mboxes", nargs="*", type=Path)
    parser.add_argument("--no-corpus", action="store_true")
    args = parser.parse_args()
    case_figures()
    if not args.no_corpus:
        corpus_figures(args.mboxes or MBOXES)


if __name__ == "__main__":
    main()
