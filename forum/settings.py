"""Site settings, read once from the environment with safe defaults; frozen, never mutated."""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from forum.clock import DEFAULT_TIMEZONE, zone

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "instance"


@dataclass(frozen=True, slots=True)
class Settings:
    data_dir: Path
    database_url: str
    secret_key: str
    domain: str = "forum.localhost"
    site_name: str = "Diễn đàn"
    base_url: str = "http://127.0.0.1:8000"
    web_host: str = "127.0.0.1"
    web_port: int = 8000
    web_threads: int = 8  # requests served at once by `forum serve` / `forum web`
    log_level: str = "INFO"
    default_locale: str = "vi"
    timezone: str = DEFAULT_TIMEZONE  # people's days: deadlines, reminders, dates shown
    digest_hour: int = 6  # local hour when the daily digests go out
    page_size: int = 25
    subject_threading_days: int = 0  # 0 = thread by headers only (the default)
    smtpd_host: str = "127.0.0.1"
    smtpd_port: int = 8025
    max_message_bytes: int = 25 * 1024 * 1024
    smtp_url: str = ""  # smarthost for outgoing mail; "" = write it to a maildir instead
    smtp_user: str = ""
    smtp_password: str = ""
    noreply_local_part: str = "noreply"
    admin_email: str = ""  # "" = admin@DOMAIN
    dns_server: str = ""  # "IP[:PORT]" for DMARC lookups; "" = the system resolver
    delivery_lease_seconds: int = 300  # a claimed copy not sent by then is claimed again
    inbound_lease_seconds: int = 60  # a claimed post not begun by then is claimed again
    job_lease_seconds: int = 600  # a periodic job whose worker died is run again after this
    delivery_connections: int = 1  # to the smarthost at once; a crash may resend one copy each
    retry_base_seconds: int = 60
    retry_max_seconds: int = 6 * 3600
    max_delivery_attempts: int = 12
    ocr_pages: int = 5  # pages of a scanned PDF read by OCR (0 = none); tesseract must be there
    search_backend: str = "whoosh"  # or "postgres": search served from the database
    testing: bool = False
    domain_given: bool = False  # FORUM_DOMAIN was set; otherwise `forum init --domain` counts

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("FORUM_DATA_DIR") or DEFAULT_DATA_DIR).resolve()
        database_url = env.get("FORUM_DATABASE_URL") or f"sqlite:///{data_dir / 'forum.sqlite3'}"
        host = env.get("FORUM_WEB_HOST", "127.0.0.1")
        port = int(env.get("FORUM_WEB_PORT", "8000"))
        return cls(
            data_dir=data_dir,
            database_url=database_url,
            secret_key=env.get("FORUM_SECRET_KEY") or _stored_secret(data_dir),
            domain=env.get("FORUM_DOMAIN", "forum.localhost").lower(),
            site_name=env.get("FORUM_SITE_NAME", "Diễn đàn"),
            base_url=(env.get("FORUM_BASE_URL") or f"http://{host}:{port}").rstrip("/"),
            web_host=host,
            web_port=port,
            web_threads=int(env.get("FORUM_WEB_THREADS", "8")),
            log_level=env.get("FORUM_LOG_LEVEL", "INFO").upper(),
            default_locale=env.get("FORUM_DEFAULT_LOCALE", "vi"),
            timezone=_timezone(env.get("FORUM_TIMEZONE") or DEFAULT_TIMEZONE),
            digest_hour=_hour(env.get("FORUM_DIGEST_HOUR", "6")),
            page_size=int(env.get("FORUM_PAGE_SIZE", "25")),
            subject_threading_days=int(env.get("FORUM_SUBJECT_THREADING_DAYS", "0")),
            smtpd_host=env.get("FORUM_SMTPD_HOST", "127.0.0.1"),
            smtpd_port=int(env.get("FORUM_SMTPD_PORT", "8025")),
            max_message_bytes=int(env.get("FORUM_MAX_MESSAGE_BYTES", str(25 * 1024 * 1024))),
            smtp_url=env.get("FORUM_SMTP_URL", ""),
            smtp_user=env.get("FORUM_SMTP_USER", ""),
            smtp_password=env.get("FORUM_SMTP_PASSWORD", ""),
            noreply_local_part=env.get("FORUM_NOREPLY_LOCAL_PART", "noreply").lower(),
            admin_email=env.get("FORUM_ADMIN_EMAIL", ""),
            dns_server=env.get("FORUM_DNS_SERVER", ""),
            delivery_lease_seconds=int(env.get("FORUM_DELIVERY_LEASE_SECONDS", "300")),
            inbound_lease_seconds=int(env.get("FORUM_INBOUND_LEASE_SECONDS", "60")),
            job_lease_seconds=int(env.get("FORUM_JOB_LEASE_SECONDS", "600")),
            delivery_connections=int(env.get("FORUM_DELIVERY_CONNECTIONS", "1")),
            retry_base_seconds=int(env.get("FORUM_RETRY_BASE_SECONDS", "60")),
            ocr_pages=int(env.get("FORUM_OCR_PAGES", "5")),
            search_backend=_search_backend(
                env.get("FORUM_SEARCH_BACKEND") or "whoosh", database_url
            ),
            domain_given=bool(env.get("FORUM_DOMAIN")),
        )

    @property
    def job_lease(self) -> timedelta:
        return timedelta(seconds=self.job_lease_seconds)

    @property
    def inbound_lease(self) -> timedelta:
        return timedelta(seconds=self.inbound_lease_seconds)

    @property
    def noreply_address(self) -> str:
        return f"{self.noreply_local_part}@{self.domain}"

    @property
    def site_admin(self) -> str:
        return (self.admin_email or f"admin@{self.domain}").lower()

    @property
    def maildir(self) -> Path:
        """Where outgoing mail goes when no smarthost is configured."""
        return self.data_dir / "outgoing-maildir"

    def but(self, **changes: object) -> Settings:
        """A copy with some values changed (settings are cloned, never mutated)."""
        return replace(self, **changes)  # type: ignore[arg-type]


def _timezone(name: str) -> str:
    zone(name)  # refuses a name the tz database does not know, at start-up
    return name


def _search_backend(name: str, database_url: str) -> str:
    name = name.lower()
    if name not in ("whoosh", "postgres"):
        raise ValueError(f"FORUM_SEARCH_BACKEND must be whoosh or postgres, not {name!r}")
    if name == "postgres" and not database_url.startswith("postgresql"):
        raise ValueError("FORUM_SEARCH_BACKEND=postgres needs a PostgreSQL FORUM_DATABASE_URL")
    return name


def _hour(value: str) -> int:
    hour = int(value)
    if not 0 <= hour <= 23:  # noqa: PLR2004 - the hours of a day
        raise ValueError(f"FORUM_DIGEST_HOUR must be 0 to 23, not {hour}")
    return hour


def _stored_secret(data_dir: Path) -> str:
    """A random key kept in the data folder, so sessions survive restarts without config."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.touch(mode=0o600)
    path.write_text(key)
    return key
