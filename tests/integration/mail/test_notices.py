"""Notices that need action: one copy per person across groups, acknowledgement by link and by
reply, reminders on an injected clock, the dashboard, and tags from unauthorised senders."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from aiosmtpd.controller import Controller
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select

from archive.models import MailingList, Message
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member, find_member
from forum.notices.models import Acknowledgement, Notice
from forum.notices.notices import send_deadline_summaries, send_reminders
from forum.settings import Settings
from tests.integration.mail.conftest import MEMBERS, post_mail, send, work
from tests.smtp_sink import Sink
from tests.web import csrf_token, sign_in_as_admin, sign_in_by_link

OWNER = "owner@so.example"
FOCAL_THPT = MEMBERS[2]
FOCAL_THCS = "dau.moi@phong-gd.edu.vn"
SUBJECT = "[Cần phúc đáp 2026-12-05] Báo cáo số liệu học sinh"


def _setup(thpt: MailingList) -> MailingList:
    member = find_member(db.session(), thpt, FOCAL_THPT)
    assert member is not None
    member.is_focal_point, member.unit = True, "THPT Chu Văn An"
    thcs, _ = ensure_list(db.session(), ListSpec("thcs", "Trung học cơ sở", ""), "example.org")
    focal, _ = add_member(db.session(), thcs, FOCAL_THCS)
    focal.is_focal_point, focal.unit = True, "Phòng GD Ba Đình"
    add_member(db.session(), thcs, FOCAL_THPT)  # in both groups
    add_member(db.session(), thcs, OWNER, role="owner")
    db.session.commit()
    return thcs


def _send_notice(app: Flask, settings: Settings) -> Notice:
    raw = post_mail(OWNER, "notice1@so.example", SUBJECT).replace(
        b"To: thpt@example.org", b"To: thpt@example.org, thcs@example.org"
    )
    send(settings, OWNER, ["thpt@example.org", "thcs@example.org"], raw)
    work(app, settings)
    return db.session.scalars(select(Notice)).one()


def _reply(settings: Settings, sender: str, body: str, mid: str) -> None:
    raw = post_mail(sender, mid, "Re: " + SUBJECT, in_reply_to="notice1@so.example", body=body)
    send(settings, sender, ["thpt@example.org"], raw)


def test_a_cross_posted_notice_reaches_each_person_once_and_focal_points_get_a_link(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
) -> None:
    _setup(thpt)
    notice = _send_notice(app, settings)
    assert notice.kind == "reply"
    assert notice.deadline is not None
    # the end of 5 December in Vietnam (UTC+7), the site's default time zone
    assert notice.deadline == datetime(2026, 12, 5, 16, 59, 59, tzinfo=UTC)
    for person in (*MEMBERS, OWNER, FOCAL_THCS):
        assert len(sink.for_recipient(person)) == 1, person
    assert "/notices/ack/" not in sink.for_recipient(MEMBERS[1])[0].text
    link = re.search(
        r"http://forum\.test(/notices/ack/\S+)", sink.for_recipient(FOCAL_THPT)[0].text
    )
    assert link is not None
    assert client.get(link.group(1)).status_code == 200  # a scanner's GET changes nothing
    assert db.session.scalar(select(Acknowledgement.id)) is None
    token = csrf_token(client, link.group(1))
    assert client.post(link.group(1), data={"csrf_token": token}).status_code == 200
    ack = db.session.scalars(select(Acknowledgement)).one()
    assert (ack.email, ack.how) == (FOCAL_THPT, "link")
    archived = db.session.scalars(
        select(Message).where(Message.message_id == "notice1@so.example")
    ).first()
    assert archived is not None
    page = client.get(f"/lists/thpt/message/{archived.message_id_hash}/?lang=en").get_data(
        as_text=True
    )
    assert "Needs action" in page
    assert "Deadline" in page


def test_acknowledgement_by_reply_and_a_real_answer_that_also_counts(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _setup(thpt)
    _send_notice(app, settings)
    before = db.session.scalar(select(db.func.count(Message.id)))
    _reply(settings, FOCAL_THCS, "Đã nhận.\n\n> Báo cáo số liệu", "ack1@phong")
    work(app, settings)
    assert db.session.scalar(select(db.func.count(Message.id))) == before  # not posted
    _reply(settings, FOCAL_THPT, "Trường đã gửi số liệu: 1.200 học sinh, 32 lớp.", "answer1@truong")
    work(app, settings)
    assert (
        db.session.scalar(select(Message.id).where(Message.message_id == "answer1@truong"))
        is not None
    )
    acks = {a.email: a.how for a in db.session.scalars(select(Acknowledgement))}
    assert acks == {FOCAL_THCS: "reply", FOCAL_THPT: "reply"}


def test_reminders_go_only_to_those_who_have_not_acknowledged(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _setup(thpt)
    _send_notice(app, settings)
    _reply(settings, FOCAL_THCS, "Đã nhận", "ack2@phong")
    work(app, settings)
    received = {p: len(sink.for_recipient(p)) for p in (FOCAL_THPT, FOCAL_THCS, OWNER)}
    # days are Vietnam's: 3 December starts at 17:00 UTC on the 2nd
    late_on_the_first = datetime(2026, 12, 2, 16, 30, tzinfo=UTC)
    assert send_reminders(db.session(), settings, late_on_the_first) == 0
    two_days = datetime(2026, 12, 2, 17, 30, tzinfo=UTC)
    assert send_reminders(db.session(), settings, two_days) == 1
    assert send_reminders(db.session(), settings, two_days) == 0  # once
    one_day = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
    assert send_reminders(db.session(), settings, one_day) == 1
    last_hour = datetime(2026, 12, 5, 16, 30, tzinfo=UTC)
    assert send_deadline_summaries(db.session(), settings, last_hour) == 0
    after = datetime(2026, 12, 5, 17, 0, tzinfo=UTC)
    assert send_deadline_summaries(db.session(), settings, after) == 1
    assert send_deadline_summaries(db.session(), settings, after) == 0
    db.session.commit()
    work(app, settings)
    assert len(sink.for_recipient(FOCAL_THPT)) == received[FOCAL_THPT] + 2
    assert len(sink.for_recipient(FOCAL_THCS)) == received[FOCAL_THCS]
    summary = sink.for_recipient(OWNER)[-1].text
    assert "1 of 2" in summary or "1/2" in summary or "1 trong 2" in summary


def test_the_dashboard_lists_focal_points_by_group_and_unit(
    app: Flask,
    settings: Settings,
    server: Controller,
    sink: Sink,
    thpt: MailingList,
    client: FlaskClient,
    runner: FlaskCliRunner,
) -> None:
    _setup(thpt)
    notice = _send_notice(app, settings)
    _reply(settings, FOCAL_THCS, "da nhan", "ack3@phong")
    work(app, settings)
    path = f"/notices/{notice.id}/"
    assert client.get(path).status_code == 302
    sign_in_as_admin(client, runner)
    page = client.get(path).get_data(as_text=True)
    assert "Phòng GD Ba Đình" in page
    assert "THPT Chu Văn An" in page
    csv_text = client.get(f"/notices/{notice.id}/focal-points.csv?lang=en").get_data(as_text=True)
    assert csv_text.startswith("\ufeffGroup,Unit,Name,Email address,Acknowledged,How,Delivery")
    assert "Trung học cơ sở" in csv_text  # groups by name
    rows = [line.split(",") for line in csv_text.strip().splitlines()]
    acked = {r[3]: r[4] for r in rows[1:]}
    assert acked[FOCAL_THCS]
    assert acked[FOCAL_THPT] == ""


def test_a_tag_from_an_unauthorised_sender_is_ignored(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _setup(thpt)
    send(settings, MEMBERS[0], ["thpt@example.org"], post_mail(MEMBERS[0], "fake@x", SUBJECT))
    work(app, settings)
    assert db.session.scalar(select(Notice.id)) is None
    assert db.session.scalar(select(Message.id).where(Message.message_id == "fake@x")) is not None
    assert "/notices/ack/" not in sink.for_recipient(FOCAL_THPT)[0].text


def test_the_web_form_marks_a_notice_with_its_deadline() -> None:
    from forum.notices.tags import with_notice_tag

    assert with_notice_tag("Số liệu", "reply", "2026-12-05") == "[Cần phúc đáp 2026-12-05] Số liệu"
    assert with_notice_tag("Họp", "invitation", "") == "[Giấy mời] Họp"
    assert with_notice_tag("Họp", "", "2026-12-05") == "Họp"
    assert with_notice_tag("[Giấy mời] Họp", "reply", "2026-12-05") == "[Giấy mời] Họp"
    assert with_notice_tag("x", "reply", "2026-12-05\r\nBcc: a@b") == "[Cần phúc đáp] x"


def test_the_archive_offers_focal_points_an_acknowledge_button_and_owners_the_dashboard(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _setup(thpt)
    notice = _send_notice(app, settings)
    message = db.session.scalars(select(Message).where(Message.list_id == thpt.id)).one()
    page_path = f"/lists/thpt/message/{message.message_id_hash}/"
    dashboard = f"/notices/{notice.id}/"

    anonymous = app.test_client()
    assert "/notices/" not in anonymous.get(page_path).get_data(as_text=True)

    focal = app.test_client()
    sign_in_by_link(app, settings, sink, focal, FOCAL_THPT)
    focal.set_cookie("lang", "en")
    page = focal.get(page_path).get_data(as_text=True)
    assert dashboard not in page  # not theirs to see
    link = re.search(r'class="acknowledge" href="http://forum\.test(/notices/ack/[^"]+)"', page)
    assert link is not None
    done = focal.post(link.group(1), data={"csrf_token": csrf_token(focal, link.group(1))}).text
    assert page_path in done  # the way back to the notice
    assert 'href="/notices/"' in done
    page = focal.get(f"/lists/thpt/thread/{message.thread_id}/").get_data(as_text=True)
    assert "You acknowledged it" in page
    assert 'class="acknowledge"' not in page

    assert "/admin/outgoing/" not in page  # delivery status: for those who run the group

    owner = app.test_client()
    sign_in_by_link(app, settings, sink, owner, OWNER)
    owner_view = owner.get(page_path).get_data(as_text=True)
    assert dashboard in owner_view
    assert owner.get(dashboard).status_code == 200
    status = re.search(r'href="(/admin/outgoing/\d+/)"', owner_view)
    assert status is not None
    delivery = owner.get(status.group(1) + "?lang=en").text
    assert FOCAL_THPT in delivery  # the focal point's own copy is counted with the rest
    assert f"{len(MEMBERS) + 1} recipients" in delivery  # the members and the owner


def test_the_notices_page_lists_each_persons_notices_and_what_they_ask(
    app: Flask, settings: Settings, server: Controller, sink: Sink, thpt: MailingList
) -> None:
    _setup(thpt)
    notice = _send_notice(app, settings)
    outsider, _ = ensure_list(db.session(), ListSpec("mamnon", "Mầm non", ""), "example.org")
    add_member(db.session(), outsider, "co.hoa@mamnon.edu.vn")
    db.session.commit()
    assert app.test_client().get("/notices/").status_code == 302

    def page_of(email: str) -> str:
        client = app.test_client()
        sign_in_by_link(app, settings, sink, client, email)
        client.set_cookie("lang", "en")
        return client.get("/notices/").get_data(as_text=True)

    focal = page_of(FOCAL_THCS)
    assert "Báo cáo số liệu học sinh" in focal
    assert 'class="acknowledge"' in focal
    assert f"/notices/{notice.id}/" not in focal
    member = page_of(MEMBERS[0])
    assert "Báo cáo số liệu học sinh" in member
    assert 'class="acknowledge"' not in member
    assert "Báo cáo số liệu học sinh" not in page_of("co.hoa@mamnon.edu.vn")
    owner = app.test_client()
    sign_in_by_link(app, settings, sink, owner, OWNER)
    assert f"/notices/{notice.id}/" in owner.get("/notices/").get_data(as_text=True)
    dashboard = owner.get(f"/notices/{notice.id}/").get_data(as_text=True)
    assert "Trung học cơ sở" in dashboard  # groups by their names
