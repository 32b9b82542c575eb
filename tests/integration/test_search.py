"""Search through HTTP (Flask's test client) over real stored corpus mail: Vietnamese words,
private lists, facets, pages, date order, the Atom feed, hostile queries, `forum reindex`."""

from __future__ import annotations

import re
import shutil
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import delete, func, select, update

from archive.models import MailingList, Message
from archive.store import store, store_batch
from forum.cli.search import COMMANDS
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.models import Account
from forum.search.indexing import index_dir, index_pending, reindex, search_backend
from forum.settings import Settings
from forum.views import search_views
from search_index import pg_index
from search_index.backends import WHOOSH
from search_index.documents import document, load_rows
from search_index.indexer import SETTLE_SECONDS, IndexState, open_index, put_state, writing
from search_index.pg_schema import search_document, search_state
from search_index.schema import SCHEMA_VERSION
from search_index.sync import index_new
from tests.mail import raw_mail

ATOM = "{http://www.w3.org/2005/Atom}"
MEMBER = "co.lan@truong.edu.vn"
HOSTILE_QUERIES = [
    '"dự thảo',
    '"',
    "*",
    "-",
    "OR",
    "OR OR -",
    "from:",
    'from:"',
    "list:",
    "list:<script>",
    "after:2009-13-45",
    "on:0000",
    "before:9999-12-31",
    "in:thread:abc",
    "thread:99999999999999999999999",
    "has:nothing",
    ")(][}{",
    "\x00\x01 \ufffd",
    "<script>alert(1)</script>",
    "đăng ký " * 1200,  # about 10 KB
    "a" * 10_000,
]


@pytest.fixture
def settings(settings: Settings, search_backend_name: str) -> Settings:
    return settings.but(search_backend=search_backend_name)


def _lose_index(settings: Settings) -> None:
    if settings.search_backend == WHOOSH:
        shutil.rmtree(index_dir(settings))
        return
    db.session.execute(delete(search_document))
    db.session.execute(delete(search_state))
    db.session.commit()


@contextmanager
def _another_writer(settings: Settings) -> Iterator[None]:
    """Another process writing the index meanwhile."""
    if settings.search_backend == WHOOSH:
        with writing(open_index(index_dir(settings))):
            yield
        return
    with db.engine.connect() as other, other.begin():
        other.execute(select(search_state).with_for_update())
        yield


def _index_new_at(settings: Settings, now: float) -> int:
    if settings.search_backend == WHOOSH:
        return index_new(db.session, index_dir(settings), now=now)
    return pg_index.index_new(db.session, now=now)


def _leave_older_version(settings: Settings) -> None:
    if settings.search_backend == WHOOSH:
        with writing(open_index(index_dir(settings))) as writer:
            put_state(writer, IndexState(mark=1, version=SCHEMA_VERSION - 1))
        return
    db.session.execute(update(search_state).values(version=SCHEMA_VERSION - 1))
    db.session.commit()


@pytest.fixture
def search_app(app: Flask) -> Flask:
    """The app with the search blueprint and command (until the factory registers them)."""
    if "search" not in app.blueprints:
        app.register_blueprint(search_views.bp)
    for command in COMMANDS:
        app.cli.add_command(command)
    return app


@pytest.fixture
def client(search_app: Flask) -> FlaskClient:
    return search_app.test_client()


@pytest.fixture
def corpus_lists(search_app: Flask, corpus: Path, settings: Settings) -> dict[str, MailingList]:
    thpt, _ = ensure_list(db.session, ListSpec("thpt", "Trung học phổ thông", ""), "example.org")
    folders = ["threading/notmuch/default", "vietnamese"]
    raws = [p.read_bytes() for f in folders for p in sorted((corpus / f).rglob("*")) if p.is_file()]
    store_batch(db.session, thpt.id, raws)
    thcs, _ = ensure_list(db.session, ListSpec("thcs", "Trung học cơ sở", ""), "example.org")
    store_batch(
        db.session,
        thcs.id,
        [
            raw_mail(
                "dk1@so.example",
                subject="Đăng ký email cho giáo viên",
                body="Các trường đăng ký email trước ngày 15/4.\n",
            ),
            raw_mail(
                "dk2@so.example",
                subject="Lịch họp",
                date="Mon, 04 May 2009 09:00:00 +0700",
                body="Kính gửi <b>các trường</b>: họp về dự thảo quy chế.\n",
            ),
        ],
    )
    secret, _ = ensure_list(db.session, ListSpec("bimat", "Nội bộ", ""), "example.org")
    secret.is_private = True
    add_member(db.session, secret, MEMBER)
    db.session.add(Account(email=MEMBER))
    store(
        db.session,
        raw_mail(
            "secret1@so.example",
            subject="Chỉ cho thành viên",
            body="Mật khẩu phòng họp: xanhduongbiec.\n",
        ),
        secret.id,
    )
    db.session.commit()
    while index_pending(db.session, settings):
        pass
    return {"thpt": thpt, "thcs": thcs, "bimat": secret}


def _sign_in(client: FlaskClient, email: str) -> None:
    account = db.session.scalars(select(Account).where(Account.email == email)).one()
    with client.session_transaction() as session:
        session["account_id"] = account.id


def _html(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_words_without_diacritics_find_vietnamese_messages(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    html = _html(client, "/search?q=dang+ky+email&lang=en")
    assert "1 message found" in html
    assert "<mark>Đăng</mark> <mark>ký</mark> <mark>email</mark> cho giáo viên" in html
    assert "/lists/thcs/message/" in html


def test_sender_names_from_corpus_mail_are_found_folded(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    html = _html(client, '/search?q=from:"dinh tuan hoang"&lang=en')
    assert "messages found" in html
    assert "Đình Tuấn Hoàng" in html or "Tuan Hoang Dinh" in html


def test_snippets_escape_the_message_and_mark_the_matches(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    html = _html(client, '/search?q="du thao"')
    assert "<mark>dự</mark> <mark>thảo</mark>" in html
    assert "&lt;b&gt;các trường&lt;/b&gt;" in html
    assert "<b>các" not in html


def test_private_lists_are_searched_by_their_members_only(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    secret = "/lists/bimat/message/"
    assert secret not in _html(client, "/search?q=xanhduongbiec")
    assert secret not in _html(client, "/search?q=list:bimat")
    assert secret not in _html(client, "/search?q=-zzzz")
    assert client.get("/lists/bimat/search?q=xanhduongbiec").status_code == 404
    assert b"bimat" not in client.get("/search/feed.atom?q=xanhduongbiec").data
    _sign_in(client, MEMBER)
    assert secret in _html(client, "/search?q=xanhduongbiec")
    assert secret in _html(client, "/lists/bimat/search?q=xanhduongbiec")


def test_the_site_admin_searches_every_list(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    db.session.add(Account(email="admin@example.org", is_admin=True))
    db.session.commit()
    _sign_in(client, "admin@example.org")
    assert "/lists/bimat/message/" in _html(client, "/search?q=xanhduongbiec")


def test_list_search_is_scoped_to_the_list(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    assert "/lists/thcs/message/" in _html(client, "/lists/thcs/search?q=email")
    assert "/lists/thcs/message/" not in _html(client, "/lists/thpt/search?q=email")


def test_facets_count_results_by_list_and_year(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    html = _html(client, "/search?q=the&lang=en")
    assert "By group" in html
    assert "By year" in html
    assert 'q=the+list:thpt">Trung học phổ thông</a> <span class="count">73</span>' in html
    assert 'q=the+on:2009">2009</a> <span class="count">42</span>' in html
    narrowed = _html(client, "/search?q=the+on:2009&lang=en")
    assert "/lists/thpt/message/" in narrowed


def test_results_are_paginated(client: FlaskClient, corpus_lists: dict[str, MailingList]) -> None:
    first = _html(client, "/search?q=the&lang=en")
    assert "Page 1 of" in first
    assert 'rel="next"' in first
    second = _html(client, "/search?q=the&page=2&lang=en")
    assert "Page 2 of" in second
    assert client.get("/search?q=the&page=999").status_code == 404
    assert client.get("/search?q=the&page=-3").status_code == 200
    assert client.get("/search?q=the&page=abc").status_code == 200


def test_sort_by_date_puts_the_newest_first(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    html = _html(client, "/search?q=the&sort=date&lang=en")
    assert "<strong>Newest first</strong>" in html
    feed = ET.fromstring(client.get("/search/feed.atom?q=the").data)
    dates = [e.findtext(f"{ATOM}updated") for e in feed.findall(f"{ATOM}entry")]
    assert len(dates) == 30
    assert dates == sorted(dates, reverse=True)


def test_the_atom_feed_of_a_search(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    for url in ("/search?q=đăng+ký+email&format=atom", "/lists/thcs/search/feed.atom?q=email"):
        response = client.get(url)
        assert response.mimetype == "application/atom+xml"
        feed = ET.fromstring(response.data)
        (entry,) = feed.findall(f"{ATOM}entry")
        assert entry.findtext(f"{ATOM}title") == "Đăng ký email cho giáo viên"
        assert "/lists/thcs/message/" in (entry.findtext(f"{ATOM}id") or "")


def test_an_empty_search_explains_the_query_language(
    client: FlaskClient, corpus_lists: dict[str, MailingList]
) -> None:
    html = _html(client, "/search?lang=en")
    assert "has:attachment" in html
    assert "messages found" not in html


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_get_a_page(
    client: FlaskClient, corpus_lists: dict[str, MailingList], query: str
) -> None:
    for url in ("/search", "/lists/thpt/search", "/search/feed.atom"):
        response = client.get(url, query_string={"q": query})
        assert response.status_code == 200
        assert b"<script>" not in response.data
    ET.fromstring(client.get("/search/feed.atom", query_string={"q": query}).data)


def test_the_index_is_rebuilt_after_losing_it(
    search_app: Flask, settings: Settings, corpus_lists: dict[str, MailingList]
) -> None:
    _lose_index(settings)
    assert reindex(db.session, settings) == db.session.scalar(select(func.count(Message.id)))
    _lose_index(settings)
    indexed = 0
    while found := index_pending(db.session, settings, limit=20):
        indexed += found
    assert indexed == db.session.scalar(select(func.count(Message.id)))


def test_reindex_command_rebuilds_one_list_or_all(
    search_app: Flask, runner: FlaskCliRunner, corpus_lists: dict[str, MailingList]
) -> None:
    result = runner.invoke(args=["reindex", "--quiet", "--list", "thcs"])
    assert result.exit_code == 0, result.output
    assert "2 messages indexed" in result.output
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0, result.output
    total = db.session.scalar(select(func.count(Message.id)))
    assert f"{total} messages indexed" in result.output
    result = runner.invoke(args=["reindex", "--list", "nosuch"])
    assert result.exit_code != 0
    assert "no list named" in result.output


@pytest.fixture
def small_list(search_app: Flask) -> MailingList:
    mlist, _ = ensure_list(db.session, ListSpec("thpt", "THPT", ""), "example.org")
    db.session.commit()
    return mlist


def _store(mlist: MailingList, mid: str, subject: str) -> int:
    (pk,) = store(db.session, raw_mail(mid, subject=subject), mlist.id).stored
    db.session.commit()
    return pk


def test_a_message_committed_late_with_an_older_key_is_still_indexed(
    client: FlaskClient, settings: Settings, small_list: MailingList
) -> None:
    _store(small_list, "a@x", "Một")
    hole = _store(small_list, "gap@x", "Chỗ trống")
    _store(small_list, "b@x", "Hai")
    db.session.execute(delete(Message).where(Message.id == hole))
    db.session.commit()
    assert index_pending(db.session, settings) == 2
    late = _store(small_list, "c@x", "Muộn")
    # As if another transaction had taken the lower key earlier and committed only now:
    db.session.execute(update(Message).where(Message.id == late).values(id=hole))
    db.session.commit()
    assert index_pending(db.session, settings) == 1
    assert "/lists/thpt/message/" in _html(client, "/search?q=muon")
    assert index_pending(db.session, settings) == 0


def test_readers_are_not_blocked_by_a_writer_and_writers_wait_their_turn(
    client: FlaskClient, settings: Settings, small_list: MailingList
) -> None:
    _store(small_list, "a@x", "Lịch họp")
    assert index_pending(db.session, settings) == 1
    _store(small_list, "b@x", "Lịch thi")
    with _another_writer(settings):
        assert index_pending(db.session, settings) == 0
        assert "1 message found" in _html(client, "/search?q=lich&lang=en")
    assert index_pending(db.session, settings) == 1
    assert "2 messages found" in _html(client, "/search?q=lich&lang=en")


def test_snippets_show_the_authors_words_whether_or_not_the_index_stored_them(
    client: FlaskClient, settings: Settings, small_list: MailingList
) -> None:
    body = "Đồng ý lịch thi.\n\n> Lịch thi cũ: thứ Hai, phòng kế toán.\n\n-- \nTổ toán\n"
    store(db.session, raw_mail("a@x", subject="Re: Lịch", body=body), small_list.id)
    db.session.commit()
    assert index_pending(db.session, settings) == 1
    shown = _snippet(_html(client, "/search?q=lich+thi"))
    assert shown == "Đồng ý <mark>lịch</mark> <mark>thi</mark>."  # not the quote or signature
    # as an older release indexed it: without the stored own words, split from the body again
    rows = load_rows(db.session, list(db.session.scalars(select(Message.id))))
    older = [{k: v for k, v in document(row).items() if k != "own"} for row in rows]
    search_backend(settings).put(db.session, older)
    db.session.commit()
    assert _snippet(_html(client, "/search?q=lich+thi")) == shown


def _snippet(html: str) -> str:
    start = html.index('class="snippet"')
    return html[html.index(">", start) + 1 : html.index("</p>", start)].strip()


def test_a_deleted_message_is_not_shown_and_can_be_forgotten(
    client: FlaskClient, settings: Settings, small_list: MailingList
) -> None:
    _store(small_list, "a@x", "Lịch họp tổ")
    gone = _store(small_list, "b@x", "Lịch họp trường")
    assert index_pending(db.session, settings) == 2
    db.session.execute(delete(Message).where(Message.id == gone))
    db.session.commit()
    html = _html(client, "/search?q=lich+hop")
    assert "trường" not in html
    assert "tổ" in html
    search_backend(settings).forget(db.session, [gone])
    assert "1 message found" in _html(client, "/search?q=lich+hop&lang=en")


def test_dates_and_facets_stay_right_when_the_index_state_is_written_alone(
    client: FlaskClient, corpus_lists: dict[str, MailingList], settings: Settings
) -> None:
    later = time.time() + SETTLE_SECONDS + 1  # the recent keys settle: a commit of the state only
    assert _index_new_at(settings, later) == 0
    store(
        db.session,
        raw_mail(
            "late@so.example",
            subject="Ngày thứ nhất",
            date="Thu, 26 Nov 2026 09:00:00 +0700",
            body="ngaythangtest\n",
        ),
        corpus_lists["thcs"].id,
    )
    db.session.commit()
    assert index_pending(db.session, settings) == 1
    for query in ("ngaythangtest", "ngaythangtest on:2026", "ngaythangtest on:2026-11-26"):
        assert "1 message found" in _html(client, f"/search?q={query}&lang=en"), query
    html = _html(client, "/search?q=dang+ky&lang=en")
    found = int(re.search(r"(\d+) messages? found", html).group(1))  # type: ignore[union-attr]
    facet_counts = re.findall(r'<span class="count">(\d+)</span>', html)
    by_list = sum(int(n) for n in facet_counts) // 2  # each result counted by list and by year
    assert by_list == found


# Vietnamese as it is typed: both tone placements and both i/y spellings, through the web.
TYPED_BOTH_WAYS = [
    ("hoa1@pgd", "Hoa trong sân trường", "Hoa hồng, hoa cúc, hoa lan và hoa huệ đều nở."),
    ("hoa2@pgd", "Trường Tiểu học Hoà Bình", "Lịch họp phụ huynh."),
    ("hoa3@pgd", "Trường Tiểu học Hòa Bình", "Danh sách lớp."),
    ("ky1@pgd", "Rèn kĩ năng sống", "Giáo dục kĩ năng cho học sinh."),
    ("ky2@pgd", "Tập huấn kỹ năng mềm", "Bồi dưỡng kỹ năng giao tiếp."),
    ("qc1@pgd", "Qui chế thi", "Qui chế thi tốt nghiệp."),
    ("qc2@pgd", "Quy chế tuyển sinh", "Quy chế tuyển sinh lớp 10."),
]


def _result_subjects(client: FlaskClient, query: str) -> list[str]:
    page = _html(client, f"/search?q={query}&lang=en")
    links = re.findall(r'<a class="subject" href="[^"]+">(.*?)</a>', page, re.S)
    return [re.sub(r"</?mark>", "", link).strip() for link in links]


def test_both_tone_placements_and_i_y_spellings_rank_exact_forms_first(
    client: FlaskClient, settings: Settings, small_list: MailingList
) -> None:
    raws = [raw_mail(mid, subject=s, body=f"{b}\n") for mid, s, b in TYPED_BOTH_WAYS]
    store_batch(db.session, small_list.id, raws)
    db.session.commit()
    while index_pending(db.session, settings):
        pass
    for query in ("hòa", "hoà"):
        found = _result_subjects(client, query)
        assert set(found[:2]) == {"Trường Tiểu học Hoà Bình", "Trường Tiểu học Hòa Bình"}
        assert found[2:] == ["Hoa trong sân trường"]
    assert _result_subjects(client, "kỹ+năng") == ["Tập huấn kỹ năng mềm", "Rèn kĩ năng sống"]
    assert _result_subjects(client, "kĩ+năng") == ["Rèn kĩ năng sống", "Tập huấn kỹ năng mềm"]
    assert _result_subjects(client, "quy+chế") == ["Quy chế tuyển sinh", "Qui chế thi"]
    assert _result_subjects(client, "qui+chế") == ["Qui chế thi", "Quy chế tuyển sinh"]


def test_init_rebuilds_an_index_left_by_an_older_release(
    search_app: Flask,
    runner: FlaskCliRunner,
    settings: Settings,
    corpus_lists: dict[str, MailingList],
    client: FlaskClient,
) -> None:
    _leave_older_version(settings)
    result = runner.invoke(args=["init"])
    assert result.exit_code == 0, result.output
    total = db.session.scalar(select(func.count(Message.id)))
    assert f"search index is of version {SCHEMA_VERSION - 1}" in result.output
    assert f"{total} messages indexed" in result.output
    assert "1 message found" in _html(client, "/search?q=dang+ky+email&lang=en")
    again = runner.invoke(args=["init"])
    assert "search index" not in again.output
