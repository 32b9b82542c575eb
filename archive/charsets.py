"""Turn bytes in a declared (or missing, or bogus) charset into NFC text, never failing."""

from __future__ import annotations

import codecs
import unicodedata
from functools import lru_cache

import charset_normalizer

from archive.legacy_vietnamese import NAMES, Encoding, to_unicode

# Labels mail clients use that Python does not know, or knows as a narrower codec than the
# one the sender's software really used (WHATWG's Encoding Standard makes the same choices).
_ALIASES = {
    "uft-8": "utf-8",
    "uft8": "utf-8",
    "utf8": "utf-8",
    "x-unicode-2-0-utf-7": "utf-7",
    "unicode-2-0-utf-7": "utf-7",
    "gb2312": "gb18030",
    "gb_2312-80": "gb18030",
    "csgb2312": "gb18030",
    "euc-cn": "gb18030",
    "x-euc-cn": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "chinese": "gb18030",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601-1989": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "x-windows-949": "cp949",
    "korean": "cp949",
    "big5": "big5hkscs",
    "x-x-big5": "big5hkscs",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "sjis": "cp932",
    "windows-874": "cp874",
    "tis-620": "cp874",
    "x-mac-roman": "mac-roman",
    "iso-8859-8-i": "iso8859-8",
    "iso-10646-ucs-2": "utf-16-be",
    "windows-1258": "cp1258",
    "x-viscii": "viscii",
    "csviscii": "viscii",
}
# Python codecs that are not charsets a mail could be written in.
_NOT_CHARSETS = frozenset(
    {"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode", "mbcs", "oem"}
)
# Codecs in which pure ASCII bytes may still mean something other than ASCII.
_SEVEN_BIT_PREFIXES = ("utf-7", "utf-16", "utf-32", "iso2022", "hz")
_LATIN1_FAMILY = frozenset({"iso8859-1", "ascii"})
# Labels TCVN3 and VNI text goes out under (the fonts' bytes are shown as windows-1252).
_WESTERN = frozenset({"ascii", "cp1252", "iso8859-1", "iso8859-15", "cp1258"})
_CP1252_HIGH = {
    byte: char
    for byte in range(0x80, 0xA0)
    if (char := bytes([byte]).decode("cp1252", "replace")) != "\ufffd"
}

# VISCII (RFC 1456): Vietnamese letters in the upper half and in six C0 positions.
_VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"
    "ÕắằặấầẩậẽẹếềểễệốồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳĐứÒÓÔạỷừửÙÚỹỵÝỡư"
    "àáâãảăữẫèéêẻìíĩỉđựòóôõỏọụùúũủýợỮ"
)
_VISCII_LOW = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
_VISCII_TABLE = "".join(_VISCII_LOW.get(i, chr(i)) for i in range(128)) + _VISCII_HIGH

# Enough of a large part to guess its charset; the guess then decodes the whole part.
_GUESS_SAMPLE = 64 * 1024
# With fewer non-ASCII bytes than this any guess is noise ("Gütersloh" came out as cp775),
# and windows-1252, the commonest legacy charset in mail, is the better bet.
_GUESS_MINIMUM = 16
_ASCII_BYTES = bytes(range(128))
# Charsets mail is really written in; DOS code pages and rarities only produce false hits.
_CANDIDATES = [
    *("cp1252", "cp1258", "cp1250", "cp1251", "cp1253", "cp1254", "cp1255", "cp1256"),
    *("cp1257", "iso8859_15", "iso8859_2", "iso8859_5", "iso8859_7", "koi8_r", "koi8_u"),
    *("gb18030", "big5hkscs", "cp949", "euc_jp", "cp932", "cp874"),
]


def decode_bytes(data: bytes, declared: str | None) -> tuple[str, str | None]:
    """Decode `data` labelled `declared` to NFC text; the note says what was wrong, if anything.

    Vietnamese typed in TCVN3 or VNI (whatever the label says) comes out as Unicode."""
    codec, note = _resolve(declared)
    if data.isascii() and (codec is None or not codec.startswith(_SEVEN_BIT_PREFIXES)):
        return data.decode("ascii"), note
    if codec is None:
        text, decode_note = _decode_undeclared(data)
    else:
        text, decode_note = _decode_declared(data, codec)
    legacy = to_unicode(_legacy_view(data, text, codec))
    if legacy.encoding is not None:
        return nfc(legacy.text), _join(note, legacy_note(legacy.encoding))
    return nfc(text), _join(note, decode_note)


def legacy_note(encoding: Encoding) -> str:
    return f"text in {NAMES[encoding]} converted to Unicode"


def _legacy_view(data: bytes, text: str, codec: str | None) -> str:
    """The text as a TCVN3 or VNI font would have shown its bytes: their windows-1252
    characters, when a one-byte western label (or none) was given to what is not UTF-8."""
    if codec is not None and codec not in _WESTERN:
        return text
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:  # one of its five unassigned bytes
            return data.decode("latin-1").translate(_CP1252_HIGH)
    return text


def nfc(text: str) -> str:
    """NFC form of `text`, cheaply when it already is (the usual case)."""
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def _resolve(declared: str | None) -> tuple[str | None, str | None]:
    if declared is None:
        return None, None
    label = declared.strip().strip("\"'").lower()
    if not label:
        return None, None
    return _codec_for(label)


@lru_cache(maxsize=256)
def _codec_for(label: str) -> tuple[str | None, str | None]:
    name = _ALIASES.get(label, label)
    if name == "viscii":
        return name, None
    try:
        info = codecs.lookup(name)
    except LookupError:
        return None, f"unknown charset {label!r}"
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_CHARSETS:
        return None, f"charset {label!r} is not a text encoding"
    return info.name, None


def _decode_declared(data: bytes, codec: str) -> tuple[str, str | None]:
    if codec in _LATIN1_FAMILY:
        return _decode_latin1_label(data, codec)
    try:
        return _strict(data, codec), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("utf-8"), f"text labelled {codec} was UTF-8"
    except UnicodeDecodeError:
        return _lenient(data, codec), f"text is not valid {codec}; bad bytes replaced"


def _decode_latin1_label(data: bytes, codec: str) -> tuple[str, str | None]:
    """us-ascii and iso-8859-1 labels: really UTF-8 sometimes, and windows-1252 most often."""
    try:
        return data.decode("utf-8"), f"text labelled {codec} was UTF-8"
    except UnicodeDecodeError:
        pass
    note = "8-bit text labelled us-ascii" if codec == "ascii" else None
    try:
        return data.decode("cp1252"), note
    except UnicodeDecodeError:
        return data.decode("latin-1"), note


def _decode_undeclared(data: bytes) -> tuple[str, str | None]:
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    guessed = _guess(data)
    if guessed is not None:
        return _lenient(data, guessed), f"charset guessed as {guessed}"
    try:
        return data.decode("cp1252"), "charset guessed as cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "charset guessed as latin-1"


def _guess(data: bytes) -> str | None:
    """charset_normalizer's pick among mail charsets, when there is enough text to judge."""
    if len(data.translate(None, _ASCII_BYTES)) < _GUESS_MINIMUM:
        return None
    best = charset_normalizer.from_bytes(data[:_GUESS_SAMPLE], cp_isolation=_CANDIDATES).best()
    return None if best is None else str(best.encoding)


def _strict(data: bytes, codec: str) -> str:
    if codec == "viscii":
        return codecs.charmap_decode(data, "strict", _VISCII_TABLE)[0]
    return data.decode(codec)


def _lenient(data: bytes, codec: str) -> str:
    if codec == "viscii":
        return codecs.charmap_decode(data, "replace", _VISCII_TABLE)[0]
    try:
        return data.decode(codec, "replace")
    except LookupError:
        return data.decode("latin-1")


def _join(first: str | None, second: str | None) -> str | None:
    if first and second:
        return f"{first}; {second}"
    return first or second
