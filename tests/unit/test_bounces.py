"""forum.mail.bounces on real bounces (flufl.bounce's own test mail and sisimai's), VERP addresses,
the headers that mark automatic mail, and the decaying bounce score."""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flufl.bounce import all_failures
from hypothesis import given
from hypothesis import strategies as st

from forum.mail.bounces import (
    BounceReport,
    bounce_weight,
    decayed_score,
    detect_bounce,
    header_map,
    is_auto_generated,
    verp_recipient,
    verp_sender,
)
from forum.mail.delivery_reports import Outcome

CORPUS = Path(
    os.environ.get("FORUM_CORPUS_DIR", Path(__file__).resolve().parents[3] / "shared" / "corpus")
)
BOUNCES = CORPUS / "bounces"
FLUFL = BOUNCES / "flufl.bounce"
SISIMAI = BOUNCES / "sisimai-A"
NOT_BOUNCES = BOUNCES / "sisimai-not-bounces"
EMPTY = BounceReport(temporary=frozenset(), permanent=frozenset())


def _names(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []  # test_bounce_corpus_is_present says so
    return sorted(p.name for p in folder.iterdir() if p.is_file() and p.suffix != ".json")


def _read(folder: Path, name: str) -> bytes:
    return (folder / name).read_bytes()


def test_bounce_corpus_is_present(corpus: Path) -> None:
    assert (corpus / "bounces" / "flufl.bounce" / "expected.json").is_file()
    assert len(_names(SISIMAI)) == 340
    assert len(_names(NOT_BOUNCES)) == 3


# --- flufl.bounce's corpus against its expected.json -------------------------------------------

# expected.json lists, per file, claims about one detector each; an empty address list only
# says that *that* detector must not claim the file. all_failures runs every detector, so a
# file can rightly be claimed by another one: simple_42 is an Exim bounce whose
# message/delivery-status part the DSN detector reads (simplematch must merely stay away).
CLAIMED_BY_ANOTHER_DETECTOR = {
    "simple_42.txt": BounceReport(
        temporary=frozenset(), permanent=frozenset({"david...@gmail.com"})
    ),
}


def _flufl_expectations() -> list[tuple[str, BounceReport]]:
    path = FLUFL / "expected.json"
    if not path.is_file():
        return []
    files: dict[str, list[dict[str, object]]] = json.loads(path.read_text())["files"]
    cases = []
    for name, claims in sorted(files.items()):
        temporary: set[str] = set()
        permanent: set[str] = set()
        for claim in claims:
            found = temporary if claim["temporary"] else permanent
            addresses = claim["addresses"]
            assert isinstance(addresses, list)
            found.update(str(address).lower() for address in addresses)
        expected = BounceReport(temporary=frozenset(temporary), permanent=frozenset(permanent))
        cases.append((name, CLAIMED_BY_ANOTHER_DETECTOR.get(name, expected)))
    return cases


FLUFL_CASES = _flufl_expectations()


def test_expected_json_covers_the_files_flufl_bounce_tests() -> None:
    assert len(FLUFL_CASES) == 115


@pytest.mark.parametrize(("name", "expected"), FLUFL_CASES, ids=[n for n, _ in FLUFL_CASES])
def test_flufl_corpus_bounce_reports_exactly_the_expected_addresses(
    name: str, expected: BounceReport
) -> None:
    assert detect_bounce(_read(FLUFL, name)) == expected


@pytest.mark.parametrize("name", ["bounce_01.txt", "dumbass_01.txt"])
def test_bounce_that_names_no_full_address_gives_an_empty_report(name: str) -> None:
    # JetMail names only "dylan"; dumbass_01 names nobody. VERP is what finds the member then.
    assert detect_bounce(_read(FLUFL, name)) == EMPTY


def test_addresses_are_lowercased() -> None:
    assert detect_bounce(_read(FLUFL, "simple_22.txt")).temporary == {"user@example.org"}
    assert detect_bounce(_read(FLUFL, "microsoft_01.txt")).permanent == {"userx@example.com"}


def test_charset_that_breaks_policy_default_is_read_without_error() -> None:
    raw = _read(FLUFL, "qmail_08.txt")  # charset=ansi_x3.110-1983: policy.default raises
    with pytest.raises(LookupError):
        email.message_from_bytes(raw, policy=email.policy.default).get_content()
    assert detect_bounce(raw) == EMPTY  # it is a vacation reply, not a bounce
    assert is_auto_generated(header_map(raw))


# --- sisimai: not-bounces, and a broad sample of real bounces ------------------------------------


@pytest.mark.parametrize("name", _names(NOT_BOUNCES))
def test_sisimai_mail_that_only_looks_like_a_bounce_gives_an_empty_report(name: str) -> None:
    assert detect_bounce(_read(NOT_BOUNCES, name)) == EMPTY


def _not_a_bounce(name: str) -> bool:
    # Abuse feedback reports (ARF) and vacation replies (RFC 3834) name no failed recipient.
    return name.startswith(("arf-", "rfc3834-"))


@pytest.mark.parametrize("name", [n for n in _names(SISIMAI) if _not_a_bounce(n)])
def test_sisimai_feedback_reports_and_vacation_replies_give_an_empty_report(name: str) -> None:
    assert detect_bounce(_read(SISIMAI, name)) == EMPTY


_NO_DETECTOR = "plain-text wording that no flufl.bounce detector knows"
_JUNK_ONLY = "flufl.bounce's only 'address' is not one, and detect_bounce drops it"

# sisimai bounces that name a recipient which flufl.bounce 6.0.0 cannot find, and why. Every
# one was also tried parsed as str, with policy.default and with LF line ends: no difference.
SISIMAI_UNREAD = {
    "lhost-activehunter-01.eml": "multipart/report without a message/delivery-status part",
    "lhost-amazonworkmail-01.eml": "DSN fields quoted as text inside text/plain, not a DSN part",
    "lhost-amazonworkmail-04.eml": "DSN fields quoted as text inside text/plain, not a DSN part",
    "lhost-amazonworkmail-05.eml": "DSN fields quoted as text inside text/plain, not a DSN part",
    "lhost-amazonworkmail-08.eml": "DSN fields quoted as text inside text/plain, not a DSN part",
    "lhost-amazonses-10.eml": _JUNK_ONLY,
    "lhost-amazonses-12.eml": _JUNK_ONLY,
    "lhost-apachejames-01.eml": _NO_DETECTOR,
    "lhost-exim-44.eml": _JUNK_ONLY,
    "lhost-ezweb-01.eml": _NO_DETECTOR,
    "lhost-ezweb-03.eml": _NO_DETECTOR,
    "lhost-ezweb-08.eml": _NO_DETECTOR,
    "lhost-fml-02.eml": "fml's 'you are not a member' notice, not a delivery failure",
    "lhost-kddi-01.eml": _NO_DETECTOR + " (Japanese)",
    "lhost-mailmarshal-02.eml": _NO_DETECTOR,
    "lhost-messagingserver-03.eml": "multipart/report whose body has no boundary lines",
    "lhost-mfilter-01.eml": _NO_DETECTOR + " (Japanese)",
    "lhost-mfilter-03.eml": _NO_DETECTOR + " (Japanese)",
    "lhost-mfilter-05.eml": _NO_DETECTOR + " (Japanese)",
    "lhost-mimecast-01.eml": _NO_DETECTOR,
    "lhost-notes-01.eml": "Lotus Notes: " + _NO_DETECTOR,
    "lhost-notes-02.eml": "Lotus Notes: " + _NO_DETECTOR,
    "lhost-office365-01.eml": "multipart/report with only the human-readable part, no DSN part",
    "lhost-opensmtpd-01.eml": "old OpenSMTPD: " + _NO_DETECTOR,
    "lhost-opensmtpd-03.eml": "old OpenSMTPD: " + _NO_DETECTOR,
    "lhost-opensmtpd-05.eml": "old OpenSMTPD: " + _NO_DETECTOR,
    "lhost-postfix-49.eml": "an OCN notice quoting a Postfix bounce as plain text",
    "lhost-postfix-75.eml": "a Postfix SMTP-session transcript to the postmaster, no recipient",
    "lhost-qmail-09.eml": "qmail text with no blank line between intro and recipients",
    "lhost-sendmail-15.eml": _JUNK_ONLY,
    "lhost-sendmail-54.eml": "a MIME body with no MIME headers, so its DSN part stays text",
    "lhost-trendmicro-01.eml": _NO_DETECTOR,
    "lhost-verizon-01.eml": "Verizon MMS: " + _NO_DETECTOR,
    "lhost-x1-03.eml": _NO_DETECTOR,
    "lhost-x1-04.eml": _NO_DETECTOR,
    "lhost-x2-07.eml": _NO_DETECTOR,
    "lhost-x6-01.eml": _NO_DETECTOR,
    "lhost-yahoo-01.eml": "flufl's Yahoo detector wants From mailer-daemon@yahoo…, not y.example",
    "rfc3464-35.eml": "its MIME boundary lines are indented, so the DSN part stays text",
    "rhost-messagelabs-01.eml": "its DSN fields are folded without indentation",
    **{
        f"lhost-dragonfly-{n:02}.eml": "DragonFly Mail Agent: " + _NO_DETECTOR
        for n in (1, 2, 3, 9, 10, 11, 12, 13, 14, 19, 20, 24, 25, 28, 29)
    },
    **{f"lhost-v5sendmail-{n:02}.eml": "Sendmail V5: " + _NO_DETECTOR for n in (1, 2, 3, 7)},
}


def _sisimai_bounces() -> list[object]:
    return [
        pytest.param(
            name,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=SISIMAI_UNREAD[name])]
            if name in SISIMAI_UNREAD
            else [],
        )
        for name in _names(SISIMAI)
        if not _not_a_bounce(name)
    ]


@pytest.mark.parametrize("name", _sisimai_bounces())
def test_sisimai_bounce_names_a_failed_address(name: str) -> None:
    report = detect_bounce(_read(SISIMAI, name))
    assert report.permanent | report.temporary


def test_sisimai_postfix_exim_and_rfc3464_bounces_are_nearly_all_read() -> None:
    families = ("lhost-postfix-", "lhost-exim-", "rfc3464-")
    sample = [n for n in _names(SISIMAI) if n.startswith(families)]
    unread = sorted(n for n in sample if detect_bounce(_read(SISIMAI, n)) == EMPTY)
    assert len(sample) == 79
    assert unread == [
        "lhost-exim-44.eml",
        "lhost-postfix-49.eml",
        "lhost-postfix-75.eml",
        "rfc3464-35.eml",
    ]


@pytest.mark.parametrize(
    ("name", "junk"),
    [
        ("lhost-exim-44.eml", "|/usr/local/nyaan/bin/neko kijitora@example.com/home/nyaan/.neko"),
        ("lhost-sendmail-15.eml", "@mx.example.org"),
        ("lhost-amazonses-10.eml", '\\"bounce\\":{'),
        ("lhost-amazonses-12.eml", '"mail":{"timestamp"'),
    ],
)
def test_detector_output_that_is_not_an_address_is_dropped(name: str, junk: str) -> None:
    raw = _read(SISIMAI, name)
    _, permanent = all_failures(email.message_from_bytes(raw, policy=email.policy.compat32))
    assert any(address.decode().startswith(junk) for address in permanent)
    assert detect_bounce(raw) == EMPTY


def test_sisimai_temporary_failures_are_reported_as_temporary() -> None:
    report = detect_bounce(_read(SISIMAI, "rfc3464-07.eml"))
    assert report == BounceReport(
        temporary=frozenset({"kijitora@example.net"}), permanent=frozenset()
    )


# --- hostile and odd input -----------------------------------------------------------------------

NORMAL_MESSAGE = b"""\
From: Nguyen Van A <a@example.org>
To: thpt@moet.example
Subject: =?utf-8?q?H=E1=BB=8Dp_ph=E1=BB=A5_huynh?=
Message-ID: <1@example.org>
Content-Type: text/plain; charset=utf-8

Xin chao. The following addresses had permanent fatal errors: none, this is a joke.
"""


@pytest.mark.parametrize(
    "raw",
    [b"", b"\x00\xff" * 50, b"\r\n\r\n", b"Content-Type: multipart/report\n\n--", NORMAL_MESSAGE],
    ids=["empty", "binary", "blank-lines", "truncated-report", "normal-message"],
)
def test_garbage_and_ordinary_mail_give_an_empty_report(raw: bytes) -> None:
    assert detect_bounce(raw) == EMPTY


def test_real_list_message_gives_an_empty_report() -> None:
    for path in sorted((CORPUS / "vietnamese").glob("usrp-users-*.eml"))[:5]:
        assert detect_bounce(path.read_bytes()) == EMPTY


@given(st.binary(max_size=2000))
def test_detect_bounce_never_raises_on_random_bytes(raw: bytes) -> None:
    assert isinstance(detect_bounce(raw), BounceReport)


QMAIL_01 = _read(FLUFL, "qmail_01.txt") if FLUFL.is_dir() else b""


@given(st.integers(min_value=0, max_value=len(QMAIL_01)), st.binary(max_size=40))
def test_detect_bounce_never_raises_on_a_damaged_bounce(cut: int, noise: bytes) -> None:
    assert isinstance(detect_bounce(QMAIL_01[:cut] + noise + QMAIL_01[cut:]), BounceReport)


def _without_from(raw: bytes) -> bytes:
    return re.sub(rb"(?mi)^From:.*\n(?:[ \t].*\n)*", b"", raw, count=1)


@pytest.mark.parametrize(
    ("name", "address"),
    [("qmail_01.txt", "userx@example.de"), ("smtp32_01.txt", "userx@example.ph")],
)
def test_bounce_without_a_from_header_is_still_read(name: str, address: str) -> None:
    # flufl.bounce's Yale detector raises IndexError on a missing From, which would stop the
    # scan before the qmail and SMTP32 detectors.
    raw = _without_from(_read(FLUFL, name))
    assert b"\nFrom:" not in raw
    assert detect_bounce(raw).permanent == {address}


def test_bounce_with_raw_utf8_in_from_is_still_read() -> None:
    # compat32 would hand detectors an email.header.Header, and Sina's calls .lower() on it.
    raw = re.sub(
        rb"(?mi)^From:.*$",
        "From: Hệ thống thư <MAILER-DAEMON@example.de>".encode(),
        _read(FLUFL, "qmail_01.txt"),
        count=1,
    )
    assert detect_bounce(raw).permanent == {"userx@example.de"}


def test_address_both_delayed_and_failed_counts_as_failed() -> None:
    raw = b"""\
From: MAILER-DAEMON@mx.example.org
To: thpt-bounces@moet.example
Subject: Delivery Status Notification
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

Two attempts.

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; Hoa@Example.VN
Action: delayed
Status: 4.2.2

Final-Recipient: rfc822; hoa@example.vn
Action: failed
Status: 5.2.2

Final-Recipient: rfc822; <binh@example.vn>
Action: delayed
Status: 4.4.1

--B--
"""
    assert detect_bounce(raw) == BounceReport(
        temporary=frozenset({"binh@example.vn"}), permanent=frozenset({"hoa@example.vn"})
    )


# --- VERP ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("recipient", "sender"),
    [
        ("user@host.example", "thpt-bounces+user=host.example@moet.example"),
        ("Nguyen.Van.A@Example.VN", "thpt-bounces+Nguyen.Van.A=Example.VN@moet.example"),
        ("a+tag@x.org", "thpt-bounces+a+tag=x.org@moet.example"),
        ("a=b@x.org", "thpt-bounces+a=b=x.org@moet.example"),
        ("+=+@x.org", "thpt-bounces++=+=x.org@moet.example"),
    ],
)
def test_verp_sender_and_back(recipient: str, sender: str) -> None:
    assert verp_sender("thpt", "moet.example", recipient) == sender
    assert verp_recipient(sender.rpartition("@")[0], "thpt") == recipient


def test_verp_prefix_is_case_insensitive_and_recipient_case_is_kept() -> None:
    assert verp_recipient("THPT-Bounces+User.Name=Host.Example", "thpt") == "User.Name@Host.Example"
    assert verp_recipient("thpt-bounces+u=h.example", "THPT") == "u@h.example"


@pytest.mark.parametrize(
    "local_part",
    [
        "thpt-bounces",
        "thpt-bounces+",
        "thpt-bounces+user",
        "thpt-bounces+=host.example",
        "thpt-bounces+user=",
        "thpt-bounces+user=host.example@moet.example",
        "thpt",
        "thpt+user=host.example",
        "thpt-request+user=host.example",
        "thpt-confirm+user=host.example",
        "other-bounces+user=host.example",
        "xthpt-bounces+user=host.example",
        "thpt-bouncesx+user=host.example",
        "thpt-bounces-user=host.example",
        "",
    ],
)
def test_verp_recipient_rejects_what_is_not_this_lists_verp_address(local_part: str) -> None:
    assert verp_recipient(local_part, "thpt") is None


@pytest.mark.parametrize("recipient", ["no-at-sign", "@host.example", "user@", ""])
def test_verp_sender_refuses_what_is_not_an_address(recipient: str) -> None:
    with pytest.raises(ValueError, match="not an address"):
        verp_sender("thpt", "moet.example", recipient)


_LOCAL_PART = st.text(alphabet="abcXYZ019+=._-!#$%&'*/?^`{|}~", min_size=1, max_size=40)
_LABEL = st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9-]{0,10}[A-Za-z0-9])?", fullmatch=True)
_DOMAIN = st.lists(_LABEL, min_size=1, max_size=4).map(".".join)
_LIST_NAME = st.from_regex(r"[a-z0-9][a-z0-9.-]{0,20}", fullmatch=True)


@given(_LIST_NAME, _DOMAIN, _LOCAL_PART, _DOMAIN, st.booleans())
def test_verp_round_trips(
    list_name: str, list_domain: str, local: str, domain: str, shout: bool
) -> None:
    sender = verp_sender(list_name, list_domain, f"{local}@{domain}")
    local_part, _, host = sender.rpartition("@")
    assert host == list_domain
    prefix_length = len(list_name) + len("-bounces+")
    if shout:  # an MTA may change the case of the part the list wrote, never the member's
        local_part = local_part[:prefix_length].upper() + local_part[prefix_length:]
    assert verp_recipient(local_part, list_name) == f"{local}@{domain}"


@given(_LIST_NAME, _LIST_NAME, _DOMAIN, _LOCAL_PART, _DOMAIN)
def test_verp_address_of_another_list_is_not_ours(
    ours: str, theirs: str, list_domain: str, local: str, domain: str
) -> None:
    sender = verp_sender(theirs, list_domain, f"{local}@{domain}")
    found = verp_recipient(sender.rpartition("@")[0], ours)
    assert (found is None) is (ours.casefold() != theirs.casefold())


# --- automatic mail ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "automatic"),
    [
        pytest.param({"Auto-Submitted": "auto-replied"}, True, id="auto-replied"),
        pytest.param({"Auto-Submitted": "auto-generated"}, True, id="auto-generated"),
        pytest.param({"Auto-Submitted": "auto-notified; owner-email=a@b"}, True, id="params"),
        pytest.param({"AUTO-SUBMITTED": " Auto-Replied "}, True, id="any-case"),
        pytest.param({"Auto-Submitted": "no"}, False, id="auto-submitted-no"),
        pytest.param({"Auto-Submitted": "No; comment"}, False, id="auto-submitted-no-params"),
        pytest.param({"Auto-Submitted": ""}, False, id="auto-submitted-empty"),
        pytest.param({"Precedence": "bulk"}, True, id="precedence-bulk"),
        pytest.param({"Precedence": "junk"}, True, id="precedence-junk"),
        pytest.param({"Precedence": "List"}, True, id="precedence-list"),
        pytest.param({"Precedence": "auto_reply"}, True, id="precedence-auto-reply"),
        pytest.param({"Precedence": "first-class"}, False, id="precedence-first-class"),
        pytest.param({"Precedence": "urgent"}, False, id="precedence-urgent"),
        pytest.param({"X-Autoreply": "yes"}, True, id="x-autoreply"),
        pytest.param({"X-Autorespond": "Out of office"}, True, id="x-autorespond"),
        pytest.param({"X-Auto-Response-Suppress": "All"}, True, id="suppress-all"),
        pytest.param({"X-Auto-Response-Suppress": "DR, OOF, AutoReply"}, True, id="suppress-oof"),
        pytest.param({"X-Auto-Response-Suppress": "DR, RN, NRN"}, False, id="suppress-receipts"),
        pytest.param(
            {"Content-Type": 'multipart/report; report-type=delivery-status; boundary="x"'},
            True,
            id="multipart-report",
        ),
        pytest.param({"Content-Type": "multipart/mixed; boundary=x"}, False, id="multipart-mixed"),
        pytest.param({"From": "MAILER-DAEMON@mx.example.org"}, True, id="mailer-daemon"),
        pytest.param(
            {"From": "Mail Delivery System <Mailer-Daemon@mx.example.org>"},
            True,
            id="mailer-daemon-named",
        ),
        pytest.param({"From": "MAILER-DAEMON"}, True, id="mailer-daemon-bare"),
        pytest.param({"From": "MAILER-DAEMON <>"}, True, id="mailer-daemon-null"),
        pytest.param({"From": "<>"}, True, id="null-sender"),
        pytest.param({"From": "postmaster@example.vn"}, True, id="postmaster"),
        pytest.param({"From": "Post_Master@example.vn"}, True, id="post-master"),
        pytest.param({"From": "Mailer Daemon <poostmaster@example.jp>"}, True, id="robot-name"),
        pytest.param({"From": "no-reply@sns.amazonaws.com"}, True, id="no-reply"),
        pytest.param({"From": "Nguyen Van A <a@example.org>"}, False, id="person"),
        pytest.param({"From": "daemon.fan@example.org"}, False, id="daemon-fan"),
        pytest.param({"From": "postmaster.general@example.org"}, False, id="postmaster-general"),
        pytest.param({"From": ""}, False, id="empty-from"),
        pytest.param({"Return-Path": "<>"}, False, id="return-path-is-the-callers"),
        pytest.param({}, False, id="no-headers"),
        pytest.param(
            {"From": "a@example.org", "Subject": "Re: auto-generated", "Precedence": "normal"},
            False,
            id="ordinary-mail",
        ),
    ],
)
def test_is_auto_generated(headers: dict[str, str], automatic: bool) -> None:
    assert is_auto_generated(headers) is automatic


def test_ordinary_mail_is_not_auto_generated() -> None:
    assert not is_auto_generated(header_map(NORMAL_MESSAGE))


# Real bounces whose headers do not say that a program sent them; the caller's empty
# Return-Path check is what catches most of these in practice.
NOT_MARKED = {
    "bounce_02.txt": "From E500_SMTP_Mail_Service@, no automatic-mail header",
    "simple_15.txt": "From a virus scanner's own address (imss@)",
    "simple_20.txt": "From a gateway's own address, no automatic-mail header",
    "simple_22.txt": "From Symantec_AntiVirus_for_SMTP_Gateways@",
    "simple_35.txt": r"From <Postmaster\@example.com@xxx.com>, a mangled address",
    "simple_36.txt": 'From <"System Administrator"@example.com>',
    "simple_43.txt": "From ndr@, no automatic-mail header",
    "arf-22.eml": "a Hotmail complaint sent as multipart/mixed from staff@hotmail.com",
    "arf-23.eml": "a Hotmail complaint sent as multipart/mixed from staff@hotmail.com",
    "arf-24.eml": "a Hotmail complaint sent as multipart/mixed from staff@hotmail.com",
    "lhost-fml-02.eml": "fml's notice comes from the list's -admin address",
    "lhost-verizon-01.eml": "From 'MMSC NDR Administrator <sysadmin@...>'",
    "rfc3834-03.eml": "Apple's vacation reply says so only in X-Apple-Action: VACATION",
}
HUMAN_MAIL = {"groupwise_03.txt"}  # a person's reply that once confused the GroupWise detector


def _corpus_bounces() -> list[object]:
    return [
        pytest.param(
            folder,
            name,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=NOT_MARKED[name])]
            if name in NOT_MARKED
            else [],
        )
        for folder in (FLUFL, SISIMAI)
        for name in _names(folder)
        if name not in HUMAN_MAIL
    ]


@pytest.mark.parametrize(("folder", "name"), _corpus_bounces())
def test_real_bounce_is_auto_generated(folder: Path, name: str) -> None:
    assert is_auto_generated(header_map(_read(folder, name)))


@pytest.mark.parametrize(
    ("folder", "name", "automatic"),
    [
        (FLUFL, "groupwise_03.txt", False),
        (NOT_BOUNCES, "is-not-bounce-01.eml", False),
        (NOT_BOUNCES, "is-not-bounce-02.eml", False),
        (NOT_BOUNCES, "rb-issue-368-bug.eml", True),  # an auto-replied notice from postmaster
    ],
)
def test_corpus_mail_that_is_not_a_bounce(folder: Path, name: str, automatic: bool) -> None:
    assert is_auto_generated(header_map(_read(folder, name))) is automatic


# --- header_map ----------------------------------------------------------------------------------


def test_header_map_reads_only_the_header_block() -> None:
    raw = (
        b"Subject: first\r\n  folded\r\nSUBJECT: second\r\nX-Mixed-Case: 1\r\n\r\n"
        b"Auto-Submitted: auto-replied\r\n"
    )
    assert header_map(raw) == {"subject": "first  folded", "x-mixed-case": "1"}


def test_header_map_decodes_raw_8bit_and_skips_an_mbox_from_line() -> None:
    raw = "From MAILER-DAEMON Sat Oct  4 08:00:09 2025\nFrom: Hệ thống <a@b.vn>\n\nbody".encode()
    assert header_map(raw) == {"from": "Hệ thống <a@b.vn>"}
    assert header_map(b"From: \xff <a@b.vn>\n\n") == {"from": "\ufffd <a@b.vn>"}


@pytest.mark.parametrize("raw", [b"", b"\x00\xff" * 50, b"\n\nFrom: a@b\n"])
def test_header_map_of_garbage_is_empty(raw: bytes) -> None:
    assert header_map(raw) == {}


# --- the score -----------------------------------------------------------------------------------

NOW = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("days_ago", "half_life", "expected"),
    [
        (0, 7.0, 4.0),
        (7, 7.0, 2.0),
        (14, 7.0, 1.0),
        (3.5, 7.0, 4.0 / 2**0.5),
        (3, 1.0, 0.5),
        (70, 7.0, 4.0 / 1024),
        (-2, 7.0, 4.0),  # a last bounce in the future (clock skew) does not grow the score
    ],
)
def test_decayed_score_halves_every_half_life(
    days_ago: float, half_life: float, expected: float
) -> None:
    last = NOW - timedelta(days=days_ago)
    assert decayed_score(4.0, last, NOW, half_life) == pytest.approx(expected)


def test_decayed_score_without_a_last_bounce_is_unchanged() -> None:
    assert decayed_score(3.0, None, NOW) == 3.0
    assert decayed_score(0.0, NOW - timedelta(days=1), NOW) == 0.0


@pytest.mark.parametrize("half_life", [0.0, -1.0])
def test_decayed_score_needs_a_positive_half_life(half_life: float) -> None:
    with pytest.raises(ValueError, match="half_life_days"):
        decayed_score(1.0, NOW, NOW, half_life)


@given(
    st.floats(min_value=0, max_value=1000),
    st.floats(min_value=0, max_value=400),
    st.floats(min_value=0, max_value=400),
)
def test_decaying_in_two_steps_is_decaying_once(score: float, first: float, second: float) -> None:
    start = NOW - timedelta(days=first + second)
    middle = start + timedelta(days=first)
    stepwise = decayed_score(decayed_score(score, start, middle), middle, NOW)
    assert stepwise == pytest.approx(decayed_score(score, start, NOW), rel=1e-9, abs=1e-12)
    assert decayed_score(score, start, NOW) <= score


@pytest.mark.parametrize(
    ("outcome", "weight"),
    [
        (Outcome.FAILED, 1.0),
        (Outcome.TEMPORARY, 0.5),
        (Outcome.DELAYED, 0.0),
        (Outcome.DELIVERED, 0.0),
    ],
)
def test_only_a_permanent_failure_counts_in_full(outcome: Outcome, weight: float) -> None:
    assert bounce_weight(outcome) == weight
