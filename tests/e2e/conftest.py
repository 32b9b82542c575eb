"""A live server in a thread and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from forum.settings import Settings
from tests.smtp_sink import Sink

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def live_server(app: Flask) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def sink(no_outbound_smtp: set[int]) -> Iterator[Sink]:
    """The smarthost: mail the browser journeys cause (sign-in links) arrives here."""
    server = Sink().start()
    no_outbound_smtp.add(server.port)
    yield server
    server.stop()


@pytest.fixture
def settings(settings: Settings, database_url: str, sink: Sink) -> Settings:
    return settings.but(smtp_url=sink.url)


@pytest.fixture
def one_database(database_url: str) -> None:
    """For checks of layout and markup only (screenshots, axe, sizes): what they measure does
    not depend on the database, so they run once, on SQLite, not again on PostgreSQL."""
    if not database_url.startswith("sqlite"):
        pytest.skip("a layout check: the SQLite run covers it")
