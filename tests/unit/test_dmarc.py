"""DMARC policy discovery against a real DNS server on 127.0.0.1, and the munging decision."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest

from forum.mail.dmarc import (
    DmarcCache,
    TxtResolver,
    dmarc_policy,
    dns_resolver,
    organizational_domain,
    should_munge,
)
from tests.dns_server import FixedDnsServer

LONG_RECORD = "v=DMARC1; " + "".join(f"x{i}=y; " for i in range(80)) + "p=reject"
RECORDS = {
    "_dmarc.reject.example": ["v=DMARC1; p=reject; rua=mailto:dmarc@reject.example"],
    "_dmarc.quarantine.example": ["v=DMARC1; p=quarantine; pct=100"],
    "_dmarc.none.example": ["v=DMARC1; p=none"],
    # organizational domain: its sp= governs subdomains, its p= itself
    "_dmarc.org.example": ["v=DMARC1; p=none; sp=reject"],
    "_dmarc.own.org.example": ["v=DMARC1; p=quarantine"],
    "_dmarc.nosp.example": ["v=DMARC1; p=quarantine"],
    "_dmarc.badsp.example": ["v=DMARC1; p=reject; sp=bogus"],
    # two-level public suffixes: the registrable domain is one label below them
    "_dmarc.hanoi.edu.vn": ["v=DMARC1; p=none; sp=quarantine"],
    "_dmarc.edu.vn": ["v=DMARC1; p=reject"],  # a suffix's record must never be used
    "_dmarc.school.co.uk": ["v=DMARC1; p=reject"],
    # spelling tolerance
    "_dmarc.spaces.example": ["  V = DMARC1 ;P = Reject ; "],
    "_dmarc.nosemi.example": ["v=DMARC1 p=quarantine"],
    "_dmarc.split.example": [LONG_RECORD],  # longer than one 255-byte TXT string
    # malformed or foreign records
    "_dmarc.notdmarc.example": ["v=spf1 -all", "google-site-verification=abc"],
    "_dmarc.badp.example": ["v=DMARC1; p=block"],
    "_dmarc.nop.example": ["v=DMARC1; rua=mailto:x@nop.example"],
    "_dmarc.v2.example": ["v=DMARC2; p=reject"],
    "_dmarc.prefixed.example": ["p=reject; v=DMARC1"],
    "_dmarc.dmarc10.example": ["v=DMARC10; p=reject"],
    "_dmarc.two.example": ["v=DMARC1; p=none", "v=DMARC1; p=reject"],
    "_dmarc.empty.example": [],  # the name exists, with no TXT record
    "_dmarc.xn--trng-rib8295b.vn": ["v=DMARC1; p=quarantine"],  # trường.vn
}


@pytest.fixture(scope="module")
def server() -> Iterator[FixedDnsServer]:
    with FixedDnsServer(RECORDS, failing=["_dmarc.servfail.example"]) as running:
        yield running


@pytest.fixture
def resolver(server: FixedDnsServer) -> TxtResolver:
    return dns_resolver(server.address, timeout=1.0)


class CountingResolver:
    """A real resolver that also counts the lookups, to see what the cache saves."""

    def __init__(self, inner: TxtResolver) -> None:
        self.inner = inner
        self.names: list[str] = []

    def txt(self, name: str) -> list[str]:
        self.names.append(name)
        return self.inner.txt(name)


# The resolver


def test_resolver_returns_each_txt_record(resolver: TxtResolver) -> None:
    assert sorted(resolver.txt("_dmarc.notdmarc.example")) == [
        "google-site-verification=abc",
        "v=spf1 -all",
    ]


def test_resolver_joins_the_strings_of_a_long_record(resolver: TxtResolver) -> None:
    assert resolver.txt("_dmarc.split.example") == [LONG_RECORD]


def test_resolver_names_are_case_insensitive_and_absolute(resolver: TxtResolver) -> None:
    assert resolver.txt("_DMARC.Reject.Example.") == RECORDS["_dmarc.reject.example"]


@pytest.mark.parametrize(
    "name", ["_dmarc.missing.example", "_dmarc.empty.example", "_dmarc.servfail.example"]
)
def test_resolver_gives_nothing_for_nxdomain_nodata_and_servfail(
    resolver: TxtResolver, name: str
) -> None:
    started = time.monotonic()
    assert resolver.txt(name) == []
    assert time.monotonic() - started < 0.5


def test_closed_port_gives_no_policy_within_the_timeout() -> None:
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    started = time.monotonic()
    assert dmarc_policy("reject.example", dns_resolver(f"127.0.0.1:{port}", timeout=0.3)) is None
    assert time.monotonic() - started < 1.5


def test_silent_server_times_out_with_no_policy() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as silent:
        silent.bind(("127.0.0.1", 0))
        address = f"127.0.0.1:{silent.getsockname()[1]}"
        started = time.monotonic()
        assert dns_resolver(address, timeout=0.3).txt("_dmarc.reject.example") == []
        assert time.monotonic() - started < 1.5


def test_system_resolver_can_be_built() -> None:
    assert hasattr(dns_resolver(), "txt")  # no query: unit tests stay off the network


# Policy discovery


@pytest.mark.parametrize(
    ("domain", "expected"),
    [
        ("reject.example", "reject"),
        ("quarantine.example", "quarantine"),
        ("none.example", "none"),
        ("missing.example", None),
        ("REJECT.Example.", "reject"),
        (" reject.example ", "reject"),
        ("", None),
        # organizational fallback: sp= for subdomains, else p=
        ("org.example", "none"),
        ("mail.org.example", "reject"),
        ("a.b.c.org.example", "reject"),
        ("own.org.example", "quarantine"),
        ("mail.nosp.example", "quarantine"),
        ("mail.reject.example", "reject"),
        ("mail.badsp.example", "reject"),
        ("mail.missing.example", None),
        # two-level public suffixes
        ("thpt-chuvanan.hanoi.edu.vn", "quarantine"),
        ("hanoi.edu.vn", "none"),
        ("other.edu.vn", None),
        ("mail.school.co.uk", "reject"),
        # spelling tolerance
        ("spaces.example", "reject"),
        ("nosemi.example", "quarantine"),
        ("split.example", "reject"),
        # malformed records
        ("notdmarc.example", None),
        ("badp.example", "none"),
        ("nop.example", "none"),
        ("v2.example", None),
        ("prefixed.example", None),
        ("dmarc10.example", None),
        ("two.example", "reject"),
        ("servfail.example", None),
        ("mail.servfail.example", None),
        # internationalised and impossible names
        ("trường.vn", "quarantine"),
        ("thpt.TRƯỜNG.vn", "quarantine"),
        ("a" * 70 + ".vn", None),
        ("a..vn", None),
        ("bad name.vn", None),
        (".", None),
    ],
)
def test_dmarc_policy(resolver: TxtResolver, domain: str, expected: str | None) -> None:
    assert dmarc_policy(domain, resolver) == expected


def test_a_domain_with_its_own_record_does_not_ask_the_organization(
    resolver: TxtResolver,
) -> None:
    counting = CountingResolver(resolver)
    assert dmarc_policy("own.org.example", counting) == "quarantine"
    assert counting.names == ["_dmarc.own.org.example"]


def test_a_registrable_domain_without_a_record_asks_nothing_more(resolver: TxtResolver) -> None:
    counting = CountingResolver(resolver)
    assert dmarc_policy("other.edu.vn", counting) is None
    assert counting.names == ["_dmarc.other.edu.vn"]


@pytest.mark.parametrize(
    ("domain", "organizational"),
    [
        ("example.org", "example.org"),
        ("mail.example.org", "example.org"),
        ("a.b.c.example.org", "example.org"),
        ("thpt.hanoi.edu.vn", "hanoi.edu.vn"),
        ("moet.gov.vn", "moet.gov.vn"),
        ("mail.moet.gov.vn", "moet.gov.vn"),
        ("shop.com.vn", "shop.com.vn"),
        ("x.y.org.vn", "y.org.vn"),
        ("x.y.net.vn", "y.net.vn"),
        ("hanoi.vn", "hanoi.vn"),
        ("mail.ox.ac.uk", "ox.ac.uk"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.abc.com.au", "abc.com.au"),
        ("Mail.Example.ORG.", "example.org"),
        ("localhost", "localhost"),
        ("edu.vn", "edu.vn"),
    ],
)
def test_organizational_domain(domain: str, organizational: str) -> None:
    assert organizational_domain(domain) == organizational


# The decision


@pytest.mark.parametrize(
    ("policy", "setting", "munge"),
    [
        ("reject", "auto", True),
        ("quarantine", "auto", True),
        ("none", "auto", False),
        (None, "auto", False),
        ("reject", "never", False),
        (None, "never", False),
        ("none", "always", True),
        (None, "always", True),
    ],
)
def test_should_munge(policy: str | None, setting: str, munge: bool) -> None:
    assert should_munge(policy, setting) is munge


def test_unknown_munge_setting_is_refused() -> None:
    with pytest.raises(ValueError, match="sometimes"):
        should_munge("reject", "sometimes")


# The cache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_cache_answers_repeats_without_dns(resolver: TxtResolver) -> None:
    counting = CountingResolver(resolver)
    cache = DmarcCache(counting, clock=Clock())
    assert cache.policy("reject.example") == "reject"
    assert cache.policy("Reject.Example") == "reject"
    assert counting.names == ["_dmarc.reject.example"]


def test_cache_remembers_domains_without_a_record(resolver: TxtResolver) -> None:
    counting = CountingResolver(resolver)
    cache = DmarcCache(counting, clock=Clock())
    assert cache.policy("missing.example") is None
    assert cache.policy("missing.example") is None
    assert counting.names == ["_dmarc.missing.example"]


def test_cache_entries_expire_after_an_hour(resolver: TxtResolver) -> None:
    counting = CountingResolver(resolver)
    clock = Clock()
    cache = DmarcCache(counting, clock=clock)
    cache.policy("quarantine.example")
    clock.now += 3599
    cache.policy("quarantine.example")
    assert len(counting.names) == 1
    clock.now += 2
    assert cache.policy("quarantine.example") == "quarantine"
    assert len(counting.names) == 2


def test_cache_ttl_is_configurable(resolver: TxtResolver) -> None:
    counting = CountingResolver(resolver)
    clock = Clock()
    cache = DmarcCache(counting, ttl=10, clock=clock)
    cache.policy("none.example")
    clock.now += 11
    cache.policy("none.example")
    assert len(counting.names) == 2


def test_cache_is_bounded_and_forgets_the_least_recently_used(resolver: TxtResolver) -> None:
    counting = CountingResolver(resolver)
    cache = DmarcCache(counting, max_size=2, clock=Clock())
    cache.policy("reject.example")
    cache.policy("none.example")
    cache.policy("reject.example")  # now the most recent
    cache.policy("quarantine.example")  # evicts none.example
    assert len(cache) == 2
    del counting.names[:]
    assert cache.policy("reject.example") == "reject"
    assert counting.names == []
    assert cache.policy("none.example") == "none"
    assert counting.names == ["_dmarc.none.example"]
