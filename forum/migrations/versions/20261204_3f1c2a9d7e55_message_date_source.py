"""message date source

Revision ID: 3f1c2a9d7e55
Revises: 3f1c2a9d7b10
Create Date: 2026-12-04 16:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3f1c2a9d7e55'
down_revision = '3f1c2a9d7b10'
branch_labels = None
depends_on = None


def upgrade():
    # Existing rows keep "header" until `forum repair-dates` reads their raw mail again.
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('date_source', sa.String(length=16), nullable=False, server_default='header'))


def downgrade():
    with op.batch_alter_table('message', schema=None) as batch_op:
        batch_op.drop_column('date_source')
