"""list settings: visible unsubscribe footer, acknowledgement receipts

Revision ID: 5b7e2c91d4a8
Revises: 8a41c7d2e913
Create Date: 2026-12-05 07:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5b7e2c91d4a8'
down_revision = '8a41c7d2e913'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('list_policy', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('unsubscribe_footer', sa.String(length=8), nullable=False, server_default='auto')
        )
        batch_op.add_column(
            sa.Column('ack_receipt', sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade():
    with op.batch_alter_table('list_policy', schema=None) as batch_op:
        batch_op.drop_column('ack_receipt')
        batch_op.drop_column('unsubscribe_footer')
