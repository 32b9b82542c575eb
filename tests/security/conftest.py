"""The mail fixtures (SMTP sink, our SMTP server, the `thpt` list) for the security suite."""

from __future__ import annotations

from tests.integration.mail.conftest import server, settings, sink, thpt

__all__ = ["server", "settings", "sink", "thpt"]
