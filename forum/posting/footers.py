"""The short visible lines under each delivered copy: a separator line (Mailman's, which mail
clients and our own reply reader know as the start of a list footer), then a recipient's own
paragraph (a focal point's "acknowledge"), the list's footer, and the leave link.

One function builds them, so a feature adds its line here."""

from __future__ import annotations

from flask_babel import gettext as _

from archive.models import MailingList
from forum.lists.subscriptions import leave_url
from forum.mail.automail import bilingual
from forum.policy import Policy
from forum.settings import Settings

SEPARATOR = "_" * 47


def delivered_footer(
    settings: Settings, mlist: MailingList, policy: Policy, personal: str = ""
) -> str:
    """The footer of one copy ("" for none); `personal` is a paragraph for this recipient."""
    parts = [personal.strip(), policy.footer.strip()]
    if policy.shows_unsubscribe_footer:
        parts.append(_leave_lines(settings, mlist))
    shown = [part for part in parts if part]
    return f"{SEPARATOR}\n" + "\n\n".join(shown) if shown else ""


def _leave_lines(settings: Settings, mlist: MailingList) -> str:
    """In Vietnamese, then English (the reader's language is one of the two; we do not know
    which): where to leave."""
    url = leave_url(settings, mlist)
    vietnamese, english = bilingual(
        lambda: _("To leave %(name)s: %(url)s", name=mlist.display_name, url=url)
    )
    return vietnamese if vietnamese == english else f"{vietnamese}\n{english}"
