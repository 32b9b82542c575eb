"""Sign-in by an emailed single-use link: no passwords to forget."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import urlencode

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from archive.db import utcnow
from archive.models import Address
from forum.accounts.accounts import find_account
from forum.mail import automail
from forum.models import Account, Member, SignInToken
from forum.settings import Settings
from forum.tokens import new_token, token_hash

LIFETIME = timedelta(minutes=30)


def known_address(session: Session, email: str) -> bool:
    """Members of some list, and existing accounts, may sign in."""
    if find_account(session, email) is not None:
        return True
    member = (
        select(Member.id)
        .join(Address, Address.id == Member.address_id)
        .where(Address.email == email.lower())
    )
    return bool(session.scalar(select(exists(member))))


def send_link(session: Session, settings: Settings, email: str, next_path: str = "") -> None:
    """Mail a sign-in link to a known address (callers rate-limit and answer the same anyway)."""
    email = email.strip().lower()
    if not known_address(session, email):
        return
    token = new_token()
    session.add(
        SignInToken(email=email, token_hash=token_hash(token), expires_at=utcnow() + LIFETIME)
    )
    suffix = (
        f"?{urlencode({'next': next_path}, safe='/')}" if next_path else ""
    )  # the view checked it
    url = f"{settings.base_url}/signin/{token}{suffix}"
    raw = automail.build(
        settings,
        to=email,
        subject=lambda: _("Your sign-in link for %(site)s", site=settings.site_name),
        body=lambda: _(
            "Open this link to sign in (it works once, for 30 minutes):\n%(url)s\n\n"
            "If you did not ask for it, ignore this message.",
            url=url,
        ),
        answering=False,
    )
    automail.send(session, settings, None, [email], raw, kind="notice")


def use_link(session: Session, token: str, now: datetime | None = None) -> Account | None:
    """The account the link signs in (created for members on first use, with the name their
    membership knows them by), or None."""
    now = now or utcnow()
    found = session.scalar(select(SignInToken).where(SignInToken.token_hash == token_hash(token)))
    if found is None or found.used_at is not None or found.expires_at < now:
        return None
    found.used_at = now
    account = find_account(session, found.email)
    if account is None:
        account = Account(email=found.email)
        session.add(account)
        session.flush()
    if not account.display_name:
        account.display_name = _known_name(session, found.email)
    return account


def _known_name(session: Session, email: str) -> str:
    name = session.scalar(select(Address.display_name).where(Address.email == email.lower()))
    return name or ""
