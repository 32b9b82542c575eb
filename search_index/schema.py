"""The Whoosh schema: one document per archived message, plus one document for indexing state.

Text is indexed twice: folded (no diacritics, `đ` -> `d`), which every query matches, and
exact (NFC, lowercase), which ranks words typed with diacritics first. Bump `SCHEMA_VERSION`
whenever the fields or the analysers change: an index of another version is rebuilt.
"""

from __future__ import annotations

from whoosh.fields import BOOLEAN, DATETIME, ID, STORED, TEXT, Schema

from search_index.analysis import exact_analyzer, folded_analyzer, pair_analyzer
from search_index.stemming import stem_analyzer


def attachment_fields() -> dict[str, object]:
    """The fields of attachments' documents (search_index.attachments writes them)."""
    return {
        "filename": TEXT(analyzer=folded_analyzer()),
        "filename_exact": TEXT(analyzer=exact_analyzer()),
        "attachment": STORED(),  # id, message pk, position, name, subject, unit, status
    }


# 2: tones placed by the new rule in the exact fields, i/y pairs spelled one way when folded,
# exact twins of the subject and the sender's name.
# 3: attachments' documents (search_index.attachments) and their fields.
# 4: English stems (search_index.stemming) in `text_stem`.
# (The stored `own` came later without a bump: an index without it is of other fields, which
# alone makes it rebuilt, and the PostgreSQL backend has no such field to rebuild.)
SCHEMA_VERSION = 4

# The `kind` of a document: every message, or the single state document.
MESSAGE = "message"
ATTACHMENT = "attachment"
STATE = "state"
STATE_PK = "state"

# Plain words must match `text` (subject, sender name, attachment names and the author's own
# words, folded); a match in the subject, with the typed diacritics, or next to the following
# word adds to the score.
SUBJECT_BOOST = 1.0
EXACT_BOOST = 4.0  # a word typed with diacritics, found with them: ranks above other forms
ADJACENT_BOOST = 8.0  # syllables typed together are one Vietnamese word: the strongest signal


def build_schema() -> Schema:
    folded, exact = folded_analyzer(), exact_analyzer()
    return Schema(
        kind=ID(),
        pk=ID(stored=True, unique=True),
        list=ID(stored=True, sortable=True),
        list_id=ID(),
        thread=ID(stored=True),
        hash=STORED(),
        date=DATETIME(stored=True, sortable=True),
        year=ID(sortable=True),
        text=TEXT(analyzer=folded),
        text_exact=TEXT(analyzer=exact),  # only the words that carry diacritics
        pairs=TEXT(analyzer=pair_analyzer(), phrase=False),  # adjacent folded words
        text_stem=TEXT(analyzer=stem_analyzer(), phrase=False),  # English stems, not words
        subject=TEXT(analyzer=folded, stored=True),
        subject_exact=TEXT(analyzer=exact),
        sender=TEXT(analyzer=folded),  # name and address
        sender_exact=TEXT(analyzer=exact),  # the name's words with diacritics
        sender_name=STORED(),
        sender_email=STORED(),
        own=STORED(),  # the start of the author's own words: what snippets are cut from
        has_attachment=BOOLEAN(),
        state=STORED(),
        **attachment_fields(),
    )
