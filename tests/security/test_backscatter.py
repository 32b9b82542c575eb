"""Backscatter: forged mail must not make us mail a stranger more than the shared budget of
automatic replies, and then one "too many requests" notice a day."""

from __future__ import annotations

import re

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskCliRunner

from archive.models import MailingList
from forum.ratelimit import BUDGET
from forum.settings import Settings
from tests.integration.mail.conftest import post_mail, send, work
from tests.integration.mail.test_membership_flow import _mail, _subject
from tests.smtp_sink import Received, Sink

VICTIM = "victim@school.example"


def _notices(received: list[Received]) -> list[Received]:
    return [r for r in received if "Too many requests" in _subject(r)]


def test_twenty_forged_help_mails_get_at_most_the_budget_and_one_notice(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    for n in range(20):
        raw = _mail(VICTIM, "thpt-request@example.org", "help", f"-- \nlần {n}")
        send(settings, VICTIM, ["thpt-request@example.org"], raw)
    for n in range(5):  # the same address on the other request addresses
        raw = _mail(VICTIM, "thpt-join@example.org", f"join {n}", "x")
        send(settings, VICTIM, ["thpt-join@example.org", "thpt-leave@example.org"], raw)
    work(app, settings)
    received = sink.for_recipient(VICTIM)
    assert len(received) <= BUDGET.count + 1
    (notice,) = _notices(received)
    assert re.search(r"try again at \d\d:\d\d", notice.text)


def test_forged_posts_to_a_list_that_rejects_strangers_are_answered_within_the_budget(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    runner: FlaskCliRunner,
) -> None:
    assert runner.invoke(args=["policy", "thpt", "nonmember_action", "reject"]).exit_code == 0
    for n in range(20):
        send(settings, VICTIM, ["thpt@example.org"], post_mail(VICTIM, f"forged{n}@x"))
    work(app, settings)
    received = sink.for_recipient(VICTIM)
    assert 1 <= len(received) <= BUDGET.count + 1
    assert len(_notices(received)) == 1
    assert not [r for r in received if "awaits approval" in _subject(r)]  # refused, not held
