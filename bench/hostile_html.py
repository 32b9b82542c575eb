"""Time to sanitise and to read as text hostile HTML shapes (issue 13): each must stay within
a second or two, by finishing or by being refused with a reason."""

from __future__ import annotations

import time
from collections.abc import Callable

from archive.parse import parse_message
from archive.sanitize import HtmlOverBudget, html_to_text, sanitize_html

SHAPES: dict[str, str] = {
    "8,000 nested <div>": "<div>" * 8000 + "x" + "</div>" * 8000,
    "100,000 nested <div>": "<div>" * 100000,
    "20,000 '<a '": "x" + "<a " * 20000,
    "10,000 '<a><div></a>'": "<a><div></a>" * 10000,
    "10,000 '<p><b><i>'": "<p><b><i>" * 10000,
    "14,000 styled paragraphs (1.1 MB)": (
        '<p style="color: red">Xin chào <b>các</b> bạn <a href="https://x.vn/">link</a></p>\n'
        * 14000
    ),
    "40,000 '&amp;' lines (1 MB)": "Xin chào các bạn &amp; x\n" * 40000,
    "20,000 nested <blockquote>": "<blockquote>" * 20000 + "x" + "</blockquote>" * 20000,
}


def timed(function: Callable[[str], object], html: str) -> str:
    start = time.perf_counter()
    try:
        function(html)
        outcome = "done"
    except HtmlOverBudget as error:
        outcome = f"refused ({error.reason})"
    return f"{time.perf_counter() - start:6.2f} s {outcome}"


def mail_of(html: str) -> bytes:
    head = "From: x@example.org\r\nSubject: s\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
    return head.encode() + html.encode()


def main() -> None:
    for name, html in SHAPES.items():
        print(f"{name:38} sanitize {timed(sanitize_html, html)}")
        print(f"{'':38} as text  {timed(html_to_text, html)}")
        print(f"{'':38} parse    {timed(lambda h: parse_message(mail_of(h)), html)}")


if __name__ == "__main__":
    main()
