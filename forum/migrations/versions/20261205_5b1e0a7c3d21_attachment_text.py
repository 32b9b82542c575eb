"""attachment text

Revision ID: 5b1e0a7c3d21
Revises: 5b7e2c91d4a8
Create Date: 2026-12-05 07:10:00

"""
from alembic import op
import sqlalchemy as sa

import archive.db  # noqa: F401 - custom column types used below


# revision identifiers, used by Alembic.
revision = '5b1e0a7c3d21'
down_revision = '5b7e2c91d4a8'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'attachment_text',
        sa.Column('attachment_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
        sa.Column('unit', sa.String(length=8), nullable=False),
        sa.Column('pages', sa.Integer(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('claimed_until', archive.db.TZDateTime(), nullable=True),
        sa.Column('extracted_at', archive.db.TZDateTime(), nullable=True),
        sa.Column('indexed_in', sa.String(length=32), nullable=True),
        sa.ForeignKeyConstraint(
            ['attachment_id'], ['attachment.id'],
            name=op.f('fk_attachment_text_attachment_id_attachment'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('attachment_id', name=op.f('pk_attachment_text')),
    )
    with op.batch_alter_table('attachment_text', schema=None) as batch_op:
        batch_op.create_index('ix_attachment_text_indexed_in', ['indexed_in'], unique=False)


def downgrade():
    with op.batch_alter_table('attachment_text', schema=None) as batch_op:
        batch_op.drop_index('ix_attachment_text_indexed_in')
    op.drop_table('attachment_text')
