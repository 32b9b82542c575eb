"""parse_message on real and hostile mail: ids, charsets, HTML, attachments and garbage."""

from __future__ import annotations

import hashlib
import random
import re
import textwrap
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest

from archive.dates import DateSource
from archive.mbox import iter_messages, open_archive
from archive.parse import parse_message, safe_filename, synthetic_message_id
from archive.parsed import ParsedMessage

LINUX_MIPS = Path("lists") / "linux-mips-1996-2002.mbox.xz"
MIMEKIT_MBOXES = [
    "content-length.mbox.txt",
    "issue1189.mbox.txt",
    "simple.mbox.txt",
    "unmunged.mbox.txt",
]

# 0-based positions in the linux-mips mbox (the corpus README names most of them).
DATE_OFFSET_3100 = 968
UTF7_LABEL = 1520
HTML_ONLY = 2394
GROUP_SYNTAX_TO = 3473
X_UNKNOWN = 3761
YEAR_1979 = 5482
UNKNOWN_8BIT = 5513
DEFAULT_CHARSET = 7397
RAW_8BIT_SUBJECT = 8300
ISO_2022_JP_SUBJECT = 8981
LATIN1_Q_SUBJECT = 9599
GB2312 = 10239
YEAR_0102 = 10506
YEAR_0102_AGAIN = 10625
GERMAN_DATE = 10719
X_USER_DEFINED = 11060
X_GBK = 11233
MIPS_INDICES = sorted(
    {
        *(DATE_OFFSET_3100, UTF7_LABEL, HTML_ONLY, GROUP_SYNTAX_TO, X_UNKNOWN, YEAR_1979),
        *(UNKNOWN_8BIT, DEFAULT_CHARSET, RAW_8BIT_SUBJECT, ISO_2022_JP_SUBJECT),
        *(LATIN1_Q_SUBJECT, GB2312, YEAR_0102, YEAR_0102_AGAIN, GERMAN_DATE),
        *(X_USER_DEFINED, X_GBK),
    }
)

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _mail(text: str) -> bytes:
    """A message written as an indented literal in a test: dedented, UTF-8."""
    return textwrap.dedent(text).lstrip("\n").encode("utf-8")


def _with_body(headers: str, body: bytes) -> bytes:
    return _mail(headers).rstrip(b"\n") + b"\n\n" + body


def _is_storable(text: str) -> bool:
    """What a database column takes: no NUL, valid UTF-8 (no lone surrogates), NFC."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text and unicodedata.is_normalized("NFC", text)


@pytest.fixture(scope="module")
def linux_mips(mail_corpus: Path) -> dict[int, bytes]:
    """The raw bytes of the MIPS_INDICES messages, read in one streaming pass."""
    wanted = set(MIPS_INDICES)
    found: dict[int, bytes] = {}
    with open_archive(mail_corpus / LINUX_MIPS) as stream:
        for index, raw in enumerate(iter_messages(stream)):
            if index in wanted:
                found[index] = raw
            if index >= MIPS_INDICES[-1]:
                break
    assert sorted(found) == MIPS_INDICES
    return found


# --- the whole corpus ------------------------------------------------------------------------


def test_every_corpus_message_parses_to_an_id_storable_text_and_sound_attachments(
    corpus_message: Path,
) -> None:
    raw = corpus_message.read_bytes()
    parsed = parse_message(raw)
    assert parsed.message_id
    assert parsed.message_id == "".join(parsed.message_id.split())
    assert not parsed.message_id.startswith("<")
    for value in (parsed.subject, parsed.from_name, parsed.html or "", *parsed.defects):
        assert _is_storable(value)
    for attachment in parsed.attachments:
        assert attachment.filename
        assert "/" not in attachment.filename
        assert "\\" not in attachment.filename
        assert not CONTROL_CHARACTERS.search(attachment.filename)
        assert re.fullmatch(
            r"[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*", attachment.content_type
        )
        assert attachment.size == len(attachment.data)
        assert attachment.sha256 == hashlib.sha256(attachment.data).hexdigest()
    assert _is_storable(parsed.text)


@pytest.mark.parametrize("name", MIMEKIT_MBOXES)
def test_every_message_of_the_mimekit_mbox_files_parses(mail_corpus: Path, name: str) -> None:
    with open_archive(mail_corpus / "edge" / "mimekit" / name) as stream:
        parsed = [parse_message(raw) for raw in iter_messages(stream)]
    assert parsed
    assert all(p.message_id for p in parsed)
    assert all(_is_storable(p.text) for p in parsed)
    # Every piece that has a From header was read as mail, not as unparseable bytes.
    assert all(not p.flagged for p in parsed if p.from_email)
    assert any(p.subject and p.from_email for p in parsed)


def test_the_mimekit_mbox_messages_keep_their_subjects_and_dates(mail_corpus: Path) -> None:
    with open_archive(mail_corpus / "edge" / "mimekit" / "issue1189.mbox.txt") as stream:
        parsed = [parse_message(raw) for raw in iter_messages(stream)]
    assert [p.subject for p in parsed] == [f"Message {n}" for n in range(1, 5)]
    assert all(p.from_email == "sender@example.com" for p in parsed)
    dates = [p.date for p in parsed if p.date is not None]
    assert len(dates) == 4
    assert dates == sorted(dates)


def test_a_deeply_nested_mime_tree_is_kept_as_text_with_a_defect() -> None:
    depth = 3000
    nesting = b"".join(
        b"Content-Type: multipart/mixed; boundary=b%d\n\n--b%d\n" % (i, i) for i in range(depth)
    )
    raw = b"Message-ID: <deep@example.org>\n" + nesting + b"Content-Type: text/plain\n\nleaf\n"
    parsed = parse_message(raw)
    assert parsed.message_id == "deep@example.org"
    assert not parsed.flagged
    assert any("nested too deeply" in defect for defect in parsed.defects)


# --- pathological linux-mips messages ---------------------------------------------------------


@pytest.mark.parametrize("index", MIPS_INDICES)
def test_pathological_list_messages_are_read_as_mail(
    linux_mips: dict[int, bytes], index: int
) -> None:
    parsed = parse_message(linux_mips[index])
    assert not parsed.flagged
    assert not parsed.synthetic_id
    assert parsed.subject
    assert "@" in parsed.from_email
    assert parsed.text
    assert _is_storable(parsed.text)


def test_a_group_syntax_to_header_does_not_stop_the_message_being_read(
    linux_mips: dict[int, bytes],
) -> None:
    # To:     unlisted-recipients:; (no To-header on input)
    parsed = parse_message(linux_mips[GROUP_SYNTAX_TO])
    assert b"unlisted-recipients:;" in linux_mips[GROUP_SYNTAX_TO]
    assert parsed.message_id == "Pine.GSO.3.96.991126110045.1942A-100000@blomman18.ce.chalmers.se"
    assert parsed.in_reply_to == "19991124142451.H30786@engr.sgi.com"
    assert parsed.subject == "X-Window Server"
    assert (parsed.from_name, parsed.from_email) == ("Fernando Cela Diaz", "fcela@ce.chalmers.se")
    assert parsed.date == datetime(1999, 11, 26, 10, 4, 58, tzinfo=UTC)
    assert parsed.text.startswith("Could anybody tell me the latest news about the X server")


@pytest.mark.parametrize(
    ("index", "label", "excerpt"),
    [
        (X_UNKNOWN, "x-unknown", "On Fri, 3 Mar 2000, Carlos Ernesto [iso-8859-1] López Natarén"),
        (UNKNOWN_8BIT, "unknown-8bit", "08:59PM ð penguin42/#mipslinux"),
        (X_USER_DEFINED, "x-user-defined", '"Maciej W. Rozycki" wrote:'),
        (DEFAULT_CHARSET, "default_charset", "Premium Vacation Package"),
    ],
)
def test_unknown_charset_labels_are_noted_and_the_text_is_still_read(
    linux_mips: dict[int, bytes], index: int, label: str, excerpt: str
) -> None:
    parsed = parse_message(linux_mips[index])
    assert excerpt in parsed.text
    assert any(f"unknown charset {label!r}" in defect for defect in parsed.defects)


def test_a_utf7_label_in_an_old_netscape_spelling_decodes_without_a_defect(
    linux_mips: dict[int, bytes],
) -> None:
    parsed = parse_message(linux_mips[UTF7_LABEL])
    assert b"charset=x-UNICODE-2-0-UTF-7" in linux_mips[UTF7_LABEL]
    assert "see http://www.cse.unsw.edu.au/~disy/L4/ for the MIPS version info" in parsed.text
    assert parsed.defects == ()


@pytest.mark.parametrize(
    ("index", "expected", "source", "note"),
    [
        (DATE_OFFSET_3100, datetime(1997, 9, 30, 18, 2, 51, tzinfo=UTC), "header", "bogus time"),
        (GERMAN_DATE, datetime(2002, 6, 13, 5, 3, 33, tzinfo=UTC), "header", None),
        # nonsense Date: the earliest trustworthy Received stamp stands in
        (YEAR_1979, datetime(2001, 1, 8, 20, 0, 13, tzinfo=UTC), "received", "implausible Date"),
        (YEAR_0102, datetime(2002, 5, 18, 10, 52, 55, tzinfo=UTC), "received", "implausible"),
        (YEAR_0102_AGAIN, datetime(2002, 5, 30, 23, 34, 16, tzinfo=UTC), "received", "implausible"),
    ],
)
def test_bad_dates_are_repaired_or_dropped_with_a_note(
    linux_mips: dict[int, bytes],
    index: int,
    expected: datetime | None,
    source: DateSource,
    note: str | None,
) -> None:
    parsed = parse_message(linux_mips[index])
    assert parsed.date == expected
    assert parsed.date_source == source
    if note is None:
        assert not any("Date" in defect for defect in parsed.defects)
    else:
        assert any(note in defect for defect in parsed.defects)


def test_windows_1252_text_labelled_us_ascii_keeps_its_german_letters(
    linux_mips: dict[int, bytes],
) -> None:
    parsed = parse_message(linux_mips[GERMAN_DATE])
    assert "Kostet nichts - außer ein bißchen Zeit" in parsed.text
    assert "8-bit text labelled us-ascii" in parsed.defects


def test_a_raw_8bit_subject_is_decoded_with_the_body_charset(
    linux_mips: dict[int, bytes],
) -> None:
    parsed = parse_message(linux_mips[RAW_8BIT_SUBJECT])
    assert (
        b"Subject: La Quatri\xe8me Guerre Mondiale a commenc\xe9!" in linux_mips[RAW_8BIT_SUBJECT]
    )
    assert parsed.subject == "La Quatrième Guerre Mondiale a commencé!"


@pytest.mark.parametrize(
    ("index", "subject"),
    [
        (ISO_2022_JP_SUBJECT, "ご提携の件"),
        (GB2312, "配件批发商"),
        (LATIN1_Q_SUBJECT, "help for linux"),
    ],
)
def test_encoded_word_subjects_from_the_list_are_decoded(
    linux_mips: dict[int, bytes], index: int, subject: str
) -> None:
    assert parse_message(linux_mips[index]).subject == subject


def test_a_gb2312_body_from_the_list_is_decoded(linux_mips: dict[int, bytes]) -> None:
    parsed = parse_message(linux_mips[GB2312])
    assert "台湾鑫达贸易公司驻厦门办事处" in parsed.text
    assert not any("charset" in defect for defect in parsed.defects)


@pytest.mark.parametrize(
    ("index", "excerpt"),
    [
        (HTML_ONLY, "Main memory size: 256 Mbytes\nIntegral Ethernet: ec0, version 1"),
        (RAW_8BIT_SUBJECT, "Le 11 septembre 2001, le monde a changé pour toujours"),
    ],
)
def test_html_only_list_mail_gets_text_made_from_its_html(
    linux_mips: dict[int, bytes], index: int, excerpt: str
) -> None:
    parsed = parse_message(linux_mips[index])
    assert excerpt in parsed.text
    assert "<br>" not in parsed.text
    assert "&nbsp;" not in parsed.text
    assert parsed.html is not None
    assert "<br>" in parsed.html or "<p" in parsed.html


def test_remote_images_in_html_list_mail_become_placeholders(
    linux_mips: dict[int, bytes],
) -> None:
    html = parse_message(linux_mips[RAW_8BIT_SUBJECT]).html
    assert html is not None
    assert b"<img" in linux_mips[RAW_8BIT_SUBJECT].lower()
    assert "<img" not in html
    assert "[image]" in html


# --- encoded words, Vietnamese, Chinese, undeclared 8-bit -------------------------------------


@pytest.mark.parametrize(
    ("header", "subject"),
    [
        ("=?utf-8?q?Caf=C3=A9?= =?utf-8?q?_au_lait?=", "Café au lait"),
        ("Re: =?ISO-8859-1?Q?Gr=FC=DFe?= aus =?iso-8859-1?q?M=FCnchen?=", "Re: Grüße aus München"),
        ("=?utf-8?B?VHLGsOG7nW5nIFRp4buDdSBo4buNYw==?=", "Trường Tiểu học"),
        ("=?utf-8?q?Xin_ch=C3=A0o?=\n =?utf-8?q?_c=C3=A1c_b=E1=BA=A1n?=", "Xin chào các bạn"),
        # One character split over two encoded words, as some senders do.
        ("=?utf-8?B?4bq=?= =?utf-8?B?oQ==?=", "ạ"),
        ("=?windows-1258?Q?Ph=FA_L=FDu_An?=", "Phú Lưu An"),
        ("=?koi8-r?B?8NLJ18XU?=", "Привет"),
        ("[list]   folded\n\tacross   lines", "[list] folded across lines"),
    ],
)
def test_rfc2047_subjects_are_decoded_and_whitespace_collapsed(header: str, subject: str) -> None:
    raw = _with_body(f"Message-ID: <s@example.org>\nSubject: {header}\n", b"body\n")
    parsed = parse_message(raw)
    assert parsed.subject == subject
    assert not any("charset" in defect for defect in parsed.defects)


def test_a_utf8_encoded_vietnamese_sender_name_is_decoded(mail_corpus: Path) -> None:
    raw = (mail_corpus / "vietnamese" / "usrp-users-003749.eml").read_bytes()
    parsed = parse_message(raw)
    assert b"From: =?utf-8?b?xJDDrG5oIFR14bqlbiBIb8OgbmcgdmlhIFVTUlAtdXNlcnM=?=" in raw
    assert parsed.from_name == "Đình Tuấn Hoàng via USRP-users"
    assert parsed.from_email == "usrp-users@lists.ettus.com"


def test_outlook_mail_labelled_windows_1258_parses_cleanly(mail_corpus: Path) -> None:
    parsed = parse_message((mail_corpus / "vietnamese" / "linux-usb-017390.eml").read_bytes())
    assert parsed.message_id == "57401AF3-9961-461F-95E1-F8AFC2105F5E@silabs.com"
    assert parsed.subject == (
        "[PATCH v3 1/2] USB: serial: cp210x: Enable usb generic throttle/unthrottle"
    )
    assert (parsed.from_name, parsed.from_email) == ("Phu Luu", "Phu.Luu@silabs.com")
    assert parsed.date == datetime(2020, 6, 26, 4, 22, 58, tzinfo=UTC)
    assert parsed.text.startswith("From: Brant Merryman <brant.merryman@silabs.com>")
    assert ".throttle\t\t= usb_serial_generic_throttle," in parsed.text
    assert parsed.defects == ()


def test_the_windows_1258_name_decodes_to_the_nfc_spelling_of_the_utf8_replies(
    mail_corpus: Path,
) -> None:
    raw = (mail_corpus / "vietnamese" / "linux-usb-017390.eml").read_bytes()
    word = re.search(rb"=\?windows-1258\?Q\?[^?]*\?=", raw)
    assert word is not None
    old_from = b"From:   Phu Luu <Phu.Luu@silabs.com>"
    assert old_from in raw
    parsed = parse_message(raw.replace(old_from, b"From: " + word.group(0) + b" <a@b.vn>", 1))
    reply = parse_message((mail_corpus / "vietnamese" / "linux-usb-020131.eml").read_bytes())
    assert parsed.from_name == "Phú Lưu An"
    assert unicodedata.is_normalized("NFC", parsed.from_name)
    assert f"{parsed.from_name} wrote:" in reply.text


def test_a_windows_1258_body_with_combining_tone_marks_becomes_nfc(mail_corpus: Path) -> None:
    raw = (mail_corpus / "vietnamese" / "linux-usb-017390.eml").read_bytes()
    headers = raw.split(b"\n\n", 1)[0]
    assert b'charset="windows-1258"' in headers
    # In windows-1258 "ệ" is e-circumflex (0xEA) followed by a combining dot below (0xF2).
    body = b"Ch=E0o Ph=FA L=FDu An, Vi=EA=F2t Nam.\n"
    parsed = parse_message(headers + b"\n\n" + body)
    assert parsed.text == "Chào Phú Lưu An, Việt Nam."
    assert unicodedata.is_normalized("NFC", parsed.text)


def test_nfd_vietnamese_in_headers_and_body_becomes_nfc() -> None:
    words = "Tiếng Việt có dấu, Phú Lưu An"
    nfd = unicodedata.normalize("NFD", words)
    assert nfd != words
    raw = _with_body(
        f"""
        Message-ID: <nfd@example.org>
        From: {unicodedata.normalize("NFD", "Phú Lưu An")} <an@example.vn>
        Subject: {nfd}
        Content-Type: text/plain; charset=utf-8
        """,
        nfd.encode("utf-8"),
    )
    parsed = parse_message(raw)
    assert (parsed.subject, parsed.from_name, parsed.text) == (words, "Phú Lưu An", words)


def test_a_gb2312_body_is_decoded() -> None:
    text = "你好，这是一封中文邮件。谢谢！"
    raw = _with_body(
        "Message-ID: <gb@example.cn>\nContent-Type: text/plain; charset=gb2312\n",
        text.encode("gb2312"),
    )
    parsed = parse_message(raw)
    assert parsed.text == text
    assert parsed.defects == ("no Date header",)


@pytest.mark.parametrize(
    ("content_type", "body", "text", "note"),
    [
        (None, "Greetings from Gütersloh".encode("cp1252"), "Greetings from Gütersloh", "cp1252"),
        (None, "Xin chào, Đình Tuấn Hoàng".encode(), "Xin chào, Đình Tuấn Hoàng", None),
        ("text/plain", "Cảm ơn bạn".encode(), "Cảm ơn bạn", None),
        ("text/plain; charset=iso-8859-1", b"\x93quoted\x94 caf\xe9", "“quoted” café", None),
        ("text/plain; charset=us-ascii", "Xin chào".encode(), "Xin chào", "was UTF-8"),
    ],
)
def test_undeclared_or_mislabelled_8bit_text_is_read_as_meant(
    content_type: str | None, body: bytes, text: str, note: str | None
) -> None:
    headers = "Message-ID: <8bit@example.org>\nDate: Mon, 1 Jun 2020 10:00:00 +0000\n"
    if content_type is not None:
        headers += f"Content-Type: {content_type}\n"
    parsed = parse_message(_with_body(headers, body))
    assert parsed.text == text
    if note is None:
        assert parsed.defects == ()
    else:
        assert any(note in defect for defect in parsed.defects)


def test_a_raw_utf8_subject_wins_over_a_latin1_body_label() -> None:
    headers = (
        "Message-ID: <u@x.org>\nSubject: Trường học\nContent-Type: text/plain; charset=latin1\n"
    )
    raw = _with_body(headers, b"caf\xe9\n")
    assert "Trường học".encode() in raw
    parsed = parse_message(raw)
    assert parsed.subject == "Trường học"
    assert parsed.text == "café"


# --- HTML -------------------------------------------------------------------------------------

HOSTILE_HTML = _mail(
    """
    From: Alice <alice@example.org>
    Message-ID: <html@example.org>
    Subject: html only
    MIME-Version: 1.0
    Content-Type: text/html; charset=utf-8

    <html><head><title>Title</title><style>p {color: red}</style>
    <script>alert("head")</script></head>
    <body onload="steal()">
    <p onclick="steal()">Hello <b>world</b></p>
    <a href="javascript:alert(1)">bad link</a> <a href="https://example.org/">good link</a>
    <img src="http://tracker.example/pixel.gif" alt="logo">
    <img src="https://tracker.example/x.gif" onerror="alert(2)">
    <img src="cid:part1@example.org" onerror="alert(3)">
    <blockquote>quoted line</blockquote>
    <iframe src="https://evil.example/"></iframe>
    <div style="background: url(http://tracker.example/bg.png); color: red">styled</div>
    <script>alert("body")</script>
    </body></html>
    """
)


def test_html_only_mail_gets_readable_text_made_from_the_html() -> None:
    parsed = parse_message(HOSTILE_HTML)
    assert parsed.text.startswith("Hello world\n\nbad link good link <https://example.org/>")
    assert "> quoted line" in parsed.text
    assert "styled" in parsed.text
    for hidden in ("alert", "Title", "color: red", "<p", "<b>", "<img"):
        assert hidden not in parsed.text


def test_html_only_mail_keeps_sanitised_html_without_scripts_handlers_or_remote_loads() -> None:
    html = parse_message(HOSTILE_HTML).html
    assert html is not None
    assert "<b>world</b>" in html
    assert '<a href="https://example.org/"' in html
    assert "<blockquote>quoted line</blockquote>" in html
    assert '<img src="cid:part1@example.org">' in html
    assert "[image: logo]" in html
    assert "<script" not in html
    assert "alert" not in html
    assert "<iframe" not in html
    assert "javascript:" not in html
    assert not re.search(r"\son\w+\s*=", html)
    assert not re.search(r"<img[^>]+src=[\"']?(https?:)?//", html)
    assert "url(" not in html


# --- MIME structure and attachments -----------------------------------------------------------

ALTERNATIVE = _mail(
    """
    From: a@example.org
    Message-ID: <alt@example.org>
    Subject: alternative
    MIME-Version: 1.0
    Content-Type: multipart/alternative; boundary="b1"

    --b1
    Content-Type: text/html; charset=utf-8

    <p>The <b>HTML</b> version</p>
    --b1
    Content-Type: text/plain; charset=utf-8

    The plain version
    --b1--
    """
)


def test_multipart_alternative_takes_the_plain_text_part_even_when_html_comes_first() -> None:
    parsed = parse_message(ALTERNATIVE)
    assert parsed.text == "The plain version"
    assert parsed.attachments == ()


def test_a_list_footer_after_an_alternative_is_kept_and_a_forwarded_mail_is_attached() -> None:
    raw = _mail(
        """
        Message-ID: <nested@example.org>
        Content-Type: multipart/mixed; boundary=outer

        --outer
        Content-Type: multipart/alternative; boundary=inner

        --inner
        Content-Type: text/plain

        Plain body
        --inner
        Content-Type: text/html

        <p>Html body</p>
        --inner--
        --outer
        Content-Type: text/plain

        List footer
        --outer
        Content-Type: message/rfc822

        Message-ID: <forwarded@example.org>
        Subject: forwarded

        Forwarded body
        --outer--
        """
    )
    parsed = parse_message(raw)
    assert parsed.text == "Plain body\n\nList footer"
    [forwarded] = parsed.attachments
    assert forwarded.filename == "forwarded-message-1.eml"
    assert forwarded.content_type == "message/rfc822"
    assert parse_message(forwarded.data).message_id == "forwarded@example.org"


def test_an_empty_plain_alternative_does_not_hide_the_html_text() -> None:
    raw = _mail(
        """
        Message-ID: <empty-plain@example.org>
        Content-Type: multipart/alternative; boundary=b

        --b
        Content-Type: text/plain; charset=utf-8


        --b
        Content-Type: text/html; charset=utf-8

        <p>Only the HTML part has words</p>
        --b--
        """
    )
    assert parse_message(raw).text == "Only the HTML part has words"


ATTACHMENTS = _mail(
    """
    From: a@example.org
    Message-ID: <att@example.org>
    Subject: attachments
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="b1"

    --b1
    Content-Type: text/plain; charset=utf-8

    See attached.
    --b1
    Content-Type: application/pdf; name="report.pdf"
    Content-Disposition: attachment; filename="../../etc/passwd"
    Content-Transfer-Encoding: base64

    JVBERi0xLjQKJcfsj6IK
    --b1
    Content-Type: text/plain; charset=utf-8
    Content-Disposition: attachment; filename*=utf-8''invoice%E2%80%AEfdp.exe

    not really a program
    --b1
    Content-Type: image/png
    Content-Disposition: attachment; filename="=?utf-8?B?Li4vLi4vZXRjL3NoYWRvdw==?="

    PNG
    --b1
    Content-Type: application/octet-stream
    Content-Disposition: attachment; filename=""

    xx
    --b1
    Content-Type: application/octet-stream
    Content-Disposition: attachment; filename*=utf-8''bad%01name%07.bin

    yy
    --b1
    Content-Type: image/jpeg
    Content-ID: <photo@example.org>

    jpeg bytes
    --b1--
    """
)


def test_attachments_get_safe_names_types_sizes_and_digests() -> None:
    parsed = parse_message(ATTACHMENTS)
    assert parsed.text == "See attached."
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("passwd", "application/pdf"),
        ("invoicefdp.exe", "text/plain"),
        ("shadow", "image/png"),
        ("attachment-4.bin", "application/octet-stream"),
        ("badname.bin", "application/octet-stream"),
        ("attachment-6.jpg", "image/jpeg"),
    ]
    pdf = parsed.attachments[0]
    assert pdf.data == b"%PDF-1.4\n%\xc7\xec\x8f\xa2\n"
    for attachment in parsed.attachments:
        assert attachment.size == len(attachment.data)
        assert attachment.sha256 == hashlib.sha256(attachment.data).hexdigest()


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\system32\\evil.dll", "evil.dll"),
        ("C:\\Users\\me\\Desktop\\notes.txt", "notes.txt"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("\u2066report\u2069\u200f.pdf", "report.pdf"),
        ("a\x00b\x07c\x1b.txt", "abc.txt"),
        ("line\r\nbreak.txt", "linebreak.txt"),
        ("  spaced name.txt  ", "spaced name.txt"),
        (unicodedata.normalize("NFD", "hồ sơ.pdf"), "hồ sơ.pdf"),
        ("", "attachment-3.pdf"),
        (None, "attachment-3.pdf"),
        ("   ", "attachment-3.pdf"),
        ("..", "attachment-3.pdf"),
        ("/", "attachment-3.pdf"),
        ("\u202e\x00", "attachment-3.pdf"),
    ],
)
def test_hostile_attachment_names_become_safe_names(name: str | None, safe: str) -> None:
    assert safe_filename(name, "application/pdf", 3) == safe


def test_an_unnamed_attachment_is_named_after_its_content_type() -> None:
    assert safe_filename("", "image/png", 2) == "attachment-2.png"
    assert safe_filename(None, "application/x-made-up", 7) == "attachment-7.bin"


def test_overlong_attachment_names_are_cut_but_keep_their_extension() -> None:
    cut = safe_filename("x" * 300 + ".pdf", "application/pdf", 1)
    assert len(cut) == 200
    assert cut.endswith("x.pdf")
    assert len(safe_filename("y" * 300, "application/pdf", 1)) == 200


# --- Message-IDs ------------------------------------------------------------------------------

NO_ID = b"From: a@example.org\nSubject: no id\nDate: Mon, 1 Jun 2020 10:00:00 +0000\n\nbody\n"


def test_mail_without_a_message_id_gets_a_stable_synthetic_one() -> None:
    first, again = parse_message(NO_ID), parse_message(bytes(NO_ID))
    other = parse_message(NO_ID.replace(b"body", b"other body"))
    assert first.synthetic_id
    assert first.message_id == again.message_id == synthetic_message_id(NO_ID)
    assert first.message_id_hash == again.message_id_hash
    assert first.message_id.endswith("@synthetic.invalid")
    assert other.synthetic_id
    assert other.message_id != first.message_id
    assert any("synthetic" in defect for defect in first.defects)


@pytest.mark.parametrize(
    "header",
    ["Message-ID:\n", "Message-ID:    \n", "Message-ID: <" + "a" * 1200 + "@example.org>\n"],
)
def test_a_blank_or_overlong_message_id_is_replaced_by_a_synthetic_one(header: str) -> None:
    raw = header.encode() + NO_ID
    parsed = parse_message(raw)
    assert parsed.synthetic_id
    assert parsed.message_id == synthetic_message_id(raw)


def test_an_empty_bracketed_message_id_is_replaced_by_a_synthetic_one() -> None:
    first = parse_message(b"Message-ID: <>\n" + NO_ID)
    second = parse_message(b"Message-ID: <>\n" + NO_ID.replace(b"body", b"another"))
    assert first.synthetic_id
    assert first.message_id != second.message_id


def test_a_message_id_loses_its_brackets_and_folding_whitespace() -> None:
    parsed = parse_message(b"Message-ID:\n <abc.123@Example.ORG> (added by postmaster)\n" + NO_ID)
    assert parsed.message_id == "abc.123@Example.ORG"
    assert not parsed.synthetic_id


# --- garbage ----------------------------------------------------------------------------------


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff" * 100,
        b"\n\n\n",
        b"hello world",
        b"\xff\xfe" + "Subject: utf-16".encode("utf-16-le"),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        _random_bytes(1, 64),
        _random_bytes(2, 4096),
        _random_bytes(3, 100_000),
    ],
    ids=[
        "empty",
        "nul-ff",
        "newlines",
        "words",
        "utf16",
        "png",
        "random64",
        "random4k",
        "random100k",
    ],
)
def test_bytes_that_are_not_mail_give_a_flagged_message_with_defects(raw: bytes) -> None:
    parsed = parse_message(raw)
    assert isinstance(parsed, ParsedMessage)
    assert parsed.flagged
    assert parsed.defects
    assert parsed.synthetic_id
    assert parsed.message_id == synthetic_message_id(raw)


def test_corrupting_bytes_of_a_real_message_never_makes_parsing_raise(mail_corpus: Path) -> None:
    original = (mail_corpus / "vietnamese" / "usrp-users-003760.eml").read_bytes()
    rng = random.Random(20)
    for _ in range(150):
        damaged = bytearray(original)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = rng.randrange(len(damaged) + 1)
        parsed = parse_message(bytes(damaged[:cut]))
        assert parsed.message_id


# --- In-Reply-To and References ---------------------------------------------------------------


def _ids(headers: str) -> ParsedMessage:
    return parse_message(_with_body(headers, b"body\n"))


def test_references_keep_their_order_once_each_without_the_message_itself() -> None:
    parsed = _ids(
        """
        Message-ID: <self@example.org>
        In-Reply-To: <b@example.org>
        References: <root@example.org> <self@example.org>
         <a@example.org>
        \t<root@example.org> <b@example.org>
        """
    )
    assert parsed.references == ("root@example.org", "a@example.org", "b@example.org")
    assert parsed.in_reply_to == "b@example.org"


def test_a_message_that_names_itself_in_in_reply_to_is_not_its_own_reply() -> None:
    parsed = _ids("Message-ID: <self@example.org>\nIn-Reply-To: <self@example.org>\n")
    assert parsed.in_reply_to is None
    assert parsed.references == ()


def test_in_reply_to_skips_the_message_itself_and_keeps_the_parent() -> None:
    parsed = _ids(
        "Message-ID: <self@example.org>\nIn-Reply-To: <self@example.org> <parent@example.org>\n"
    )
    assert parsed.in_reply_to == "parent@example.org"


@pytest.mark.parametrize(
    ("header", "parent"),
    [
        ("<parent@example.org>", "parent@example.org"),
        ("parent@example.org", "parent@example.org"),
        ('Your message of "Mon, 1 Jun 2020" <parent@example.org>', "parent@example.org"),
        (
            "Message from Ann <ann@example.org> of Mon, 1 Jun 2020 <parent@example.org>",
            "parent@example.org",
        ),
        ("<parent@example.org", "parent@example.org"),
    ],
)
def test_the_parent_is_found_in_in_reply_to_headers_of_many_shapes(
    header: str, parent: str
) -> None:
    parsed = _ids(f"Message-ID: <self@example.org>\nIn-Reply-To: {header}\n")
    assert parsed.in_reply_to == parent


def test_a_huge_references_header_keeps_the_root_and_the_latest_ids() -> None:
    refs = " ".join(f"<r{i}@example.org>" for i in range(300))
    parsed = _ids(f"Message-ID: <self@example.org>\nReferences: {refs}\n")
    assert len(parsed.references) == 100
    assert parsed.references[0] == "r0@example.org"
    assert parsed.references[1] == "r201@example.org"
    assert parsed.references[-1] == "r299@example.org"


def test_a_real_reply_points_at_the_patch_it_answers(mail_corpus: Path) -> None:
    folder = mail_corpus / "vietnamese"
    patch = parse_message((folder / "linux-usb-017390.eml").read_bytes())
    reply = parse_message((folder / "linux-usb-017401.eml").read_bytes())
    assert reply.in_reply_to == patch.message_id
    assert reply.references == (patch.message_id,)
    assert reply.subject == f"Re: {patch.subject}"


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Mon, 1 Jun 2020 10:00:00 +0700", datetime(2020, 6, 1, 3, 0, tzinfo=UTC)),
        ("1 Jun 2020 10:00 -0230", datetime(2020, 6, 1, 12, 30, tzinfo=UTC)),
        ("Mon, 1 Jun 98 10:00:00 GMT", datetime(1998, 6, 1, 10, 0, tzinfo=UTC)),
        ("Thu, 1 Jan 2099 00:00:00 +0000", None),
        ("yesterday at noon", None),
    ],
)
def test_dates_come_out_as_aware_utc_or_none(header: str, expected: datetime | None) -> None:
    parsed = _ids(f"Message-ID: <d@example.org>\nDate: {header}\n")
    assert parsed.date == expected
    if expected is None:
        assert parsed.defects


def test_a_missing_date_falls_back_to_resent_date() -> None:
    parsed = _ids(
        "Message-ID: <d@example.org>\nDate: garbage\nResent-Date: Tue, 2 Jun 2020 10:00:00 +0000\n"
    )
    assert parsed.date == datetime(2020, 6, 2, 10, 0, tzinfo=UTC)
    assert any("Resent-Date" in defect for defect in parsed.defects)
