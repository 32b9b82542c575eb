"""A message posted over SMTP becomes searchable once the worker has run its rounds."""

from __future__ import annotations

from aiosmtpd.controller import Controller
from flask import Flask

from archive.models import MailingList
from forum.extensions import db
from forum.search.indexing import index_pending
from forum.settings import Settings
from forum.views import search_views
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink


def test_a_post_over_smtp_is_found_after_the_worker_runs(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    if "search" not in app.blueprints:
        app.register_blueprint(search_views.bp)
    client = app.test_client()
    body = "Kính gửi các trường,\nĐề nghị đăng ký tài khoản thư điện tử trước ngày 20.\n"
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "dk@x", body=body))
    before = client.get("/search?q=dang+ky+tai+khoan").get_data(as_text=True)
    assert "/lists/thpt/message/" not in before

    work(app, settings)  # the pipeline stores the post
    index_pending(db.session, settings)  # the worker's search step

    after = client.get("/search?q=dang+ky+tai+khoan").get_data(as_text=True)
    assert "/lists/thpt/message/" in after
    assert "<mark>đăng</mark> <mark>ký</mark> <mark>tài</mark> <mark>khoản</mark>" in after
    assert index_pending(db.session, settings) == 0  # nothing left to do
