"""Settings the site remembers in its database between commands: the mail domain given to
`forum init --domain`, so that later commands run by hand use it without FORUM_DOMAIN."""

from __future__ import annotations

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from forum.models import SiteSetting

DOMAIN = "domain"


def remember_domain(session: Session, domain: str) -> None:
    session.merge(SiteSetting(key=DOMAIN, value=domain.lower()))


def remembered_domain(session: Session) -> str | None:
    """The remembered domain; None when there is none or no database yet."""
    try:
        found = session.get(SiteSetting, DOMAIN)
    except SQLAlchemyError:  # a database not yet created or upgraded: nothing remembered
        session.rollback()
        return None
    return found.value if found is not None and found.value else None
