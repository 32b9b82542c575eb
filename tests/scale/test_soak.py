"""Soak test of the scaled-out deployment, all on 127.0.0.1: a private Postfix hands mail to two
`forum smtpd --lmtp` and delivers the copies into a maildir per member; two web processes under
gunicorn and two `forum worker` on PostgreSQL, with search served from PostgreSQL. 300 posts to
three lists of 50 members go through Postfix's SMTP port while both web processes are read and
searched and one worker is SIGKILLed twice (and started again).

Runs when PostgreSQL (FORUM_TEST_DATABASE_URL), Debian's postfix and gunicorn are there (.ci/run
installs postfix); skipped otherwise."""

from __future__ import annotations

import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from email import message_from_bytes
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from archive.models import Message
from forum import create_app
from forum.extensions import db
from forum.lists.lists import ListSpec, ensure_list
from forum.lists.members import add_member
from forum.models import Delivery, DigestState, PeriodicJob
from forum.settings import Settings
from tests.conftest import PG_URL, ROOT, own_postgresql_database
from tests.scale import postfix
from tests.scale.postfix import Postfix, wait_for_port
from tests.smtp_sink import free_port

GUNICORN = Path(sys.executable).with_name("gunicorn")
FORUM = Path(sys.executable).with_name("forum")
DOMAIN, MEMBERS_DOMAIN = "lists.test", "members.test"
LISTS = ("thpt", "thcs", "tieuhoc")
PER_LIST, DIGEST_PER_LIST, POSTS = 50, 5, 300
SEARCH_WITHIN = 5.0
DEADLINE = 240.0

pytestmark = pytest.mark.skipif(
    PG_URL is None or not postfix.available() or not GUNICORN.exists(),
    reason="needs PostgreSQL (FORUM_TEST_DATABASE_URL), Debian's postfix and gunicorn",
)


def _members(name: str) -> list[str]:
    return [f"{name}{n:02d}@{MEMBERS_DOMAIN}" for n in range(PER_LIST)]


def _token(n: int) -> str:
    return f"soakpost{n:03d}"


@pytest.fixture
def database() -> Iterator[str]:
    assert PG_URL is not None
    with own_postgresql_database(PG_URL) as url:
        yield url


class Processes:
    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.folder, self.env, self.running = folder, env, list[subprocess.Popen[bytes]]()

    def start(self, name: str, *command: str) -> subprocess.Popen[bytes]:
        with (self.folder / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                list(command), env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )
        self.running.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.running:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.running:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _prepare(settings: Settings) -> None:
    app = create_app(settings)
    with app.app_context():
        from forum.cli.migrations import upgrade_schema

        upgrade_schema()
        for name in LISTS:
            mlist, _ = ensure_list(db.session(), ListSpec(name, name.upper(), ""), DOMAIN)
            for n, email in enumerate(_members(name)):
                member, _ = add_member(db.session(), mlist, email)
                if n < DIGEST_PER_LIST:
                    member.delivery_mode = "digest"
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def _post(n: int) -> tuple[str, str, bytes]:
    name = LISTS[n % len(LISTS)]
    sender = _members(name)[DIGEST_PER_LIST + n % (PER_LIST - DIGEST_PER_LIST)]
    raw = (
        f"From: {sender}\r\nTo: {name}@{DOMAIN}\r\nSubject: Báo cáo {_token(n)}\r\n"
        f"Message-ID: <{_token(n)}@{MEMBERS_DOMAIN}>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
        f"Kính gửi các trường, số liệu tuần này {_token(n)}.\r\n"
    ).encode()
    return sender, f"{name}@{DOMAIN}", raw


def _assert_every_member_got_every_post_once(mta: Postfix, state: str) -> None:
    """Each member's maildir: every post of their list once, or one digest."""
    boxes = mta.delivered()
    for name in LISTS:
        own = {_token(n) for n in range(POSTS) if LISTS[n % len(LISTS)] == name}
        for n, email in enumerate(_members(name)):
            files = boxes.get(email.split("@")[0], [])
            if n < DIGEST_PER_LIST:
                assert len(files) == 1, f"{email}: {len(files)} digests; {state}"
                continue
            subjects = [str(message_from_bytes(f.read_bytes())["Subject"]) for f in files]
            got = Counter(subject.split()[-1] for subject in subjects)
            assert set(got) == own, f"{email} is missing posts"
            assert max(got.values()) == 1, f"{email} got a post twice"


def _get(port: int, path: str) -> tuple[int, str]:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as response:  # noqa: S310 - our own loopback server
        return response.status, response.read().decode()


def _found(port: int, tokens: list[str]) -> set[str]:
    """Which of these posts the web process at `port` finds (one query for them all)."""
    query = {"q": " OR ".join(tokens), "lang": "en", "per_page": "50"}
    _, page = _get(port, "/search?" + urllib.parse.urlencode(query))
    return {token for token in tokens if f"<mark>{token}</mark>" in page}


def test_soak_through_postfix_with_two_of_everything(  # noqa: C901, PLR0915 - one story
    database: str, tmp_path: Path, no_outbound_smtp: set[int]
) -> None:
    started = time.monotonic()
    ports = {name: free_port() for name in ("smtp", "lmtp1", "lmtp2", "web1", "web2")}
    no_outbound_smtp.add(ports["smtp"])
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database, secret_key="soak", domain=DOMAIN
    )
    _prepare(settings)
    members = [email for name in LISTS for email in _members(name)]
    mta_folder = Path(tempfile.mkdtemp(prefix="forum-soak-postfix-"))
    mta_folder.chmod(0o755)  # Postfix's own users work in it (pytest's folders are private)
    mta = Postfix(
        mta_folder / "postfix", ports["smtp"], DOMAIN, [ports["lmtp1"], ports["lmtp2"]], members
    ).start()
    env = {
        **os.environ,
        "FORUM_DATABASE_URL": database,
        "FORUM_DATA_DIR": str(settings.data_dir),
        "FORUM_SECRET_KEY": "soak",
        "FORUM_DOMAIN": DOMAIN,
        "FORUM_SEARCH_BACKEND": "postgres",
        "FORUM_SMTP_URL": f"smtp://127.0.0.1:{ports['smtp']}",
        "FORUM_DIGEST_HOUR": "0",
        "FORUM_DELIVERY_LEASE_SECONDS": "5",
        "FORUM_JOB_LEASE_SECONDS": "10",  # a worker killed mid-job: the digests run again soon
        "FORUM_LOG_LEVEL": "WARNING",
    }
    processes = Processes(tmp_path, env)
    try:
        for n in (1, 2):
            processes.start(
                f"lmtp{n}", str(FORUM), "smtpd", "--lmtp", "--port", str(ports[f"lmtp{n}"])
            )
            processes.start(
                f"web{n}", str(GUNICORN), "--workers", "1", "--threads", "4",
                "--bind", f"127.0.0.1:{ports[f'web{n}']}", "wsgi:app",
            )  # fmt: skip
        workers = [processes.start(f"worker{n}", str(FORUM), "worker") for n in (1, 2)]
        for name in ("lmtp1", "lmtp2", "web1", "web2"):
            wait_for_port(ports[name], 60)

        stop = threading.Event()
        errors: list[str] = []
        archived_at: dict[str, float] = {}
        searchable: dict[tuple[str, int], float] = {}
        engine = create_engine(database)

        def watch_archive() -> None:
            while not stop.is_set():
                with engine.connect() as connection:
                    subjects = connection.scalars(select(Message.subject)).all()
                now = time.monotonic()
                for subject in subjects:
                    archived_at.setdefault(subject.split()[-1], now)
                stop.wait(0.2)

        def read_and_search(web: int) -> None:
            try:
                while not stop.is_set():
                    pending = [t for t in list(archived_at) if (t, web) not in searchable]
                    for start in range(0, len(pending), 20):
                        for token in _found(web, pending[start : start + 20]):
                            searchable[token, web] = time.monotonic() - archived_at[token]
                    for path in ("/", f"/lists/{LISTS[0]}/"):
                        status, _ = _get(web, path)
                        if status != 200:  # noqa: PLR2004
                            errors.append(f"{path} on {web}: {status}")
                    stop.wait(0.2)
            except Exception as error:  # reported by the assertions below
                errors.append(repr(error))

        readers = [
            threading.Thread(target=read_and_search, args=(ports[web],)) for web in ("web1", "web2")
        ]
        readers.append(threading.Thread(target=watch_archive))
        for reader in readers:
            reader.start()
        with smtplib.SMTP("127.0.0.1", ports["smtp"], timeout=30) as client:
            for n in range(POSTS):
                client.sendmail(*_post(n))
                if n in (80, 200):  # kill a worker mid-stream, then start it again
                    workers[0].send_signal(signal.SIGKILL)
                    workers[0].wait(timeout=10)
                    workers[0] = processes.start("worker1", str(FORUM), "worker")

        deadline = started + DEADLINE
        expected = POSTS * (PER_LIST - DIGEST_PER_LIST)
        while time.monotonic() < deadline:
            boxes = mta.delivered()
            copies = sum(len(files) for files in boxes.values())
            if copies >= expected + DIGEST_PER_LIST * len(LISTS) and len(searchable) == 2 * POSTS:
                break
            time.sleep(1)
        time.sleep(2)  # anything sent twice would arrive now
        stop.set()
        for reader in readers:
            reader.join(timeout=30)
        engine.dispose()

        final = create_engine(database)
        with final.connect() as connection:
            stored = connection.scalars(select(Message.message_id)).all()
            unsent = connection.scalar(
                select(func.count(Delivery.id)).where(Delivery.state != "sent")
            )
            jobs = connection.execute(select(PeriodicJob.__table__)).all()
            digests = connection.execute(select(DigestState.__table__)).all()
        final.dispose()
        assert len(stored) == POSTS == len(set(stored)), "every post archived once"
        assert unsent == 0
        _assert_every_member_got_every_post_once(mta, f"{jobs} {digests}")
        assert not errors, errors[:5]
        assert len(searchable) == 2 * POSTS, "every post searchable from both web processes"
        slowest = max(searchable.values())
        print(f"soak: slowest post searchable after {slowest:.1f} s")  # noqa: T201 - with -s
        assert slowest <= SEARCH_WITHIN, f"a post took {slowest:.1f} s to be searchable"
        assert time.monotonic() - started < 300
    finally:
        processes.stop_all()
        mta.stop()
        shutil.rmtree(mta_folder, ignore_errors=True)
