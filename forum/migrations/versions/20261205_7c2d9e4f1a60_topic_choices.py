"""topic choices

Revision ID: 7c2d9e4f1a60
Revises: 5b1e0a7c3d21
Create Date: 2026-12-05 07:40:00

"""
from alembic import op
import sqlalchemy as sa

import archive.db  # noqa: F401 - custom column types used below


# revision identifiers, used by Alembic.
revision = '7c2d9e4f1a60'
down_revision = '5b1e0a7c3d21'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'topic_choice',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('thread_id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('choice', sa.String(length=8), nullable=False),
        sa.Column('chosen_at', archive.db.TZDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ['thread_id'], ['thread.id'],
            name=op.f('fk_topic_choice_thread_id_thread'), ondelete='CASCADE',
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_choice')),
        sa.UniqueConstraint('thread_id', 'email', name=op.f('uq_topic_choice_thread_id_email')),
    )
    with op.batch_alter_table('topic_choice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_topic_choice_email'), ['email'], unique=False)


def downgrade():
    with op.batch_alter_table('topic_choice', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_topic_choice_email'))
    op.drop_table('topic_choice')
