"""House rules that keep the code readable: small modules, no stdlib-shadowing names."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    p
    for package in ("forum", "archive", "search_index")
    for p in (ROOT / package).rglob("*.py")
    if "migrations" not in p.parts
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_at_most_400_lines(path: Path) -> None:
    assert len(path.read_text().splitlines()) <= 400


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_not_named_like_the_stdlib(path: Path) -> None:
    assert path.stem not in sys.stdlib_module_names
