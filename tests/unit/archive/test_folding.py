"""Folding for diacritic-free matching, and exact forms kept apart."""

from __future__ import annotations

import unicodedata

from archive.folding import fold, normalize


def test_fold_removes_tones_and_maps_d_with_stroke() -> None:
    assert fold("Đăng ký email") == "dang ky email"
    assert fold("giáo dục") == "giao duc"


def test_fold_handles_nfd_input_like_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Trường Tiểu học")
    assert fold(nfd) == fold("Trường Tiểu học") == "truong tieu hoc"


def test_exact_forms_of_different_words_stay_different() -> None:
    words = {normalize(w) for w in ("bán", "bàn", "ban")}
    assert len(words) == 3
    assert {fold(w) for w in words} == {"ban"}
