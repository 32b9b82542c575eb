"""Limits on reading office documents (DOCX drafts now, attachment text later): the zip
package is checked entry by entry and its XML streamed, DTDs refused, before any library
builds the document in memory (2,000,000 paragraphs fit in 230 KB of zip)."""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import IO

from lxml import etree

from archive.budget import MIB, Limits, OverBudget

_XML_SUFFIXES = (".xml", ".rels", ".vml")


class NotAPackage(ValueError):
    """The bytes are not a readable zip package of XML parts (or one holds a DTD)."""


@dataclass(frozen=True, slots=True)
class DocumentLimits:
    """How big a document may be once unpacked, and where it is read."""

    max_entries: int = 2000
    max_expanded_bytes: int = 64 * MIB
    max_elements: int = 200_000  # a 100-page regulation has about 60,000
    # Up to this many XML elements python-docx reads it in the process (about 3 s at most:
    # it needs some 100 µs an element); more, in a child process stopped at `confined`.
    in_process_elements: int = 50_000
    confined: Limits = field(default_factory=lambda: Limits(seconds=30.0, memory_bytes=1536 * MIB))


@dataclass(frozen=True, slots=True)
class PackageSize:
    entries: int
    expanded_bytes: int
    elements: int


def check_package(data: bytes, limits: DocumentLimits) -> PackageSize:
    """Measure a zip package without unpacking it into memory.

    Raises NotAPackage when it is not one, OverBudget (with the reason) when it is too big."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        entries = package.infolist()
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as error:
        raise NotAPackage(f"not a zip package: {error}") from error
    if len(entries) > limits.max_entries:
        raise OverBudget(f"more than {limits.max_entries} parts")
    # zipfile never inflates an entry past its declared size, so the sum bounds memory.
    expanded = sum(entry.file_size for entry in entries)
    if expanded > limits.max_expanded_bytes:
        raise OverBudget(f"larger than {limits.max_expanded_bytes // MIB} MiB once unpacked")
    elements = 0
    for entry in entries:
        if entry.filename.lower().endswith(_XML_SUFFIXES):
            elements += _count_elements(package, entry, limits.max_elements - elements)
    return PackageSize(len(entries), expanded, elements)


def _count_elements(package: zipfile.ZipFile, entry: zipfile.ZipInfo, allowed: int) -> int:
    """Elements of one XML part, streamed and dropped as read; stops past `allowed`."""
    count = 0
    try:
        with package.open(entry) as stream:
            for event, element in _events(stream):
                if event == "end":
                    element.clear(keep_tail=False)
                    continue
                if count == 0 and element.getroottree().docinfo.internalDTD is not None:
                    raise NotAPackage(f"{entry.filename} declares a DTD (XML entities)")
                count += 1
                if count > allowed:
                    raise OverBudget("too many XML elements (paragraphs, runs, cells)")
    except etree.XMLSyntaxError as error:  # entity loops and amplification end here too
        raise NotAPackage(f"{entry.filename}: {error}") from error
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        raise NotAPackage(f"{entry.filename}: {error}") from error
    return count


def _events(stream: IO[bytes]) -> etree.iterparse:
    return etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
    )
