"""Bounce recognition on the corpus: how often the failed address and its class are read right.

Usage: python bench/bounces.py [--corpus DIR] [--expected FILE] [--verbose]
Compares, file by file, what bench/bounces_expected.json says (read by hand) with:
  before: flufl.bounce alone (forum.mail.bounces.detect_bounce), a permanent or temporary list;
  after:  forum.mail.bounce_reports.classify, a kind and a per-recipient outcome.
A failure report is recognised when the set of addresses is exactly right and each has the
right class (before, flufl's "temporary" counts as right for both delayed and temporary). The
other mail (complaints, vacation replies, reports that name nobody, non-bounces) is recognised
when its kind is right; flufl.bounce has no kinds, so it has no figure there.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from collections import Counter
from pathlib import Path

from forum.mail.bounce_reports import Classification, Kind, classify
from forum.mail.bounces import BounceReport, detect_bounce

HERE = Path(__file__).resolve().parent
CORPUS = Path(os.environ.get("FORUM_CORPUS_DIR", HERE.parents[1] / "shared" / "corpus"))

Expected = dict[str, object]


def before_is_right(expected: Expected, found: BounceReport) -> bool:
    wanted: dict[str, str] = expected["recipients"]  # type: ignore[assignment]
    got = {a: "failed" for a in found.permanent} | {a: "temporary" for a in found.temporary}
    if set(got) != set(wanted):
        return False
    return all(
        got[a] == wanted[a] or (got[a] == "temporary" and wanted[a] == "delayed") for a in got
    )


def after_is_right(expected: Expected, found: Classification) -> bool:
    if found.kind != expected["kind"]:
        return False
    wanted: dict[str, str] = expected["recipients"]  # type: ignore[assignment]
    if found.kind is Kind.COMPLAINT:
        named = set(found.complaint.recipients) if found.complaint else set()
        return not wanted or named == set(wanted)
    return {r.address: str(r.outcome) for r in found.recipients} == wanted


def _share(right: int, total: int) -> str:
    return f"{right}/{total} = {100 * right / total:.1f} %" if total else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS / "bounces")
    parser.add_argument("--expected", type=Path, default=HERE / "bounces_expected.json")
    parser.add_argument("--verbose", "-v", action="store_true", help="list what is missed")
    args = parser.parse_args()
    expected: dict[str, Expected] = json.loads(args.expected.read_text())["files"]
    counts: Counter[str] = Counter()
    seconds = 0.0
    for name, wanted in sorted(expected.items()):
        path = args.corpus / name
        if not path.is_file():
            counts["absent"] += 1
            continue
        raw = path.read_bytes()
        start = time.perf_counter()
        found = classify(raw)
        seconds += time.perf_counter() - start
        names_someone = wanted["kind"] == Kind.DELIVERY_REPORT and bool(wanted["recipients"])
        group = "failure" if names_someone else "other"
        folder = name.partition("/")[0]
        right_after = after_is_right(wanted, found)
        for key in (group, f"{folder}:{group}"):
            counts[key] += 1
            counts[f"{key} after"] += right_after
            if names_someone:
                counts[f"{key} before"] += before_is_right(wanted, detect_bounce(raw))
        if args.verbose and not right_after:
            got = {r.address: str(r.outcome) for r in found.recipients}
            print(f"  missed {name}: {found.kind} ({found.how}) {got}; expected {wanted}")
    total = counts["failure"] + counts["other"]
    print(f"bounce corpus: {total} files ({counts['absent']} listed but absent)")
    print(
        f"failure reports naming a recipient ({counts['failure']}): right address and class"
        f" before {_share(counts['failure before'], counts['failure'])},"
        f" after {_share(counts['failure after'], counts['failure'])}"
    )
    for folder in sorted({name.partition("/")[0] for name in expected}):
        key = f"{folder}:failure"
        print(
            f"  {folder}: before {_share(counts[key + ' before'], counts[key])},"
            f" after {_share(counts[key + ' after'], counts[key])}"
        )
    print(
        f"other mail ({counts['other']}: complaints, vacation replies, reports naming nobody,"
        f" not bounces): right kind after {_share(counts['other after'], counts['other'])}"
    )
    print(f"classify: {1000 * seconds / max(total, 1):.2f} ms per message")


if __name__ == "__main__":
    main()
