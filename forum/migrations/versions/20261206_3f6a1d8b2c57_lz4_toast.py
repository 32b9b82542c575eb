"""the archive's large columns compressed with lz4 on PostgreSQL

Revision ID: 3f6a1d8b2c57
Revises: 9d4a6c1e7b32
Create Date: 2026-12-06 04:40:00

A message's raw bytes, its text and HTML, and attachments' bytes are stored out of line and
compressed by PostgreSQL; pglz, its default, was about a fifth of the server's time while an
mbox was imported (linux-mips: 6.5 -> 5.1 CPU seconds with lz4, 939 -> 1,039 messages/s).
Rows stored before keep their compression; PostgreSQL reads both. Only where the server has
lz4 (PostgreSQL 14 and later, built with it, as Debian's and the official images are).
"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "3f6a1d8b2c57"
down_revision = "9d4a6c1e7b32"
branch_labels = None
depends_on = None

COLUMNS = [
    ("message", "raw"),
    ("message", "body_text"),
    ("message", "body_html"),
    ("attachment", "data"),
]


def _has_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    choices = bind.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return bool(choices) and "lz4" in choices


def _compress(method: str) -> None:
    if not _has_lz4():
        return
    for table, column in COLUMNS:
        op.execute(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" SET COMPRESSION {method}')


def upgrade():
    _compress("lz4")


def downgrade():
    _compress("pglz")
