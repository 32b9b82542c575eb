"""Flask extensions, created unbound and initialised by the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from archive.db import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
