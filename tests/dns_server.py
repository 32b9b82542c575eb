"""A tiny authoritative DNS server for tests: fixed TXT records over UDP on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterable
from types import TracebackType

import dns.exception
import dns.flags
import dns.message
import dns.name
import dns.rcode
import dns.rdatatype
import dns.rrset

TTL = 300
MAX_STRING = 255  # one TXT character-string; longer records are split, as DNS requires


class FixedDnsServer:
    """Answers TXT queries from `records` ({name: [one string per record]}).

    A name not in `records` gets NXDOMAIN; a name in `failing` gets SERVFAIL. Names are
    case-insensitive and may be written with or without the final dot.

        with FixedDnsServer({"_dmarc.example.org": ["v=DMARC1; p=reject"]}) as server:
            dns_resolver(server.address).txt("_dmarc.example.org")
    """

    def __init__(self, records: dict[str, list[str]], *, failing: Iterable[str] = ()) -> None:
        self._records = {_key(name): list(texts) for name, texts in records.items()}
        self._failing = {_key(name) for name in failing}
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.settimeout(0.05)  # how long stopping may take
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="fixed-dns", daemon=True)

    @property
    def address(self) -> str:
        host, port = self._socket.getsockname()
        return f"{host}:{port}"

    def __enter__(self) -> FixedDnsServer:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        self._socket.close()

    def _serve(self) -> None:
        while not self._stopping.is_set():
            try:
                wire, peer = self._socket.recvfrom(65535)
            except TimeoutError:
                continue
            try:
                query = dns.message.from_wire(wire)
            except dns.exception.DNSException:
                continue  # not DNS: a real server would drop it too
            self._socket.sendto(self._answer(query), peer)

    def _answer(self, query: dns.message.Message) -> bytes:
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        for question in query.question:
            name = _key(question.name.to_text())
            if name in self._failing:
                response.set_rcode(dns.rcode.SERVFAIL)
            elif name not in self._records:
                response.set_rcode(dns.rcode.NXDOMAIN)
            elif question.rdtype == dns.rdatatype.TXT and self._records[name]:
                texts = [_quoted(text) for text in self._records[name]]
                response.answer.append(dns.rrset.from_text(question.name, TTL, "IN", "TXT", *texts))
        try:
            return response.to_wire(max_size=max(query.payload, 512))
        except dns.exception.TooBig:
            response.answer.clear()
            response.flags |= dns.flags.TC  # the client would retry over TCP, which we lack
            return response.to_wire()


def _key(name: str) -> str:
    return name.rstrip(".").lower()


def _quoted(text: str) -> str:
    """One TXT record in zone-file syntax: quoted, escaped, split into 255-byte strings."""
    data = text.encode("utf-8")
    chunks = [data[i : i + MAX_STRING] for i in range(0, len(data), MAX_STRING)] or [b""]
    return " ".join('"' + "".join(_escaped(byte) for byte in chunk) + '"' for chunk in chunks)


def _escaped(byte: int) -> str:
    if byte in b'"\\':
        return "\\" + chr(byte)
    if 0x20 <= byte < 0x7F:
        return chr(byte)
    return f"\\{byte:03d}"
