"""DMARC policy discovery (RFC 7489 section 6.6.3), so a list knows when to rewrite From.

dnspython is imported when a resolver is first made: a command that receives no mail (an
import, a search rebuild) starts without it."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import dns.resolver

POLICIES = ("none", "quarantine", "reject")  # in increasing strictness
MUNGE_SETTINGS = ("always", "never", "auto")
# Registrable domains sit one label below these (a small, mail-relevant slice of the
# Public Suffix List; anything else is taken to be a one-label suffix such as .vn or .com).
TWO_LEVEL_SUFFIXES = frozenset(
    f"{second}.{top}"
    for top, seconds in {
        "vn": "edu gov com org net ac int info biz name pro health",
        "uk": "ac co gov ltd me net nhs org plc sch",
        "au": "com net org edu gov asn id",
        "jp": "ac co go ne or",
        "nz": "ac co govt net org school",
        "kr": "ac co go or",
        "cn": "com edu gov net org",
        "tw": "com edu gov net org",
        "hk": "com edu gov net org",
        "sg": "com edu gov net org",
        "th": "ac co go in or",
        "br": "com edu gov net org",
        "in": "ac co edu gov net org",
        "za": "ac co gov org",
    }.items()
    for second in seconds.split()
)
_VERSION = re.compile(r"\s*v\s*=\s*dmarc1(?![0-9a-z])", re.IGNORECASE)
_TAG = re.compile(r"([a-z]+)\s*=\s*([^;\s]*)", re.IGNORECASE)


class TxtResolver(Protocol):
    def txt(self, name: str) -> list[str]:
        """The TXT records at `name`, one string per record; [] when there are none."""
        ...


class _DnsPythonResolver:
    def __init__(self, resolver: dns.resolver.Resolver) -> None:
        self._resolver = resolver

    def txt(self, name: str) -> list[str]:
        import dns.exception

        try:
            answer = self._resolver.resolve(name, "TXT", search=False, raise_on_no_answer=False)
        except dns.exception.DNSException:  # NXDOMAIN, SERVFAIL, timeout: all mean "no policy"
            return []
        # A record may be split into several 255-byte strings; RFC 7489 joins them.
        return [
            b"".join(rdata.strings).decode("utf-8", "replace")
            for rdata in answer.rrset or ()
            if hasattr(rdata, "strings")
        ]


def dns_resolver(nameserver: str | None = None, timeout: float = 2.0) -> TxtResolver:
    """A resolver over dnspython: one server ("IP", "IP:PORT", "[IPv6]:PORT") or resolv.conf."""
    import dns.nameserver
    import dns.resolver

    if nameserver is None:
        try:
            resolver = dns.resolver.Resolver()
        except dns.resolver.NoResolverConfiguration:
            resolver = dns.resolver.Resolver(configure=False)
    else:
        resolver = dns.resolver.Resolver(configure=False)
        host, port = _host_port(nameserver)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(host, port)]
    resolver.use_edns(0, 0, 1232)  # long TXT answers fit in one UDP reply (DNS flag day 2020)
    resolver.timeout = timeout
    resolver.lifetime = timeout
    return _DnsPythonResolver(resolver)


def _host_port(nameserver: str) -> tuple[str, int]:
    if nameserver.startswith("["):
        host, _, port = nameserver[1:].partition("]:")
        return host.rstrip("]"), int(port or 53)
    if nameserver.count(":") == 1:
        host, _, port = nameserver.partition(":")
        return host, int(port)
    return nameserver, 53


def organizational_domain(domain: str) -> str:
    """The registrable domain: `thpt.hanoi.edu.vn` -> `hanoi.edu.vn`, `a.b.com` -> `b.com`."""
    labels = domain.lower().rstrip(".").split(".")
    keep = 3 if ".".join(labels[-2:]) in TWO_LEVEL_SUFFIXES else 2
    return ".".join(labels[-keep:])


def dmarc_policy(author_domain: str, resolver: TxtResolver) -> str | None:
    """The DMARC policy that applies to mail from `author_domain`, or None without a record."""
    domain = author_domain.strip().rstrip(".").lower()
    if not domain or ".." in domain:
        return None
    records = _records(resolver, domain)
    if records:
        return _strictest(tags.get("p") for tags in records)
    organizational = organizational_domain(domain)
    if organizational == domain:
        return None
    records = _records(resolver, organizational)
    if not records:
        return None
    return _strictest(
        tags["sp"] if tags.get("sp") in POLICIES else tags.get("p") for tags in records
    )


def _records(resolver: TxtResolver, domain: str) -> list[dict[str, str]]:
    """The tags of each v=DMARC1 record at _dmarc.<domain>; other TXT records are ignored."""
    found = []
    for text in resolver.txt(f"_dmarc.{domain}"):
        version = _VERSION.match(text)
        if version is None:
            continue
        rest = text[version.end() :]
        found.append({name.lower(): value.lower() for name, value in _TAG.findall(rest)})
    return found


def _strictest(policies: Iterable[str | None]) -> str:
    """RFC 7489 ignores a domain with several records; a list is safer assuming the worst.
    A record without a valid p= still means the domain publishes DMARC: "none"."""
    valid = [policy for policy in policies if policy is not None and policy in POLICIES]
    return max(valid, key=POLICIES.index) if valid else "none"


def should_munge(policy: str | None, setting: str) -> bool:
    """Whether to rewrite From: `setting` is the list's "always", "never" or "auto"."""
    if setting == "always":
        return True
    if setting == "never":
        return False
    if setting == "auto":
        return policy in ("reject", "quarantine")
    raise ValueError(f"DMARC setting must be one of {MUNGE_SETTINGS}, not {setting!r}")


class DmarcCache:
    """Remembers each domain's policy (absent ones too) for `ttl` seconds, LRU-bounded;
    safe to share between delivery threads."""

    def __init__(
        self,
        resolver: TxtResolver,
        *,
        ttl: float = 3600.0,
        max_size: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._resolver = resolver
        self._ttl = ttl
        self._max_size = max_size
        self._clock = clock
        self._entries: OrderedDict[str, tuple[float, str | None]] = OrderedDict()
        self._lock = threading.Lock()

    def policy(self, domain: str) -> str | None:
        key = domain.strip().rstrip(".").lower()
        now = self._clock()
        with self._lock:
            cached = self._entries.get(key)
            if cached is not None and cached[0] > now:
                self._entries.move_to_end(key)
                return cached[1]
        # The lookup runs unlocked: a slow DNS answer must not stall other domains.
        found = dmarc_policy(key, self._resolver)
        with self._lock:
            self._entries[key] = (now + self._ttl, found)
            self._entries.move_to_end(key)
            while len(self._entries) > self._max_size:
                self._entries.popitem(last=False)
        return found

    def __len__(self) -> int:
        return len(self._entries)
