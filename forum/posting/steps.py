"""The features that plug into the post path, in order: the whole list is here. Intercepts run
before the hold rules and may take a post whole; after-store steps run once a post is archived
in a list, before it goes out (on approval too)."""

from __future__ import annotations

from collections.abc import Sequence

from forum.drafting.steps import comments_on_a_draft
from forum.hooks import AfterStore, Intercept
from forum.notices.steps import acknowledging_reply, notice_from_announcer
from forum.topics.steps import muting_reply

INTERCEPTS: Sequence[Intercept] = (muting_reply, acknowledging_reply)
AFTER_STORE: Sequence[AfterStore] = (notice_from_announcer, comments_on_a_draft)
