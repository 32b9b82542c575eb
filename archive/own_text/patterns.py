"""What mail clients, lists and offices add around the author's words, as patterns over
folded lines (lowercase, no diacritics, `đ` -> `d`), in English and Vietnamese."""

from __future__ import annotations

import re

from archive.folding import fold

QUOTE_MARKS = re.compile(r"^[ \t]*(?:>[ \t]?)+")  # on the line as written

# "On Mon, 2 Jun 2025 at 09:00, An <an@x> wrote:", "--- On Mon, 6/1/09, An wrote:" (Yahoo),
# "Vào Th 2, 2 thg 6, 2025 lúc 09:00 An <an@x> đã viết:" (Gmail vi), wrapped over lines.
ATTRIBUTION_START = re.compile(r"(?:-{2,}\s*)?(on|vao|luc|le|am|el|em|il|op)\b")
ATTRIBUTION_END = re.compile(
    r".*\b(wrote|writes|viet|a ecrit|schrieb|escribio|escreveu|ha scritto|schreef)\s*:$"
)
# "-----Original Message-----", "-----Thư gốc-----", "-------- Tin nhắn gốc --------"
SEPARATOR = re.compile(
    r"-{2,}\s*(original message|forwarded message|message d'origine|message transfere"
    r"|ursprungliche nachricht|mensaje original|mensagem original|reply message"
    r"|thu goc|tin nhan goc|thu chuyen tiep|tin nhan chuyen tiep|tin nhan da chuyen tiep)"
    r"\s*-{2,}$"
)
RULE = re.compile(r"[_\-=]{8,}$")  # Outlook's line above its header block
HEADER_FROM = re.compile(r"(from|tu|nguoi gui)\s*:")
HEADER_FIELD = re.compile(
    r"(sent|date|to|cc|bcc|subject|reply-to|importance|gui|da gui|ngay|ngay gui|thoi gian"
    r"|den|toi|nguoi nhan|chu de|tieu de|tra loi cho)\s*:"
)
HEADER_INLINE = re.compile(r"\b(sent|date|to|subject|da gui|den|chu de|tieu de)\s*:")

# Signatures: "-- ", a closing followed by a short name block, a device line.
SIGNATURE_DASH = re.compile(r"--\s*$")
VALEDICTION = re.compile(
    r"(tran trong|kinh thu|than ai|than men|chuc suc khoe|best regards|kind regards|regards"
    r"|best wishes|best|thanks|thank you|many thanks|cheers|xin cam on|cam on|chan thanh cam on"
    r"|tran trong cam on|kinh chao)\b[\s,.!]*(cam on|kinh chao)?[\s,.!]*$"
)
DEVICE_FOOTER = re.compile(
    r"((sent|gui|duoc gui) (from|tu|bang|with)\b.*\b(iphone|ipad|android|samsung|galaxy|mobile"
    r"|dien thoai|di dong|outlook|yahoo|mail|gmail|sparrow|blackberry)\b|get outlook for)"
)
# Disclaimers: a paragraph carrying one of these is the office's notice, not the author's.
DISCLAIMER = re.compile(
    r"intended (solely |only )?(for )?(the )?(use of the )?(named )?(addressee|recipient"
    r"|individual|person|entity)|intended recipient|received this (e-?mail|message"
    r"|communication|transmission) in error|confidentiality (notice|note|warning|statement)"
    r"|^(legal )?disclaimer\b|(this|the) (e-?mail|message|communication)s?( and any"
    r" (files|attachments)[^.]{0,40})? (is|are|may be|may contain|contains?)[^.]{0,30}"
    r"(confidential|privileged)"
    r"|nguoi nhan mong muon|khong phai (la )?nguoi nhan|mien tru trach nhiem"
    r"|(thu|email|e-mail|thu dien tu|thong tin)[^.]{0,60}(chua|la) (cac )?thong tin"
    r" (bao mat|mat|rieng tu|noi bo)|chi danh (rieng )?cho (nguoi nhan|ca nhan|to chuc)"
    r"|neu (ban|quy vi|anh chi) (khong phai|nhan (duoc|nham))"
)
# List footers: Mailman 3 and 2, Google Groups, Sympa, groups.io, Majordomo and ours.
FOOTER = re.compile(
    r"mailing list -- \S+@|to unsubscribe send an email to \S+-leave@"
    r"|^https?://\S+/mailman/listinfo/?\S*$"
    r"|you received this message because you are subscribed to the google groups"
    r"|to unsubscribe from this group and stop receiving emails from it"
    r"|to view this discussion (on the web )?visit https://groups\.google\.com"
    r"|groups\.io links:|you receive all messages sent to this group"
    r"|to unsubscribe from this list: send the line|sympa@|send.{0,30} signoff "
    r"|please acknowledge this notice: https?://|vui long xac nhan da nhan thong bao nay"
)
FOOTER_RULE = re.compile(r"(_{5,}|-{2,}|(-=){3,}-?|={5,})$")


def folded(line: str) -> str:
    """The line as the patterns read it: folded, no non-breaking space, no bold marks."""
    line = line.replace("\u00a0", " ")
    text = line.lower() if line.isascii() else fold(line)
    return text.strip(" \t*_")
