"""Runs of a DOCX set in a TCVN3 (`.VnTime`, `.VnTimeH`) or VNI (`VNI-Times`) font, read as
the Vietnamese they show: such fonts draw Vietnamese letters over Latin-1 codes.

A run's font is its own `w:rFonts`, else its character style's, else its paragraph style's
(and that style's bases), else the document default. Latin-1 letters are drawn with the
`w:hAnsi` font, so that one is asked first.
"""

from __future__ import annotations

from typing import Any

from docx.document import Document
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from archive.legacy_vietnamese import Encoding, convert, font_encoding

# Symbol-charset fonts are stored in the private use area, U+F0A0 for the byte 0xA0.
_PRIVATE_USE = {0xF000 + code: code for code in range(0x20, 0x100)}


def _font_name(rpr: Any) -> str | None:
    """The font a `w:rPr` sets for Latin-1 letters, if it sets one."""
    fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    name = fonts.get(qn("w:hAnsi")) or fonts.get(qn("w:ascii"))
    return str(name) if name else None


class LegacyFonts:
    """Which runs of one document are set in a legacy Vietnamese font."""

    def __init__(self, document: Document) -> None:
        names = {
            str(font.get(qn(attribute)))
            for root in (document.element, document.styles.element)
            for font in root.iter(qn("w:rFonts"))
            for attribute in ("w:hAnsi", "w:ascii")
            if font.get(qn(attribute))
        }
        self.present = any(font_encoding(name) for name in names)
        defaults = document.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}") if defaults is not None else None
        self._default = _font_name(rpr)
        self._styles: dict[str, str | None] = {}

    def text(self, paragraph: Paragraph) -> str:
        """The paragraph's text, its legacy-font runs converted to Unicode."""
        if not self.present:
            return paragraph.text
        parts: list[str] = []
        for item in paragraph.iter_inner_content():
            for run in item.runs if not isinstance(item, Run) else [item]:
                found = font_encoding(self._font(run, paragraph) or "")
                parts.append(run.text if found is None else _converted(run.text, *found))
        return "".join(parts)

    def _font(self, run: Run, paragraph: Paragraph) -> str | None:
        own = _font_name(run._r.rPr)
        if own:
            return own
        style = run._r.rPr.find(qn("w:rStyle")) if run._r.rPr is not None else None
        if style is not None:
            found = self._style_font(run.style)
            if found:
                return found
        return self._style_font(paragraph.style) or self._default

    def _style_font(self, style: BaseStyle | None) -> str | None:
        """The font a style sets, itself or through the styles it is based on."""
        if style is None:
            return None
        key = str(style.style_id)
        if key not in self._styles:
            self._styles[key] = None  # a loop of base styles ends here
            chain: BaseStyle | None = style
            for _ in range(16):
                if chain is None:
                    break
                found = _font_name(chain.element.rPr)
                if found:
                    self._styles[key] = found
                    break
                chain = getattr(chain, "base_style", None)  # character and paragraph styles
        return self._styles[key]


def _converted(text: str, encoding: Encoding, capitals: bool) -> str:
    return convert(text.translate(_PRIVATE_USE), encoding, capitals)
