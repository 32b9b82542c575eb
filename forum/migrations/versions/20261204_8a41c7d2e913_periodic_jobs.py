"""periodic jobs claimed once per period, however many workers run

Revision ID: 8a41c7d2e913
Revises: cf0b6f1e6e9c
Create Date: 2026-12-04 18:40:00

"""
from alembic import op
import sqlalchemy as sa

import archive.db  # noqa: F401 - custom column types used below


# revision identifiers, used by Alembic.
revision = '8a41c7d2e913'
down_revision = 'cf0b6f1e6e9c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'periodic_job',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('running_until', archive.db.TZDateTime(), nullable=True),
        sa.Column('last_run_at', archive.db.TZDateTime(), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_periodic_job')),
    )


def downgrade():
    op.drop_table('periodic_job')
