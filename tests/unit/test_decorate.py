"""The delivered copy: list headers, subject prefix, footer per MIME shape, DMARC From
rewriting and per-recipient headers, checked on real corpus mail parsed back by the stdlib."""

from __future__ import annotations

import base64
import quopri
import re
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import Message
from email.utils import getaddresses, parseaddr
from pathlib import Path

import pytest

from forum.mail.decorate import ListIdentity, decorate, prefixed_subject, with_headers

FOOTER = "Diễn đàn THPT — Sở GD&ĐT\nRời nhóm: https://forum.example/lists/thpt/"
LIST = ListIdentity(
    name="thpt",
    domain="moet.example",
    display_name="Trung học phổ thông",
    base_url="https://forum.example",
    subject_prefix="[THPT]",
    footer=FOOTER,
)
BARE = ListIdentity("thpt", "moet.example", "Trung học phổ thông", "https://forum.example")
ARCHIVED = "https://forum.example/lists/thpt/message/ABC123/"
LIST_HEADERS = {
    "List-Id": "Trung học phổ thông <thpt.moet.example>",
    "List-Post": "<mailto:thpt@moet.example>",
    "List-Help": "<mailto:thpt-request@moet.example?subject=help>",
    "List-Subscribe": "<mailto:thpt-join@moet.example>, <https://forum.example/lists/thpt/>",
    "List-Archive": "<https://forum.example/lists/thpt/>",
    "Archived-At": f"<{ARCHIVED}>",
    "Precedence": "list",
    "X-Loop": "thpt@moet.example",
}
CORPUS_SAMPLES = [
    "vietnamese/usrp-users-003749.eml",  # Mailman 2 list mail: List-*, Precedence, munged From
    "vietnamese/linux-usb-017390.eml",  # windows-1258 quoted-printable text
    "vietnamese/linux-usb-020131.eml",  # utf-8 8bit text
    "edge/cpython-test_email/msg_33.txt",  # multipart/signed, Precedence: bulk, X-Loop
    "edge/cpython-test_email/msg_41.txt",  # multipart/alternative
    "edge/mailman3/handlers__msg_rfc822.eml",
    "edge/hyperkitty/non-ascii-headers.txt",
]


def parsed(raw: bytes) -> Message:
    return message_from_bytes(raw, policy=policy.compat32)


def text_of(value: str) -> str:
    """A header value as a reader sees it: encoded words decoded, folding undone."""
    return str(make_header(decode_header(value))).replace("\r\n", "").replace("\n", "")


def parts_of(mail: Message) -> list[Message]:
    parts = mail.get_payload()
    assert isinstance(parts, list)
    return [part for part in parts if isinstance(part, Message)]


def head_and_body(raw: bytes) -> tuple[bytes, bytes]:
    match = re.search(rb"\r?\n\r?\n", raw)
    assert match is not None
    return raw[: match.start()], raw[match.end() :]


def message(
    *,
    subject: str = "Thông báo họp",
    body: bytes = "Kính gửi các trường.\n".encode(),
    content: str = "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n",
    extra: str = "",
) -> bytes:
    head = (
        "From: Nguyễn Văn An <an@truong.edu.vn>\n"
        "To: thpt@moet.example\n"
        f"Subject: {subject}\n"
        "Message-ID: <m1@truong.edu.vn>\n"
        "MIME-Version: 1.0\n"
        f"{content}{extra}\n"
    )
    return head.encode("utf-8") + body


def corpus_mail(corpus: Path, name: str) -> bytes:
    return (corpus / name).read_bytes()


# List headers


@pytest.mark.parametrize("name", CORPUS_SAMPLES)
def test_list_headers_are_present_exactly_once(corpus: Path, name: str) -> None:
    out = parsed(decorate(corpus_mail(corpus, name), LIST, archived_url=ARCHIVED, munge_from=True))
    for header, expected in LIST_HEADERS.items():
        values = out.get_all(header) or []
        assert len(values) == 1, header
        assert text_of(values[0]) == expected


def test_upstream_list_headers_are_replaced_not_kept(corpus: Path) -> None:
    raw = corpus_mail(corpus, "vietnamese/usrp-users-003749.eml")
    assert b"List-Unsubscribe:" in raw
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    assert b"lists.ettus.com/mailman" not in head_and_body(out)[0]
    assert b"List-Unsubscribe" not in out
    assert parsed(out).get_all("Archived-At") is None


def test_forged_loop_and_precedence_headers_are_replaced(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/cpython-test_email/msg_33.txt")
    assert b"X-Loop: FreeBSD.org" in raw
    assert b"Precedence: bulk" in raw
    out = parsed(decorate(raw, BARE, archived_url=None, munge_from=False))
    assert out.get_all("X-Loop") == ["thpt@moet.example"]
    assert out.get_all("Precedence") == ["list"]


def test_forged_list_headers_in_any_case_are_removed() -> None:
    raw = message(extra="list-id: <evil.example>\nLIST-POST: <mailto:x@evil.example>\n")
    out = parsed(decorate(raw, BARE, archived_url=None, munge_from=False))
    assert out.get_all("List-Id") is not None
    assert len(out.get_all("List-Id") or []) == 1
    assert "evil" not in str(out.get_all("List-Post"))


def test_list_unsubscribe_is_left_to_send_time() -> None:
    out = decorate(message(), LIST, archived_url=ARCHIVED, munge_from=False)
    assert b"List-Unsubscribe" not in out


def test_list_id_display_name_is_encoded_and_header_block_is_ascii() -> None:
    out = decorate(message(subject="x"), BARE, archived_url=None, munge_from=False)
    list_id = re.search(rb"^List-Id: (.*)$", out, re.MULTILINE)
    assert list_id is not None
    assert list_id.group(1).startswith(b"=?utf-8?b?")
    assert list_id.group(1).endswith(b" <thpt.moet.example>")
    added = out.partition(b"List-Id:")[2].partition(b"\n\n")[0]
    assert added.isascii()


def test_ascii_display_name_is_quoted() -> None:
    lst = ListIdentity("phong", "moet.example", "Phong, GD", "https://forum.example")
    out = parsed(decorate(message(), lst, archived_url=None, munge_from=False))
    assert out["List-Id"] == '"Phong, GD" <phong.moet.example>'


def test_other_headers_and_the_body_stay_byte_identical(corpus: Path) -> None:
    raw = corpus_mail(corpus, "vietnamese/usrp-users-003749.eml")
    out = decorate(raw, BARE, archived_url=ARCHIVED, munge_from=False)
    raw_head, raw_body = head_and_body(raw)
    out_head, out_body = head_and_body(out)
    assert out_body == raw_body
    kept = [
        f for f in re.split(rb"\n(?=\S)", raw_head) if not re.match(rb"(?i)(list-|precedence)", f)
    ]
    assert out_head.startswith(b"\n".join(kept))


def test_crlf_mail_gets_crlf_headers(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/cpython-test_email/msg_45.txt").replace(b"\n", b"\r\n")
    out = decorate(raw, LIST, archived_url=ARCHIVED, munge_from=True)
    assert re.search(rb"[^\r]\n", out) is None
    assert parsed(out)["List-Post"] == "<mailto:thpt@moet.example>"


# Subject prefix


@pytest.mark.parametrize(
    ("subject", "expected"),
    [
        ("Thông báo họp", "[THPT] Thông báo họp"),
        ("Re: [THPT] Thông báo họp", "[THPT] Re: Thông báo họp"),
        ("[THPT] Re: Thông báo họp", "[THPT] Re: Thông báo họp"),
        ("[thpt] lịch thi", "[THPT] lịch thi"),
        ("Re: [THPT] Re: [THPT] x", "[THPT] Re: Re: x"),
        ("[THPT]x", "[THPT] x"),
        ("Fwd: [THPT]  hello   world", "[THPT] Fwd: hello world"),
        ("[THPT]", "[THPT] (no subject)"),
        ("", "[THPT] (no subject)"),
        ("[THPTX] other list", "[THPT] [THPTX] other list"),
    ],
)
def test_prefixed_subject(subject: str, expected: str) -> None:
    assert prefixed_subject(subject, "[THPT]") == expected


VIETNAMESE_SUBJECTS = [
    # utf-8 base64, prefix inside the encoded word
    (
        "=?utf-8?b?" + base64.b64encode("Re: [THPT] Góp ý dự thảo".encode()).decode() + "?=",
        "[THPT] Re: Góp ý dự thảo",
    ),
    # prefix in ASCII, then a quoted-printable word
    ("[THPT] =?UTF-8?Q?Tr=E1=BA=A3_l=E1=BB=9Di?=", "[THPT] Trả lời"),
    ("Re: [THPT] =?UTF-8?Q?Tr=E1=BA=A3_l=E1=BB=9Di?=", "[THPT] Re: Trả lời"),
    # windows-1258 (Vietnamese Outlook), like the corpus's Cc header
    ("=?windows-1258?Q?Ph=FA_L=FDu_An?=", "[THPT] Phú Lưu An"),
    # a character split across two encoded words
    ("=?utf-8?b?xJA=?= =?utf-8?b?xINuZyBrw70=?=", "[THPT] Đăng ký"),
    # raw 8-bit UTF-8 in the header, as some web mailers send it
    ("Re: [THPT] Lịch công tác tuần", "[THPT] Re: Lịch công tác tuần"),
]


@pytest.mark.parametrize(("subject", "expected"), VIETNAMESE_SUBJECTS)
def test_encoded_vietnamese_subject_gets_one_prefix(subject: str, expected: str) -> None:
    out = decorate(message(subject=subject), LIST, archived_url=None, munge_from=False)
    subject_field = re.search(rb"^Subject:.*(?:\r?\n[ \t].*)*", out, re.MULTILINE)
    assert subject_field is not None
    assert subject_field.group(0).isascii()
    assert text_of(parsed(out)["Subject"]) == expected
    again = decorate(out, LIST, archived_url=None, munge_from=False)
    assert text_of(parsed(again)["Subject"]) == expected


def test_long_subject_is_folded_into_short_encoded_words() -> None:
    words = "Góp ý dự thảo Thông tư quy định chuẩn nghề nghiệp giáo viên cơ sở giáo dục phổ thông"
    out = decorate(
        message(subject=f"Re: {words} {words}"), LIST, archived_url=None, munge_from=False
    )
    field = re.search(rb"^Subject:.*(?:\n[ \t].*)*", out, re.MULTILINE)
    assert field is not None
    assert all(len(line) <= 78 for line in field.group(0).split(b"\n"))
    assert all(len(w) <= 75 for w in re.findall(rb"=\?[^ ]*\?=", field.group(0)))
    assert text_of(parsed(out)["Subject"]) == f"[THPT] Re: {words} {words}"


def test_subject_already_prefixed_keeps_its_bytes() -> None:
    raw = message(subject="[THPT] Re: lich thi")
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    assert b"\nSubject: [THPT] Re: lich thi\n" in out


def test_mailman_reply_subject_gets_our_prefix_first(corpus: Path) -> None:
    raw = corpus_mail(corpus, "vietnamese/usrp-users-003759.eml")
    out = parsed(decorate(raw, LIST, archived_url=None, munge_from=False))
    assert text_of(out["Subject"]) == (
        "[THPT] Re: [USRP-users] [RFNOC::BLOCK_FACTORY] Could not find block with Noc-ID"
    )


def test_missing_subject_gets_the_prefix() -> None:
    raw = message().replace("Subject: Thông báo họp\n".encode(), b"")
    assert parsed(decorate(raw, LIST, archived_url=None, munge_from=False))["Subject"] == (
        "[THPT] (no subject)"
    )


def test_without_prefix_the_subject_is_untouched() -> None:
    raw = message(subject="=?utf-8?q?Th=C3=B4ng_b=C3=A1o?=")
    assert b"Subject: =?utf-8?q?Th=C3=B4ng_b=C3=A1o?=\n" in decorate(
        raw, BARE, archived_url=None, munge_from=False
    )


# Footer, one test per MIME shape


def footer_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    return payload.decode(part.get_content_charset("us-ascii"))


def test_utf8_8bit_text_gets_the_footer_appended_and_keeps_its_bytes() -> None:
    body = "Kính gửi các trường,\nLịch họp tuần sau.\n".encode()
    out = decorate(message(body=body), LIST, archived_url=None, munge_from=False)
    out_body = head_and_body(out)[1]
    assert out_body.startswith(body)
    assert out_body.endswith(FOOTER.encode() + b"\n")
    assert parsed(out).get_content_type() == "text/plain"


def test_text_without_final_newline_gets_one_before_the_footer() -> None:
    out = decorate(message(body=b"no newline"), LIST, archived_url=None, munge_from=False)
    assert head_and_body(out)[1] == b"no newline\n" + FOOTER.encode() + b"\n"


def test_ascii_7bit_text_becomes_utf8_8bit_for_a_vietnamese_footer(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/cpython-test_email/msg_01.txt")
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    mail = parsed(out)
    assert mail.get_content_charset() == "utf-8"
    assert mail.get_all("Content-Transfer-Encoding") == ["8bit"]
    assert head_and_body(out)[1].startswith(head_and_body(raw)[1])
    assert footer_text(mail).endswith(FOOTER + "\n")


def test_ascii_footer_keeps_an_ascii_text_part_as_it_was_declared(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/cpython-test_email/msg_01.txt")
    lst = ListIdentity("thpt", "moet.example", "THPT", "https://f.example", footer="-- \nTHPT")
    mail = parsed(decorate(raw, lst, archived_url=None, munge_from=False))
    assert mail.get_content_charset() == "us-ascii"
    assert mail["Content-Transfer-Encoding"] == "7bit"
    assert footer_text(mail).endswith("\n-- \nTHPT\n")


@pytest.mark.parametrize("encoding", ["base64", "quoted-printable"])
def test_encoded_text_is_decoded_extended_and_re_encoded(encoding: str) -> None:
    text = "Kính gửi các trường. " * 10 + "\n"
    data = text.encode()
    body = base64.encodebytes(data) if encoding == "base64" else _qp(data)
    content = f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: {encoding}\n"
    out = decorate(message(body=body, content=content), LIST, archived_url=None, munge_from=False)
    mail = parsed(out)
    assert mail["Content-Transfer-Encoding"] == encoding
    assert footer_text(mail) == text + FOOTER + "\n"
    assert all(len(line) <= 76 for line in head_and_body(out)[1].splitlines())


def _qp(data: bytes) -> bytes:
    return quopri.encodestring(data)


def test_multipart_mixed_gets_a_last_part_and_keeps_the_others(corpus: Path) -> None:
    raw = corpus_mail(corpus, "vietnamese/usrp-users-003749.eml")
    before = parts_of(parsed(raw))
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    after = parts_of(parsed(out))
    assert len(after) == len(before) + 1
    assert [p.as_string() for p in after[:-1]] == [p.as_string() for p in before]
    assert after[-1].get_content_type() == "text/plain"
    assert footer_text(after[-1]) == FOOTER + "\n"
    assert head_and_body(out)[1].startswith(head_and_body(raw)[1].split(b"\n--=====")[0])


def test_truncated_multipart_mixed_is_wrapped_so_the_footer_stays_apart() -> None:
    content = 'Content-Type: multipart/mixed; boundary="XYZ"\n'
    body = b"--XYZ\nContent-Type: text/plain\n\nfirst part\n"
    out = decorate(message(body=body, content=content), LIST, archived_url=None, munge_from=False)
    parts = parts_of(parsed(out))
    assert len(parts) == 2
    assert parts[0].get_content_type() == "multipart/mixed"
    assert footer_text(parts[1]) == FOOTER + "\n"
    assert b"\n" + body in out


@pytest.mark.parametrize(
    "name",
    [
        "edge/cpython-test_email/msg_45.txt",  # multipart/signed
        "edge/cpython-test_email/msg_33.txt",  # multipart/signed, RFC 2231 parameters
        "edge/mailman3/handlers__collapse_alternatives.eml",  # signed, nested mixed inside
        "edge/cpython-test_email/msg_41.txt",  # multipart/alternative
        "edge/cpython-test_email/msg_40.txt",  # text/html
        "edge/mailman3/handlers__html_non_ascii.eml",  # 8-bit text/html
        "vietnamese/linux-usb-017390.eml",  # windows-1258 text
        "edge/mailman3/runners__ascii_in_utf7.eml",  # utf-7 text
        "edge/cpython-test_email/msg_06.txt",  # message/rfc822
    ],
)
def test_other_shapes_are_wrapped_with_the_original_entity_unchanged(
    corpus: Path, name: str
) -> None:
    raw = corpus_mail(corpus, name)
    original = parsed(raw)
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    mail = parsed(out)
    assert mail.get_content_type() == "multipart/mixed"
    parts = parts_of(mail)
    assert len(parts) == 2
    assert parts[0].get_content_type() == original.get_content_type()
    assert footer_text(parts[1]) == FOOTER + "\n"
    assert head_and_body(raw)[1] in out  # the entity's body, byte for byte
    if original.is_multipart():
        assert parts[0].as_string().count("\n--") == original.as_string().count("\n--")


def test_signed_part_bytes_survive_wrapping(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/mailman3/handlers__collapse_alternatives.eml")
    signed = re.search(
        rb"--vFaMjPs797GQgsvxAoMXW6m0wITFbm1Hh\n(.*?)\n--vFaMjPs797GQgsvxAoMXW6m0wITFbm1Hh\n",
        raw,
        re.DOTALL,
    )
    assert signed is not None
    out = decorate(raw, LIST, archived_url=ARCHIVED, munge_from=True)
    assert signed.group(0) in out
    inner = parsed(out).get_payload(0)
    assert isinstance(inner, Message)
    assert inner["Content-Type"] == parsed(raw)["Content-Type"]


def test_text_attachment_as_whole_message_is_wrapped_not_edited() -> None:
    content = "Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\n"
    out = parsed(
        decorate(
            message(content=content, body=b"data\n"), LIST, archived_url=None, munge_from=False
        )
    )
    assert out.get_content_type() == "multipart/mixed"
    first = out.get_payload(0)
    assert isinstance(first, Message)
    assert first.get_payload() == "data\n"


def test_without_footer_the_body_is_untouched(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/cpython-test_email/msg_41.txt")
    out = decorate(raw, BARE, archived_url=None, munge_from=False)
    assert head_and_body(out)[1] == head_and_body(raw)[1]


def test_mime_version_is_added_when_the_footer_needs_mime(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/cpython-test_email/msg_03.txt")
    assert b"MIME-Version" not in raw
    mail = parsed(decorate(raw, LIST, archived_url=None, munge_from=False))
    assert mail.get_all("MIME-Version") == ["1.0"]


def test_stale_content_length_is_dropped_when_the_body_grows() -> None:
    raw = message(extra="Content-Length: 30\n")
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    assert b"Content-Length" not in out


# 8-bit bodies


def test_undeclared_legacy_8bit_body_is_wrapped_with_its_bytes_intact() -> None:
    body = "Phú Lưu An\n".encode("cp1258")
    content = "Content-Type: text/plain\nContent-Transfer-Encoding: 8bit\n"
    out = decorate(message(body=body, content=content), LIST, archived_url=None, munge_from=False)
    assert b"\n" + body in out
    assert parsed(out)["Content-Transfer-Encoding"] == "8bit"


def test_8bit_html_keeps_its_bytes(corpus: Path) -> None:
    raw = corpus_mail(corpus, "edge/mailman3/handlers__html_non_ascii.eml")
    out = decorate(raw, LIST, archived_url=ARCHIVED, munge_from=True)
    assert head_and_body(raw)[1] in out


# DMARC From munging


def test_munged_from_names_the_author_via_the_list() -> None:
    raw = message().replace("Nguyễn Văn An".encode(), b"An Nguyen")
    out = decorate(raw, BARE, archived_url=None, munge_from=True)
    mail = parsed(out)
    assert re.search(rb"^From: =\?utf-8\?b\?[^\n]*\n <thpt@moet.example>$", out, re.MULTILINE)
    assert text_of(mail["From"]) == "An Nguyen via Trung học phổ thông <thpt@moet.example>"
    assert mail.get_all("Reply-To") == ["An Nguyen <an@truong.edu.vn>"]


def test_ascii_munged_from_is_quoted() -> None:
    lst = ListIdentity("thpt", "moet.example", "THPT", "https://forum.example")
    raw = message().replace("Nguyễn Văn An".encode(), b"An Nguyen")
    mail = parsed(decorate(raw, lst, archived_url=None, munge_from=True))
    assert mail["From"] == '"An Nguyen via THPT" <thpt@moet.example>'


def test_vietnamese_author_name_is_decoded_then_encoded_again(corpus: Path) -> None:
    raw = corpus_mail(corpus, "vietnamese/linux-usb-020131.eml")
    author = parsed(raw)["From"]
    mail = parsed(decorate(raw, BARE, archived_url=None, munge_from=True))
    name, address = parseaddr(mail["From"])
    assert address == "thpt@moet.example"
    assert text_of(name).endswith(" via Trung học phổ thông")
    assert mail["Reply-To"] == author


def test_author_without_name_is_shown_by_local_part() -> None:
    raw = message().replace("Nguyễn Văn An <an@truong.edu.vn>".encode(), b"an@truong.edu.vn")
    mail = parsed(decorate(raw, BARE, archived_url=None, munge_from=True))
    assert text_of(mail["From"]) == "an via Trung học phổ thông <thpt@moet.example>"
    assert mail["Reply-To"] == "an@truong.edu.vn"


def test_author_goes_to_cc_when_reply_to_is_taken() -> None:
    raw = message(extra="Reply-To: Phong GD <phong@moet.example>\n")
    out = decorate(raw, BARE, archived_url=None, munge_from=True)
    mail = parsed(out)
    assert mail.get_all("Reply-To") == ["Phong GD <phong@moet.example>"]
    cc = mail.get_all("Cc") or []
    assert len(cc) == 1
    assert [a for _, a in getaddresses(cc)] == ["an@truong.edu.vn"]
    assert "\nCc: Nguyễn Văn An <an@truong.edu.vn>\n".encode() in out  # the author's bytes


def test_author_is_appended_to_an_existing_cc() -> None:
    extra = "Reply-To: <phong@moet.example>\nCc: a@x.example,\n b@y.example\n"
    mail = parsed(decorate(message(extra=extra), BARE, archived_url=None, munge_from=True))
    cc = mail.get_all("Cc") or []
    assert len(cc) == 1
    assert [a for _, a in getaddresses(cc)] == ["a@x.example", "b@y.example", "an@truong.edu.vn"]


def test_author_already_in_reply_to_is_not_copied_again() -> None:
    raw = message(extra="Reply-To: AN@truong.edu.vn\n")
    mail = parsed(decorate(raw, BARE, archived_url=None, munge_from=True))
    assert mail.get_all("Cc") is None
    assert mail.get_all("Reply-To") == ["AN@truong.edu.vn"]


def test_mailman_munged_mail_keeps_its_reply_to_and_gains_a_cc(corpus: Path) -> None:
    raw = corpus_mail(corpus, "vietnamese/usrp-users-003749.eml")
    mail = parsed(decorate(raw, LIST, archived_url=None, munge_from=True))
    assert [a for _, a in getaddresses(mail.get_all("Reply-To") or [])] == ["tuanmcx58@gmail.com"]
    assert [a for _, a in getaddresses(mail.get_all("Cc") or [])] == ["usrp-users@lists.ettus.com"]
    assert parseaddr(mail["From"])[1] == "thpt@moet.example"


def test_without_munging_from_is_untouched() -> None:
    raw = message()
    out = decorate(raw, LIST, archived_url=None, munge_from=False)
    assert "From: Nguyễn Văn An <an@truong.edu.vn>\n".encode() in out
    assert parsed(out).get_all("Reply-To") is None


def test_from_without_an_address_is_left_alone() -> None:
    raw = message().replace("Nguyễn Văn An <an@truong.edu.vn>".encode(), b"undisclosed")
    out = decorate(raw, LIST, archived_url=None, munge_from=True)
    assert b"\nFrom: undisclosed\n" in b"\n" + out
    assert parsed(out).get_all("Reply-To") is None


# Per-recipient headers


def test_with_headers_prepends_plain_fields() -> None:
    raw = message()
    unsubscribe = "<mailto:thpt-leave@moet.example>"
    out = with_headers(raw, [("List-Unsubscribe", unsubscribe), ("X-Member", "an")])
    assert out == f"List-Unsubscribe: {unsubscribe}\nX-Member: an\n".encode() + raw


def test_with_headers_encodes_non_ascii_values() -> None:
    out = with_headers(message(), [("X-Thanh-Vien", "Nguyễn Văn An")])
    first = out.split(b"\n", 1)[0]
    assert first.isascii()
    assert b"=?utf-8?b?" in first
    assert text_of(parsed(out)["X-Thanh-Vien"]) == "Nguyễn Văn An"


def test_with_headers_folds_long_values() -> None:
    urls = ", ".join(f"<https://forum.example/lists/thpt/leave/{i}{'x' * 10}>" for i in range(4))
    out = with_headers(message(), [("List-Unsubscribe", urls)])
    lines = out.split(b"\nFrom:")[0].split(b"\n")
    assert len(lines) == 4
    assert all(len(line) <= 78 for line in lines)
    assert parsed(out)["List-Unsubscribe"].replace("\n", "") == urls


def test_with_headers_uses_the_message_line_ending() -> None:
    raw = message().replace(b"\n", b"\r\n")
    assert with_headers(raw, [("X-A", "b")]).startswith(b"X-A: b\r\nFrom:")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-A", "b\r\nBcc: victim@example.org"),
        ("X-A", "b\nBcc: victim@example.org"),
        ("X-A", "b\rc"),
        ("X-A\r\nBcc", "victim@example.org"),
        ("X A", "b"),
        ("X-A:", "b"),
        ("", "b"),
        ("Tiêu-đề", "b"),
    ],
)
def test_with_headers_refuses_injection_and_bad_names(name: str, value: str) -> None:
    with pytest.raises(ValueError, match="header"):
        with_headers(message(), [(name, value)])


# Bad input


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\n",
        b"\r\n\r\n",
        b"garbage without any header\x00\xff\xfe",
        b"Subject: only a header",
        b" leading continuation\nSubject: x\n\nbody",
        b"From foo@bar Sat Jan  3 01:05:34 1996\nSubject: mbox\n\nbody\n",
        b"Subject: =?bogus?q?x?= =?utf-8?b?!!!?=\nContent-Type: text/plain; charset=\xff\n\n\xff",
        b"Content-Type: multipart/mixed\n\nno boundary",
        b"Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n@@@not base64=\n",
        b'Content-Type: multipart/alternative; boundary="a"\n\n--a\n',
        b'From: "unterminated <a@b\nReply-To: (((\nCc: ,,,\n\nx',
        bytes(range(256)) * 4,
    ],
)
def test_garbage_does_not_raise(raw: bytes) -> None:
    out = decorate(raw, LIST, archived_url=ARCHIVED, munge_from=True)
    mail = parsed(out)
    assert len(mail.get_all("List-Id") or []) == 1
    assert mail["X-Loop"] == "thpt@moet.example"


def _all_corpus_files(corpus: Path) -> list[Path]:
    folders = ["edge", "vietnamese", "bounces", "threading/notmuch/broken"]
    return sorted(p for f in folders for p in (corpus / f).rglob("*") if p.is_file())


def test_every_corpus_message_decorates_and_parses_back(corpus: Path) -> None:
    """Hundreds of real and broken messages: nothing raises, the list headers are there
    once, the prefix once, and without a footer the body is the author's, byte for byte."""
    for path in _all_corpus_files(corpus):
        raw = path.read_bytes()
        mail = parsed(decorate(raw, LIST, archived_url=ARCHIVED, munge_from=True))
        assert len(mail.get_all("List-Id") or []) == 1, path
        assert text_of(mail["Subject"]).startswith("[THPT] "), path
        assert "[THPT]" not in text_of(mail["Subject"])[7:], path
        bare = decorate(raw, BARE, archived_url=None, munge_from=False)
        assert bare.endswith(_body(raw)), path


def _body(raw: bytes) -> bytes:
    match = re.search(rb"\r?\n\r?\n", raw)
    return raw[match.end() :] if match else b""
