"""search served from PostgreSQL: documents with their lexemes (GIN), indexing progress

Revision ID: 5e2b7c9d1a40
Revises: 7c2d9e4f1a60
Create Date: 2026-12-05 07:05:00

Only on PostgreSQL: on SQLite the search index is Whoosh's, on disk.
"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


# revision identifiers, used by Alembic.
revision = '5e2b7c9d1a40'
down_revision = '7c2d9e4f1a60'
branch_labels = None
depends_on = None


def _postgresql() -> bool:
    return op.get_bind().dialect.name == 'postgresql'


def upgrade():
    if not _postgresql():
        return
    op.create_table(
        'search_document',
        sa.Column('message_pk', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('list_id', sa.Integer(), nullable=False),
        sa.Column('list_name', sa.String(length=64), nullable=False),
        sa.Column('thread_id', sa.BigInteger(), nullable=False),
        sa.Column('message_hash', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.Text(), nullable=False),
        sa.Column('sender_name', sa.Text(), nullable=False),
        sa.Column('sender_email', sa.Text(), nullable=False),
        sa.Column('date', sa.DateTime(), nullable=False),
        sa.Column('year', sa.String(length=4), nullable=False),
        sa.Column('has_attachment', sa.Boolean(), nullable=False),
        sa.Column('terms', postgresql.TSVECTOR(), nullable=False),
        sa.PrimaryKeyConstraint('message_pk', name=op.f('pk_search_document')),
    )
    op.create_index(
        'ix_search_document_terms', 'search_document', ['terms'], postgresql_using='gin'
    )
    op.create_index('ix_search_document_list_date', 'search_document', ['list_id', 'date'])
    op.create_table(
        'search_state',
        sa.Column('name', sa.String(length=32), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('mark', sa.BigInteger(), nullable=False),
        sa.Column('recent', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_search_state')),
    )


def downgrade():
    if not _postgresql():
        return
    op.drop_table('search_state')
    op.drop_index('ix_search_document_list_date', table_name='search_document')
    op.drop_index('ix_search_document_terms', table_name='search_document')
    op.drop_table('search_document')
