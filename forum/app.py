"""The application factory: settings in, a configured Flask app out."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request, url_for
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter, Map

from archive.models import MailingList
from forum import models  # noqa: F401 - registers the forum tables on the shared metadata
from forum.accounts.accounts import current_account
from forum.extensions import babel, csrf, db, migrate
from forum.models import Notice
from forum.settings import Settings

if TYPE_CHECKING:
    from forum.notices.access import NoticeActions

ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCALES = ("vi", "en")


class StoredInt(IntegerConverter):
    """`<int:…>` in addresses, up to what the database can store: a larger number is a 404,
    not an overflow in the query."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)  # INTEGER keys, on PostgreSQL too
        super().__init__(url_map, *args, **kwargs)


def create_app(config: Settings | None = None) -> Flask:
    """Build the app; without `config`, settings come from the environment."""
    settings = config or Settings.from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(settings.data_dir),
    )
    app.url_map.converters["int"] = StoredInt
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SQLALCHEMY_DATABASE_URI=settings.database_url,
        SQLALCHEMY_ENGINE_OPTIONS=_engine_options(settings.database_url),
        BABEL_DEFAULT_LOCALE=settings.default_locale,
        BABEL_DEFAULT_TIMEZONE=settings.timezone,  # dates on pages are the site's local time
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent / "translations"),
        TESTING=settings.testing,
        FORUM=settings,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.base_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # tied to the session instead, which expires
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,  # web posts' attachments and CSV uploads
    )
    db.init_app(app)
    csrf.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    babel.init_app(app, locale_selector=_select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["current_account"] = current_account
    app.jinja_env.globals["notice_for"] = _notice_for
    app.jinja_env.globals["outgoing_for"] = _outgoing_for
    app.jinja_env.globals["notice_actions"] = _notice_actions
    app.jinja_env.globals["managing_role"] = _managing_role
    app.jinja_env.globals["language_url"] = _language_url
    app.jinja_env.globals["membership_of"] = _membership_of
    app.before_request(_fresh_g)
    _register_blueprints(app)
    _register_cli(app)
    app.after_request(_security_headers)
    return app


def _notice_for(message_id: str) -> object:
    """The notice a message is, if any (for the deadline badge in the archive)."""
    from sqlalchemy import select

    from forum.extensions import session
    from forum.models import Notice

    return session().scalar(select(Notice).where(Notice.message_id == message_id))


def _notice_actions(notice: Notice) -> NoticeActions:
    """What the signed-in person may do with a notice (dashboard, acknowledge)."""
    from forum.extensions import session
    from forum.notices.access import notice_actions

    return notice_actions(session(), current_app.config["FORUM"], notice, current_account())


def _outgoing_for(message_pk: int) -> object:
    """The outgoing copy of an archived message, if it was delivered by us (status link)."""
    from sqlalchemy import select

    from forum.extensions import session
    from forum.models import OutgoingMessage

    return session().scalar(
        select(OutgoingMessage.id).where(OutgoingMessage.archived_id == message_pk).limit(1)
    )


def _membership_of(mlist: MailingList) -> object:
    """The signed-in person's membership of a list, if any."""
    from forum.extensions import session
    from forum.lists.members import find_member

    account = current_account()
    return find_member(session(), mlist, account.email) if account else None


def _managing_role(mlist: MailingList) -> str | None:
    """The signed-in account's part in running a list (for the links to its admin pages)."""
    from forum.extensions import session
    from forum.lists.access import managing_role

    return managing_role(session(), mlist, current_account())


def _fresh_g() -> None:
    """Each request starts with an empty `g` (the locale and CSRF token are cached there), as
    in production, even when a test or a command keeps one app context across requests."""
    g.__dict__.clear()


def _engine_options(url: str) -> dict[str, object]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL lets readers work while an import writes; foreign keys are off by default."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _language_url(code: str) -> str:
    """This page in another language: the same address and query (a page shown after a form
    was sent, which cannot be asked for again, gives way to the groups page)."""
    rule = request.url_rule
    if request.method == "GET" and rule is not None and "GET" in (rule.methods or ()):
        path, args = request.path, request.args.to_dict(flat=False)
    else:
        path, args = url_for("site.index"), {}
    args["lang"] = [code]
    return f"{path}?{urlencode(args, doseq=True)}"


def _select_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LOCALES:
        return chosen
    settings: Settings = _current_settings()
    return settings.default_locale


def _current_settings() -> Settings:
    settings: Settings = current_app.config["FORUM"]
    return settings


def _security_headers(response: Response) -> Response:
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    )
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    lang = request.args.get("lang")
    if lang in LOCALES:
        response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _register_blueprints(app: Flask) -> None:
    from forum.views import (
        admin_views,
        archive_views,
        draft_views,
        home,
        leave_views,
        member_views,
        membership_views,
        moderation_views,
        notice_views,
        post_views,
        profile_views,
        search_views,
        signin_views,
    )

    app.register_blueprint(home.bp)
    app.register_blueprint(archive_views.bp)
    app.register_blueprint(leave_views.bp)
    app.register_blueprint(admin_views.bp)
    app.register_blueprint(member_views.bp)
    app.register_blueprint(membership_views.bp)
    app.register_blueprint(signin_views.bp)
    app.register_blueprint(moderation_views.bp)
    app.register_blueprint(post_views.bp)
    app.register_blueprint(notice_views.bp)
    app.register_blueprint(profile_views.bp)
    app.register_blueprint(draft_views.bp)
    app.register_blueprint(search_views.bp)
    csrf.exempt(leave_views.one_click)  # RFC 8058: mail clients POST with the signed link only
    home.register_filters(app)


def _register_cli(app: Flask) -> None:
    from forum.cli.site_admin import register

    register(app)
