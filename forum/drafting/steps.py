"""How drafts plug into the post path: a reply to a draft's announcement also becomes comments
on the provisions it names or quotes, and the announcement reaches every focal point."""

from __future__ import annotations

from forum.drafting.service import comments_from_reply, is_announcement
from forum.hooks import Extras, Stored
from forum.lists.members import focal_point_addresses


def comments_on_a_draft(post: Stored) -> Extras:
    """A reply's comments; a draft's announcement reaches the focal points, muted or not."""
    announced = is_announcement(post.session, post.message.message_id)
    always = focal_point_addresses(post.session, post.mlist) if announced else frozenset()
    return Extras(note=comments_from_reply(post.session, post.parsed), always=always)
