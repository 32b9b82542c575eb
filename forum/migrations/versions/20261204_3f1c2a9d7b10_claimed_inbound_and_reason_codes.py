"""claimed inbound queue, pre-approved inbound mail, hold reasons as codes, site settings

Revision ID: 3f1c2a9d7b10
Revises: 709a835926d1
Create Date: 2026-12-04 17:00:00

"""
import json
import re

from alembic import op
import sqlalchemy as sa

import archive.db  # noqa: F401 - custom column types used below


# revision identifiers, used by Alembic.
revision = '3f1c2a9d7b10'
down_revision = '709a835926d1'
branch_labels = None
depends_on = None

# Hold reasons as they were written before they became codes (frozen here: the upgrade must
# keep reading the old rows whatever the code later calls its reasons).
_FIXED = {
    "the sender is not a member": "nonmember",
    "announce-only list: the sender may not post": "announce_only",
    "implicit destination: the list is not in To or Cc": "implicit_destination",
    "looks like a subscribe or unsubscribe request sent to the list": "administrivia",
    "an automatic reply sent to the list": "automatic",
}
_PATTERNS = (
    (re.compile(r"new member: post (\d+) of the first (\d+)"), "new_member", ("n", "of")),
    (re.compile(r"message larger than (\d+) KB"), "too_large", ("kb",)),
    (re.compile(r"attachment type not allowed: (.*)"), "blocked_attachment", ("names",)),
    (re.compile(r"confidentiality mark: (.*)"), "confidential", ("mark",)),
    (re.compile(r"too many recipients \((\d+)\)"), "too_many_recipients", ("n",)),
)


def _coded(line):
    if line in _FIXED:
        return {"code": _FIXED[line]}
    for pattern, code, names in _PATTERNS:
        found = pattern.fullmatch(line)
        if found:
            return {"code": code, **dict(zip(names, found.groups()))}
    return {"code": "other", "text": line}


def upgrade():
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.add_column(sa.Column('claimed_by', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('claimed_until', archive.db.TZDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column('approved_by', sa.String(length=320), nullable=False, server_default='')
        )
    op.create_table(
        'site_setting',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_site_setting')),
    )
    held = sa.table('held_post', sa.column('id', sa.Integer), sa.column('reasons', sa.Text))
    connection = op.get_bind()
    for row_id, reasons in connection.execute(sa.select(held.c.id, held.c.reasons)).all():
        if (reasons or "").startswith("["):
            continue
        coded = [_coded(line) for line in (reasons or "").splitlines() if line.strip()]
        connection.execute(
            held.update()
            .where(held.c.id == row_id)
            .values(reasons=json.dumps(coded, ensure_ascii=False))
        )


def downgrade():
    held = sa.table('held_post', sa.column('id', sa.Integer), sa.column('reasons', sa.Text))
    connection = op.get_bind()
    for row_id, reasons in connection.execute(sa.select(held.c.id, held.c.reasons)).all():
        try:
            items = json.loads(reasons or "[]")
        except ValueError:
            continue
        lines = [i.get("text") or i.get("code", "") for i in items if isinstance(i, dict)]
        connection.execute(
            held.update().where(held.c.id == row_id).values(reasons="\n".join(lines))
        )
    op.drop_table('site_setting')
    with op.batch_alter_table('inbound_message', schema=None) as batch_op:
        batch_op.drop_column('approved_by')
        batch_op.drop_column('claimed_until')
        batch_op.drop_column('claimed_by')
