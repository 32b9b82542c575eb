"""The application factory: settings in, a configured Flask app out."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from flask import Flask, Response, current_app, g, request, url_for
from flask_babel import get_locale
from sqlalchemy import event
from sqlalchemy.engine import Engine
from werkzeug.routing import IntegerConverter, Map

from forum import models  # noqa: F401 - registers the forum tables on the shared metadata
from forum.accounts.accounts import current_account
from forum.drafting import models as draft_models  # noqa: F401 - and the features' tables
from forum.extensions import babel, csrf, db
from forum.settings import Settings
from forum.site_settings import remembered_domain
from forum.topics import models as topic_models  # noqa: F401

if TYPE_CHECKING:
    pass

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ("vi", "en")
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class StoredInt(IntegerConverter):
    """`<int:…>` in addresses, up to what the database can store: a larger number is a 404,
    not an overflow in the query."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", 2**31 - 1)  # INTEGER keys, on PostgreSQL too
        super().__init__(url_map, *args, **kwargs)


def create_app(config: Settings | None = None, *, pages: bool = True) -> Flask:
    """Build the app; without `config`, settings come from the environment. Without `pages`
    it has neither web pages nor commands of its own: enough for a command that works on the
    database alone (`forum import-mbox`), which then starts without importing them."""
    settings = config or Settings.from_env()
    if not settings.testing:  # a no-op when the process configured logging itself
        logging.basicConfig(level=settings.log_level, format=LOG_FORMAT)
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
    if not settings.domain_given:  # the domain `forum init --domain` was given, if any
        settings = _with_remembered_domain(app, settings)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["current_account"] = current_account
    app.jinja_env.globals["language_url"] = _language_url
    app.before_request(_fresh_g)
    if pages:
        _register_blueprints(app)
        _register_cli(app)
    app.after_request(_security_headers)
    return app


def _with_remembered_domain(app: Flask, settings: Settings) -> Settings:
    with app.app_context():
        remembered = remembered_domain(db.session())
        db.session.remove()
        db.engine.dispose()  # no connection outlives the app's start (nor crosses a fork)
    if remembered is None or remembered == settings.domain:
        return settings
    settings = settings.but(domain=remembered)
    app.config["FORUM"] = settings
    return settings


def _fresh_g() -> None:
    """Each request starts with an empty `g` (the locale and CSRF token are cached there), as
    in production, even when a test or a command keeps one app context across requests."""
    g.__dict__.clear()


def _engine_options(url: str) -> dict[str, object]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


# The page size of a new SQLite database (an existing one keeps its own). Mail is stored whole:
# with 16 KiB pages, a message of tens of kilobytes spans a few pages instead of a dozen, and
# storing a list of HTML mail (usrp-users) takes a sixth to a quarter less time, where small
# messages and the pages' queries took the same.
SQLITE_PAGE_SIZE = 16384


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """WAL lets readers work while an import writes; foreign keys are off by default."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
    cursor.execute(f"PRAGMA page_size={SQLITE_PAGE_SIZE}")  # (before WAL: new databases only)
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
        topic_views,
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
    app.register_blueprint(topic_views.bp)
    csrf.exempt(leave_views.one_click)  # RFC 8058: mail clients POST with the signed link only
    home.register_filters(app)


def _register_cli(app: Flask) -> None:
    from forum.cli.site_admin import register

    register(app)
