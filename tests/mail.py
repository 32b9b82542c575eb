"""Small builders of raw test messages (bytes, as they would arrive)."""

from __future__ import annotations


def raw_mail(
    message_id: str | None,
    *,
    subject: str = "Hello",
    sender: str = "An Nguyen <an@example.org>",
    in_reply_to: str | None = None,
    references: str | None = None,
    date: str = "Tue, 14 Apr 2009 08:00:00 +0700",
    body: str = "Body text.\n",
    extra_headers: str = "",
    to: str = "thpt@example.org",
) -> bytes:
    lines = [f"From: {sender}", f"To: {to}", f"Subject: {subject}", f"Date: {date}"]
    if message_id is not None:
        lines.append(f"Message-ID: <{message_id}>")
    if in_reply_to:
        lines.append(f"In-Reply-To: <{in_reply_to}>")
    if references:
        lines.append(f"References: {references}")
    lines.append("MIME-Version: 1.0")
    lines.append("Content-Type: text/plain; charset=utf-8")
    lines.append("Content-Transfer-Encoding: 8bit")
    head = "\n".join(lines) + "\n" + extra_headers
    return (head + "\n" + body).encode("utf-8")
