"""TCVN3 (ABC) and VNI text: every character of both encodings converts to its Unicode letter,
such text is found by its signature (lines at a time), and nothing else is ever touched."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archive.attachment_text import attachment_text, readable
from archive.charsets import decode_bytes
from archive.legacy_vietnamese import (
    TCVN3,
    VNI,
    convert,
    font_encoding,
    telling_words,
    to_unicode,
)
from archive.parsed import ParsedAttachment

VOWELS = "aăâeêioôơuưy"
TONES = {
    "": "",
    "\u0300": "huyền",
    "\u0301": "sắc",
    "\u0309": "hỏi",
    "\u0303": "ngã",
    "\u0323": "nặng",
}


def _letters() -> list[str]:
    """The 67 small Vietnamese letters that are not ASCII: every vowel with every tone, and đ."""
    found = [unicodedata.normalize("NFC", v + tone) for v in VOWELS for tone in TONES]
    return [letter for letter in found if not letter.isascii()] + ["đ"]


def test_the_alphabet_has_67_small_letters_beyond_ascii() -> None:
    assert len(_letters()) == 67


# --- TCVN3: one byte per letter


def test_tcvn3_has_every_small_letter_once_and_the_seven_capitals() -> None:
    assert sorted(TCVN3.values()) == sorted([*_letters(), *"ĂÂÊÔƠƯĐ"])
    assert len(TCVN3) == 74
    assert all(len(code) == 1 and "\xa1" <= code <= "\xfe" for code in TCVN3)


ICONV = shutil.which("iconv")


@pytest.mark.skipif(ICONV is None, reason="no iconv to compare with")
def test_every_tcvn3_code_agrees_with_the_c_librarys_tcvn5712() -> None:
    assert ICONV is not None
    codes = "".join(sorted(TCVN3)).encode("latin-1")
    done = subprocess.run(
        [ICONV, "-f", "TCVN5712-1", "-t", "UTF-8"], input=codes, capture_output=True, check=True
    )
    theirs = unicodedata.normalize("NFC", done.stdout.decode("utf-8"))
    assert theirs == "".join(TCVN3[code] for code in sorted(TCVN3))


@pytest.mark.parametrize(("code", "letter"), sorted(TCVN3.items()))
def test_each_tcvn3_code_converts_alone_and_inside_a_word(code: str, letter: str) -> None:
    assert convert(code, "tcvn3") == letter
    assert convert(f"x{code}y", "tcvn3") == f"x{letter}y"


# --- VNI: a letter and its marks, made here from the encoding's rules

_VNI_TONE = {"": "", "\u0300": "ø", "\u0301": "ù", "\u0309": "û", "\u0303": "õ", "\u0323": "ï"}
_VNI_HAT = {"": "â", "\u0300": "à", "\u0301": "á", "\u0309": "å", "\u0303": "ã", "\u0323": "ä"}
_VNI_BREVE = {"": "ê", "\u0300": "è", "\u0301": "é", "\u0309": "ú", "\u0303": "ü", "\u0323": "ë"}
_VNI_I = {"": "i", "\u0300": "ì", "\u0301": "í", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _vni(letter: str) -> str:
    """The VNI spelling of one small letter, by the rules of the encoding."""
    if letter == "đ":
        return "ñ"
    base, *marks = unicodedata.normalize("NFD", letter)
    tone = next((m for m in marks if m in _VNI_TONE), "")
    quality = next((m for m in marks if m not in _VNI_TONE), "")
    if base == "i":
        return _VNI_I[tone]
    if base == "y" and tone == "\u0323":
        return "î"
    if quality == "\u0302":  # hat
        return base + _VNI_HAT[tone]
    if quality == "\u0306":  # breve
        return base + _VNI_BREVE[tone]
    if quality == "\u031b":  # horn: ô is ơ and ö is ư
        base = {"o": "ô", "u": "ö"}[base]
    return base + _VNI_TONE[tone]


@pytest.mark.parametrize("letter", _letters())
def test_each_vni_letter_converts_small_and_capital(letter: str) -> None:
    assert convert(_vni(letter), "vni") == letter
    assert convert(_vni(letter).upper(), "vni") == letter.upper()
    assert convert(f"t{_vni(letter)}n", "vni") == f"t{letter}n"


def test_vni_has_all_134_letters() -> None:
    assert {VNI[key] for key in VNI} >= {*_letters(), *(x.upper() for x in _letters())}
    assert len({_vni(letter) for letter in _letters()}) == 67


# --- fixed phrases every official text carries

PHRASES = [
    ("tcvn3", "Céng hoµ x· héi chñ nghÜa ViÖt Nam", "Cộng hoà xã hội chủ nghĩa Việt Nam"),
    ("tcvn3", "§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("tcvn3", "B¸o c¸o sè liÖu th¸ng 3 cña tr\xadêng", "Báo cáo số liệu tháng 3 của trường"),
    ("tcvn3", "CéNG HOµ X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("vni", "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", "Cộng hòa xã hội chủ nghĩa Việt Nam"),
    ("vni", "Ñoäc laäp - Töï do - Haïnh phuùc", "Độc lập - Tự do - Hạnh phúc"),
    ("vni", "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("vni", "Baùo caùo soá lieäu thaùng 3 cuûa tröôøng", "Báo cáo số liệu tháng 3 của trường"),
]


@pytest.mark.parametrize(("encoding", "legacy", "unicode"), PHRASES)
def test_legacy_text_is_found_and_converted(encoding: str, legacy: str, unicode: str) -> None:
    converted = to_unicode(legacy)
    assert converted.encoding == encoding
    assert converted.text == unicode
    assert unicodedata.is_normalized("NFC", converted.text)


def test_only_the_legacy_lines_of_a_mixed_text_are_converted() -> None:
    text = (
        "Kính gửi các trường,\n"
        "Phòng gửi lại bản báo cáo cũ:\n"
        "B¸o c¸o sè liÖu häc sinh n¨m häc 2008-2009 cña c¸c tr\xadêng.\n"
        "Trân trọng, Tôi có ý kiến.\n"
    )
    converted = to_unicode(text)
    assert converted.text.splitlines() == [
        "Kính gửi các trường,",
        "Phòng gửi lại bản báo cáo cũ:",
        "Báo cáo số liệu học sinh năm học 2008-2009 của các trường.",
        "Trân trọng, Tôi có ý kiến.",
    ]


UNTOUCHED = [
    "Tôi có ý kiến về dự thảo, không có gì thêm.",
    unicodedata.normalize("NFD", "Báo cáo số liệu tháng 3 của trường, hoà bình, thuỷ lợi."),
    "Có ai không? Tôi có. Ông có. Cá ở sông.",
    "Le café était très bon, où est la gare? Où? Noël, naïve, déjà vu, à côté, où.",
    "Schöne Grüße aus München, die Straße ist über dem Fluß; Bär, König, Größe.",
    "El niño comió piñata en España, mañana será otro año; sí, qué, tú, mí, él.",
    "Søren bor i København på øen, så nå må vi gå; blåbær og rødgrød med fløde.",
    "São Paulo, ação, informação, você está lá? É a 1ª vez; não há.",
    "Þetta er íslenska, ég heiti Þór og bý á Íslandi.",
    "Temperature 25°C ± 0.5, 5µm, © 2020 ACME®, §3 ¶2, ½ cup, £10, ¥500 · Home · About",
    "Viá»‡t Nam, Ä‘Äƒng kÃ½ â€” UTF-8 read as windows-1252, Iï¿½m sure, itï¿½s.",
    "col·lecció, paral·lel, «Bonjour», ¿Qué tal?, ¡Hola!",
    "Hoà giải, khoẻ mạnh, uỷ ban, thuỷ sản, toà án, quý, kĩ năng.",
    "Aug 11, 1998 ¨C v1.00 robust ¨C if not more ¨C than",
]


@pytest.mark.parametrize("text", UNTOUCHED)
def test_good_vietnamese_and_other_languages_are_never_converted(text: str) -> None:
    assert to_unicode(text).encoding is None
    assert to_unicode(text).text == text


def test_font_names_tell_the_encoding() -> None:
    assert font_encoding(".VnTime") == ("tcvn3", False)
    assert font_encoding(".VnTimeH") == ("tcvn3", True)
    assert font_encoding(".VnArial NarrowH") == ("tcvn3", True)
    assert font_encoding("VNI-Times") == ("vni", False)
    assert font_encoding("Times New Roman") is None
    assert font_encoding("Vni") is None


def test_capitals_font_text_converts_to_capitals() -> None:
    assert convert("c\xe9ng ho\xb5", "tcvn3", capitals=True) == "CỘNG HOÀ"


# --- where mail text is decoded

TCVN3_REPORT = "B¸o c¸o sè liÖu th¸ng 3 cña tr\xadêng THCS Lª Lîi"
UNICODE_REPORT = "Báo cáo số liệu tháng 3 của trường THCS Lê Lợi"


@pytest.mark.parametrize("label", ["windows-1252", "iso-8859-1", "us-ascii", "windows-1258", None])
def test_tcvn3_bytes_under_any_western_label_decode_to_unicode(label: str | None) -> None:
    text, note = decode_bytes(TCVN3_REPORT.encode("latin-1"), label)
    assert text == UNICODE_REPORT
    assert note is not None
    assert "TCVN3" in note


def test_tcvn3_pasted_into_unicode_mail_is_converted() -> None:
    assert decode_bytes(TCVN3_REPORT.encode("utf-8"), "utf-8")[0] == UNICODE_REPORT


def test_vni_bytes_decode_to_unicode() -> None:
    vni = "Baùo caùo soá lieäu thaùng 3 cuûa tröôøng THCS Leâ Lôïi"
    text, note = decode_bytes(vni.encode("cp1252"), "windows-1252")
    assert text == UNICODE_REPORT
    assert note == "text in VNI converted to Unicode"


def test_attachment_text_and_extracted_text_are_converted() -> None:
    data = TCVN3_REPORT.encode("latin-1")
    text = ParsedAttachment("bao-cao.txt", "text/plain", len(data), "", data)
    assert attachment_text(text) == UNICODE_REPORT
    image = ParsedAttachment("anh.png", "image/png", 3, "", b"\x89PN")
    assert attachment_text(image) is None
    assert readable(TCVN3_REPORT) == UNICODE_REPORT


_TEXT = (
    st.text(
        alphabet=st.sampled_from(
            [*"ab Z_19é\u00a1\u00b5\u00ffđĐươ\u0300.\t-", "\n", "\r", "\u2028"]
        )
    )
    | st.text()
)


@given(_TEXT)
def test_the_telling_words_are_the_words_beyond_ascii(text: str) -> None:
    words = re.findall(r"(?:[^\W\d_]|[\u00a1-\u00ff])+", text)  # letters and Latin-1 symbols
    assert telling_words(text) == [word for word in words if not word.isascii()]
