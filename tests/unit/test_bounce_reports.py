"""forum.mail.bounce_reports: every corpus file read as bench/bounces_expected.json says, and
whom a report to a VERP address lets us charge."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from forum.mail.bounce_reports import Classification, Kind, classify, verdict
from forum.mail.delivery_reports import Outcome, RecipientStatus

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("FORUM_CORPUS_DIR", ROOT.parent / "shared" / "corpus"))
BOUNCES = CORPUS / "bounces"
EXPECTED: dict[str, dict[str, object]] = json.loads(
    (ROOT / "bench" / "bounces_expected.json").read_text()
)["files"]

# What the classifier still gets wrong, and why (bench/bounces.py counts these as misses).
MISREAD = {
    "sisimai-A/lhost-amazonses-10.eml": "an SES notice whose JSON was wrapped mid-string",
    "sisimai-A/lhost-postfix-75.eml": "a session transcript to the postmaster, read as a report",
    "sisimai-A/lhost-v5sendmail-01.eml": "names the recipient only in the returned message",
    "sisimai-A/lhost-verizon-01.eml": "names the recipient only in the returned message",
}


def _cases() -> list[object]:
    return [
        pytest.param(
            name,
            expected,
            id=name,
            marks=[pytest.mark.xfail(strict=True, reason=MISREAD[name])] if name in MISREAD else [],
        )
        for name, expected in sorted(EXPECTED.items())
    ]


def _as_labelled(found: Classification) -> dict[str, object]:
    if found.kind is Kind.COMPLAINT:
        assert found.complaint is not None
        recipients = {a: "complaint" for a in found.complaint.recipients}
    else:
        recipients = {r.address: str(r.outcome) for r in found.recipients}
    return {"kind": str(found.kind), "recipients": recipients}


def test_every_corpus_file_is_labelled(corpus: Path) -> None:
    files = {
        f"{p.parent.name}/{p.name}"
        for p in (corpus / "bounces").rglob("*")
        if p.is_file() and p.suffix != ".json"
    }
    assert files == set(EXPECTED)


@pytest.mark.parametrize(("name", "expected"), _cases())
def test_corpus_file_is_read_as_labelled(name: str, expected: dict[str, object]) -> None:
    found = _as_labelled(classify((BOUNCES / name).read_bytes()))
    if expected["kind"] == "complaint" and not expected["recipients"]:
        found["recipients"] = {}  # a redacted or undisclosed recipient: only the kind counts
    assert found == {"kind": expected["kind"], "recipients": expected["recipients"]}


def test_a_message_id_that_flufl_bounce_returns_is_dropped() -> None:
    raw = (BOUNCES / "sisimai-A" / "lhost-zoho-01.eml").read_bytes()
    found = classify(raw)
    assert [r.address for r in found.recipients] == ["kijitora@example.co.jp"]
    assert "14a3e1b4b5a.10b1a4c5610175.8588386083425091336@zoho.example.com" not in str(found)


def test_the_sites_own_addresses_are_never_a_failed_recipient() -> None:
    raw = (BOUNCES / "flufl.bounce" / "postfix_01.txt").read_bytes()
    (failed,) = classify(raw).recipients
    assert classify(raw, ours=lambda address: address == failed.address).recipients == ()


def test_ordinary_mail_that_quotes_a_bounce_is_not_a_report(corpus: Path) -> None:
    # An LKML reply in which flufl.bounce's heuristics find "linux-cifs@vger.kernel.org".
    raw = (corpus / "threading" / "notmuch" / "lkml" / "cur" / "1382298587.003171").read_bytes()
    assert classify(raw).kind is Kind.UNKNOWN
    for path in sorted((corpus / "vietnamese").glob("*.eml")):
        assert classify(path.read_bytes()).kind is Kind.UNKNOWN, path.name


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("disposition-notification.txt", Kind.AUTO_REPLY),
        ("delivery-status.txt", Kind.DELIVERY_REPORT),
    ],
)
def test_a_read_receipt_is_an_automatic_answer(corpus: Path, name: str, kind: Kind) -> None:
    assert classify((corpus / "edge" / "mimekit" / name).read_bytes()).kind is kind


@given(st.binary(max_size=3000))
@settings(max_examples=200, deadline=None)  # the first call loads flufl.bounce
def test_classify_never_raises_on_random_bytes(raw: bytes) -> None:
    assert isinstance(classify(raw), Classification)


RFC3464 = (BOUNCES / "sisimai-A" / "rfc3464-35.eml").read_bytes() if BOUNCES.is_dir() else b""


@given(st.integers(min_value=0, max_value=len(RFC3464)), st.binary(max_size=60))
@settings(max_examples=150, deadline=None)
def test_classify_never_raises_on_a_damaged_report(cut: int, noise: bytes) -> None:
    assert isinstance(classify(RFC3464[:cut] + noise + RFC3464[cut:]), Classification)


# --- verdict: whom a report charges ----------------------------------------------------------

A = "a@school.edu.vn"


def _report(how: str, *found: tuple[str, Outcome], final: str = "") -> Classification:
    recipients = tuple(RecipientStatus(a, o, final) for a, o in found)
    return Classification(Kind.DELIVERY_REPORT, how, recipients)


@pytest.mark.parametrize(
    ("report", "verp", "charges"),
    [
        pytest.param(_report("RFC 3464 report", (A, Outcome.FAILED)), A, [(A, Outcome.FAILED)]),
        pytest.param(_report("RFC 3464 report", (A, Outcome.DELAYED)), A, [(A, Outcome.DELAYED)]),
        pytest.param(
            _report("RFC 3464 report", ("b@x.vn", Outcome.FAILED), final=A),
            A,
            [(A, Outcome.FAILED)],
            id="verp-is-the-final-recipient",
        ),
        pytest.param(
            _report("RFC 3464 report", ("b@x.vn", Outcome.FAILED)), A, [], id="names-another"
        ),
        pytest.param(
            _report("the notice's own words", ("b@x.vn", Outcome.FAILED)),
            A,
            [(A, Outcome.FAILED)],
            id="a-guess-from-prose-does-not-overrule-verp",
        ),
        pytest.param(
            _report("flufl.bounce", ("b@x.vn", Outcome.DELAYED)),
            A,
            [(A, Outcome.DELAYED)],
            id="a-warning-stays-a-warning",
        ),
        pytest.param(_report("naming nobody"), A, [(A, Outcome.FAILED)], id="names-nobody"),
        pytest.param(
            _report("RFC 3464 report", (A, Outcome.DELAYED), (A, Outcome.FAILED)),
            A.upper(),
            [(A, Outcome.FAILED)],
            id="the-worst-outcome-counts",
        ),
        pytest.param(
            _report("RFC 3464 report", (A, Outcome.FAILED), ("b@x.vn", Outcome.DELAYED)),
            None,
            [(A, Outcome.FAILED), ("b@x.vn", Outcome.DELAYED)],
            id="plain-bounce-address",
        ),
        pytest.param(Classification(Kind.AUTO_REPLY, "vacation reply"), A, [], id="vacation"),
        pytest.param(Classification(Kind.COMPLAINT, "feedback report"), A, [], id="complaint"),
        pytest.param(Classification(Kind.CHALLENGE, "challenge"), A, [], id="challenge"),
        pytest.param(Classification(Kind.UNKNOWN, "a person"), A, [], id="unknown"),
    ],
)
def test_verdict(
    report: Classification, verp: str | None, charges: list[tuple[str, Outcome]]
) -> None:
    assert list(verdict(report, verp).charges) == charges


def test_a_contradicted_verp_says_why() -> None:
    found = verdict(_report("RFC 3464 report", ("b@x.vn", Outcome.FAILED)), A)
    assert found.note == f"the report names b@x.vn, not {A}"
