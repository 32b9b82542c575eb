"""attachments in the PostgreSQL search tables: documents keyed by message and attachment

Revision ID: 9d4a6c1e7b32
Revises: 5e2b7c9d1a40
Create Date: 2026-12-05 11:00:00

Only on PostgreSQL: on SQLite the search index is Whoosh's, on disk. The messages' documents
keep their rows (attachment 0); the attachments' are added by the worker's next rounds.
"""

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = "9d4a6c1e7b32"
down_revision = "5e2b7c9d1a40"
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade():
    if not _postgresql():
        return
    op.add_column(
        "search_document",
        sa.Column("attachment_id", sa.BigInteger(), server_default="0", nullable=False),
    )
    op.add_column(
        "search_document",
        sa.Column("attachment", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
    )
    op.drop_constraint("pk_search_document", "search_document", type_="primary")
    op.create_primary_key("pk_search_document", "search_document", ["message_pk", "attachment_id"])


def downgrade():
    if not _postgresql():
        return
    op.execute("DELETE FROM search_document WHERE attachment_id <> 0")
    op.drop_constraint("pk_search_document", "search_document", type_="primary")
    op.create_primary_key("pk_search_document", "search_document", ["message_pk"])
    op.drop_column("search_document", "attachment")
    op.drop_column("search_document", "attachment_id")
