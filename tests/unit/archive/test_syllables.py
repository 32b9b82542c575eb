"""Tone placement: old (`hòa`, `thủy`) and new (`hoà`, `thuỷ`) spellings give one canonical
form, for every tone, every affected vowel cluster and onset, in any case; other words stay."""

from __future__ import annotations

import unicodedata

import pytest

from archive.syllables import canonical_tones, is_syllable, parse

TONES = {"huyền": "\u0300", "sắc": "\u0301", "ngã": "\u0303", "hỏi": "\u0309", "nặng": "\u0323"}
# Onsets seen before oa/oe/uy in real words (hoà, khoẻ, thuỷ, loà, xoè, ngoà, tuỳ ...).
ONSETS = ["", "h", "kh", "l", "t", "th", "x", "s", "ch", "tr", "ng", "nh", "d", "đ", "b", "m"]
CLUSTERS = ["oa", "oe", "uy"]


def _with_tone(letters: str, at: int, tone: str) -> str:
    return unicodedata.normalize("NFC", letters[: at + 1] + tone + letters[at + 1 :])


def _cases() -> list[tuple[str, str]]:
    """(old placement, new placement) for every onset x cluster x tone."""
    cases = []
    for onset in ONSETS:
        for cluster in CLUSTERS:
            letters = onset + cluster
            for tone in TONES.values():
                old = _with_tone(letters, len(onset), tone)
                new = _with_tone(letters, len(onset) + 1, tone)
                cases.append((old, new))
    return cases


@pytest.mark.parametrize(("old", "new"), _cases())
def test_old_and_new_placement_give_the_new_one(old: str, new: str) -> None:
    assert canonical_tones(old) == new
    assert canonical_tones(new) == new
    assert canonical_tones(old.capitalize()) == new.capitalize()
    assert canonical_tones(old.upper()) == new.upper()


def test_the_count_of_exhaustive_cases() -> None:
    assert len(_cases()) == len(ONSETS) * len(CLUSTERS) * len(TONES) == 240


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("hòa", "hoà"),
        ("Hòa Bình"[:3], "Hoà"),
        ("ủy", "uỷ"),
        ("Ủy", "Uỷ"),
        ("ỦY", "UỶ"),
        ("khỏe", "khoẻ"),
        ("thủy", "thuỷ"),
        ("tòa", "toà"),
        ("TÒA", "TOÀ"),
        ("xòe", "xoè"),
        ("lũy", "luỹ"),
        ("qúy", "quý"),  # the u of `qu` is no vowel: the tone goes on the y
        ("gía", "giá"),  # nor the i of `gi` before a vowel
        ("hòan", "hoàn"),  # closed syllables: on the last vowel in either style
        ("hùynh", "huỳnh"),
        ("ngòai", "ngoài"),
    ],
)
def test_misplaced_and_old_style_tones(typed: str, canonical: str) -> None:
    assert canonical_tones(typed) == canonical


@pytest.mark.parametrize(
    "word",
    [
        *("quý", "quỳ", "quả", "quạ", "quyết", "quỳnh", "giá", "giữa", "già", "gì", "gìn"),
        *("hoàn", "toán", "khuyến", "huýt", "thuở", "người", "được", "khuỷu", "ngoặt", "Việt"),
        *("tài", "cháo", "múi", "túi", "của", "mía", "hươu", "yêu", "nghĩa", "chủ", "Đà", "ý"),
        *("oà", "uỷ", "hoà", "thuỷ", "khoẻ", "toà"),
    ],
)
def test_words_already_in_the_new_placement_stay(word: str) -> None:
    assert canonical_tones(word) == word
    assert is_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["café", "résumé", "naïve", "José", "hoàbình", "über", "", "a1", "schön", "canción"],
)
def test_words_that_are_not_one_vietnamese_syllable_stay(word: str) -> None:
    assert canonical_tones(word) == word
    assert not is_syllable(word)


def test_nfd_input_gives_nfc_canonical_form() -> None:
    assert canonical_tones(unicodedata.normalize("NFD", "hòa")) == "hoà"


@pytest.mark.parametrize(
    ("word", "impossible"), [("cát", "càt"), ("cạch", "cảch"), ("tiếp", "tiềp")]
)
def test_syllables_ending_in_a_stop_take_only_sac_and_nang(word: str, impossible: str) -> None:
    assert is_syllable(word)
    assert not is_syllable(impossible)


def test_parts_of_a_syllable() -> None:
    found = parse("Quyết")
    assert found is not None
    assert (found.onset, found.nucleus, found.coda, found.tone) == ("qu", "yê", "t", "\u0301")
    assert parse("gìn") is not None
    assert parse("ci") is None  # `c` is never written before i, e, ê, y
    assert parse("ke") is not None
    assert parse("ngi") is None
