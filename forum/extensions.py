"""Flask extensions, created unbound and initialised by the app factory."""

from __future__ import annotations

from flask import current_app
from flask_babel import Babel
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session

from archive.db import Base
from forum.mail.dmarc import DmarcCache, dns_resolver

db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()


def session() -> Session:
    """The database session of the current request or command."""
    current: Session = db.session()
    return current


def dmarc() -> DmarcCache:
    """The process's DMARC cache: one resolver and one cache for requests and worker threads."""
    extensions = current_app.extensions
    if "forum.dmarc" not in extensions:
        settings = current_app.config["FORUM"]
        extensions["forum.dmarc"] = DmarcCache(dns_resolver(settings.dns_server or None))
    found: DmarcCache = extensions["forum.dmarc"]
    return found
