"""Accounts and sign-in state: the site admin's password, the session, admin-only pages."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from flask import redirect, request, session, url_for
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from archive.db import utcnow
from forum.extensions import session as db_session
from forum.lists.members import same_address
from forum.models import Account

P = ParamSpec("P")
R = TypeVar("R")
MIN_PASSWORD_LENGTH = 12


def find_account(db: Session, email: str) -> Account | None:
    return db.scalar(select(Account).where(same_address(Account.email, email.strip())))


def ensure_admin(db: Session, email: str) -> tuple[Account, bool]:
    """The site admin account (created without a password); returns (account, created)."""
    account = find_account(db, email)
    if account is not None:
        account.is_admin = True
        return account, False
    account = Account(email=email.strip().lower(), is_admin=True)
    db.add(account)
    db.flush()
    return account, True


def set_password(account: Account, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    account.password_hash = generate_password_hash(password)


def password_matches(account: Account | None, password: str) -> bool:
    if account is None or not account.password_hash:
        check_password_hash(generate_password_hash("x"), password)  # same time either way
        return False
    return check_password_hash(account.password_hash, password)


def sign_in(account: Account) -> None:
    session.clear()  # a new session id: no fixation
    session["account_id"] = account.id
    session.permanent = True
    account.last_login_at = utcnow()


def sign_out() -> None:
    session.clear()


def current_account() -> Account | None:
    account_id = session.get("account_id")
    if not isinstance(account_id, int):
        return None
    return db_session().get(Account, account_id)


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    """Only the site admin (until owners sign in with the moderation work)."""

    @functools.wraps(view)
    def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
        account = current_account()
        if account is None or not account.is_admin:
            return redirect(url_for("admin.login", next=request.path))  # type: ignore[return-value]
        return view(*args, **kwargs)

    return guarded
