"""What part of a message is the author's own text: one place that labels quotes,
attributions, quoted originals, signatures, disclaimers and list footers.

`blocks(text)` gives the labelled blocks in order; `own_text(text)` the author's words.
"""

from archive.own_text.kinds import Block, Kind
from archive.own_text.split import blocks, own_text

__all__ = ["Block", "Kind", "blocks", "own_text"]
