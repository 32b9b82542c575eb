"""Flask extensions, created unbound and initialised by the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import Session

from archive.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()


def session() -> Session:
    """The database session of the current request or command."""
    current: Session = db.session()
    return current
