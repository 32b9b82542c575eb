"""Hostile DOCX packages, built as the issue's attacker built them: valid zips around XML
that expands past any sane size."""

from __future__ import annotations

import io
import zipfile

import docx

W = b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def docx_with_body(body: bytes, prolog: bytes = b"") -> bytes:
    """A DOCX made by python-docx, its word/document.xml holding `body`."""
    blank = io.BytesIO()
    docx.Document().save(blank)
    source = zipfile.ZipFile(blank)
    xml = HEAD + prolog + b"<w:document " + W + b"><w:body>" + body + b"</w:body></w:document>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for entry in source.infolist():
            data = xml if entry.filename == "word/document.xml" else source.read(entry.filename)
            package.writestr(entry.filename, data, compresslevel=9)
    return out.getvalue()


def paragraphs(count: int, text: bytes = b"x") -> bytes:
    return docx_with_body((b"<w:p><w:r><w:t>" + text + b"</w:t></w:r></w:p>") * count)


def billion_laughs() -> bytes:
    entities = [b'<!ENTITY lol0 "lol">']
    entities += [b'<!ENTITY lol%d "%s">' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10)]
    prolog = b"<!DOCTYPE w:document [" + b"".join(entities) + b"]>\n"
    return docx_with_body(b"<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", prolog)


def with_entity() -> bytes:
    """A harmless DTD: Word never writes one, so it is refused all the same."""
    prolog = b'<!DOCTYPE w:document [<!ENTITY ten "10">]>\n'
    return docx_with_body(b"<w:p><w:r><w:t>&ten;</w:t></w:r></w:p>", prolog)
