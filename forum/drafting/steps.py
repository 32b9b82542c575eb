"""How drafts plug into the post path: a reply to a draft's announcement also becomes comments
on the provisions it names or quotes."""

from __future__ import annotations

from forum.drafting.service import comments_from_reply
from forum.hooks import Extras, Stored


def comments_on_a_draft(post: Stored) -> Extras:
    return Extras(note=comments_from_reply(post.session, post.parsed))
